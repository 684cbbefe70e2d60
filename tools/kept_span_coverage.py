#!/usr/bin/env python3
"""How much of one token span (a needle's answer) each layer and KV head keeps under a policy.

Reads `pyramidkv kv-inspect --json` output (kept prompt positions per layer and head), the prompt's
token ids (the file given to kv-inspect's --prompt-ids) and the answer's token ids (from
`pyramidkv tokenize --json`; the first occurrence in the prompt is the span), and prints per layer
the kept count of the span and of the `--key` tokens just before it, then a summary line.

    pyramidkv tokenize --model M --text "<answer>" --json > answer.json
    pyramidkv kv-inspect --model M --prompt-ids prompt.json --policy snapkv --budget 1024 \\
        --layout kv_head --json > snapkv.json
    python3 tools/kept_span_coverage.py --inspect snapkv.json --prompt-ids prompt.json --span answer.json
"""
import argparse
import json
import sys


def find(ids, span):
    for s in range(len(ids) - len(span) + 1):
        if ids[s:s + len(span)] == span:
            return s
    sys.exit("the span's ids do not occur in the prompt ids (tokenize the answer as it appears, e.g. with a leading space)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inspect", required=True, help="kv-inspect --json output")
    ap.add_argument("--prompt-ids", required=True, help="JSON array of the prompt's token ids")
    ap.add_argument("--span", required=True, help='JSON {"ids": [...]} or array: the answer\'s token ids')
    ap.add_argument("--key", type=int, default=12, help="tokens before the span counted as its key (default 12)")
    args = ap.parse_args()
    ids = json.load(open(args.prompt_ids))
    span = json.load(open(args.span))
    span = span["ids"] if isinstance(span, dict) else span
    start = find(ids, span)
    answer = set(range(start, start + len(span)))
    key = set(range(max(0, start - args.key), start))
    doc = json.load(open(args.inspect))
    print(f"{doc['policy']['policy']['name']}@{doc['policy']['budget']}: span [{start}, {start + len(span)}) "
          f"of {doc['prompt_tokens']} tokens; per layer, each head's kept span tokens (key tokens)")
    caches = whole = total = 0
    for layer, entry in enumerate(doc["layers"]):
        cells = []
        for head in entry["heads"]:
            kept = set(head["kept"])
            n = len(answer & kept)
            caches, total, whole = caches + 1, total + n, whole + (n == len(answer))
            cells.append(f"{n:2d} ({len(key & kept):2d})")
        print(f"layer {layer:2d} budget {entry['budget']:5d}: " + "  ".join(cells))
    print(f"mean {total / caches:.1f} of {len(answer)} span tokens kept per cache; whole span in {whole} of {caches}")


if __name__ == "__main__":
    main()
