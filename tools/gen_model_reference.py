#!/usr/bin/env python3
"""Per-model forward-pass reference fixtures, float32 and bfloat16, from HF transformers.

For each model (a GGUF file under $PYRAMIDKV_HOME/models, default ~/.cache/pyramidkv/models) and
each of five prompts (raw_16, chat_short, essay_500, passkey_1000, needle_2000) this records:

- the exact prompt text and its input ids (llama.cpp's tokenizer, via llama-cpp-python on the same
  GGUF; transformers' own GGUF tokenizer conversion is wrong for SmolLM2, so it is only
  cross-checked here: see `tokenizer_check`);
- float32: top-20 ids and logits at the last prompt position, and a 32-token greedy continuation
  (manual KV-cached loop, stops after an end-of-generation id) with each step's top-1 margin
  (logit[top1] - logit[top2]);
- bfloat16 (the float32 model cast with `.to(torch.bfloat16)`; weights, activations, KV cache and
  logits are all bf16, logits then cast to float32): its logits at the float32 top-20 ids, its own
  top-1 id, and its own greedy continuation with margins;
- the "bf16 band": max |bf16 - fp32| over the fp32 top-20 ids, whether the top-1 agrees, and how
  many leading greedy tokens agree.

Weights: `AutoModelForCausalLM.from_pretrained(dir, gguf_file=..., dtype=torch.float32)`, i.e.
transformers de-quantizes the GGUF to float32 (the weights the Swift engine computes with), SDPA
attention, one CPU thread, `torch.inference_mode()`. Chat prompts use the GGUF's
`tokenizer.chat_template` rendered by transformers' `apply_chat_template` (default system message).
Haystack prompts use $PYRAMIDKV_HOME/haystack/PaulGrahamEssays/*.txt (sorted by name, concatenated),
cut at sentence ends; needles are inserted at the sentence end nearest 50 % depth (in tokens).

Writes <out>/<model-name>.json per model and regenerates <out>/README.md from every fixture in
<out>. Deterministic for fixed versions (no timings in the JSON), so re-running is idempotent.

Needs: torch, transformers 5.x (5.2.0 used), gguf 0.19.0, numpy, llama-cpp-python, jinja2.
Run (under nice, one thread; the 1.5B model takes a few minutes per dtype):

    nice -n 19 python3 tools/gen_model_reference.py \\
        [--models smollm2-135m-instruct,qwen2.5-coder-0.5b-instruct,qwen2.5-coder-1.5b-instruct] \\
        [--out Tests/KVEngineTests/Fixtures/reference]
"""
import argparse
import glob
import json
import os
import platform
import re
import subprocess
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TQDM_DISABLE", "1")

import gguf  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from transformers import AutoModelForCausalLM, AutoTokenizer  # noqa: E402

transformers.utils.logging.disable_progress_bar()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from reference_util import agree_prefix, sha256  # noqa: E402
HOME = os.environ.get("PYRAMIDKV_HOME", os.path.expanduser("~/.cache/pyramidkv"))
GENERATOR = "tools/gen_model_reference.py"

MODELS = {
    "smollm2-135m-instruct": "SmolLM2-135M-Instruct.Q4_1.gguf",
    "qwen2.5-coder-0.5b-instruct": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "qwen2.5-coder-1.5b-instruct": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
}

MAX_NEW_TOKENS = 32
TOP_K = 20
RAW_TEXT = "The quick brown fox jumps over the lazy dog. The capital of France is"
CHAT_MSG = "Write a Python function that returns the square of a number."
PASSKEY = "71432"
PASSKEY_NEEDLE = f"The pass key is {PASSKEY}. Remember it. {PASSKEY} is the pass key."
PASSKEY_QUESTION = "\nWhat is the pass key? The pass key is"
NEEDLE = "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day."
NEEDLE_QUESTION = ("What is the best thing to do in San Francisco? "
                   "Don't give information outside the document or repeat your findings.")
# Special tokens that end generation where present in the vocabulary (as llama.cpp's EOG set).
EOG_TEXTS = ("<|im_end|>", "<|endoftext|>", "<|eot_id|>")


# ------------------------------------------------------------------------------------------------
# Tokenizer: llama.cpp on the GGUF (vocab only).
# ------------------------------------------------------------------------------------------------


class LlamaCppTokenizer:
    def __init__(self, path):
        from llama_cpp import Llama
        self.llm = Llama(model_path=path, vocab_only=True, verbose=False)

    def encode(self, text, special):
        # add_bos=True lets llama.cpp add BOS only where the GGUF asks for it (none of these do).
        return list(self.llm.tokenize(text.encode("utf-8"), add_bos=True, special=special))

    def decode(self, ids):
        return self.llm.detokenize(list(ids), special=True).decode("utf-8", errors="replace")


# ------------------------------------------------------------------------------------------------
# Prompts.
# ------------------------------------------------------------------------------------------------


def haystack_corpus():
    files = sorted(glob.glob(os.path.join(HOME, "haystack", "PaulGrahamEssays", "*.txt")))
    if not files:
        sys.exit(f"no essays under {HOME}/haystack/PaulGrahamEssays")
    return "".join(open(f, encoding="utf-8").read() for f in files)


def sentence_ends(text):
    """Char offsets just past a sentence's final punctuation (closing quotes/brackets included)."""
    return [m.end() for m in re.finditer(r"[.!?][\"')\]]*(?=\s)", text)]


def largest_fitting(ends, fits):
    """The largest e in ends (ascending) with fits(e), by binary search (fits is monotone)."""
    lo, hi, best = 0, len(ends) - 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(ends[mid]):
            best, lo = ends[mid], mid + 1
        else:
            hi = mid - 1
    if best is None:
        raise RuntimeError("no prefix fits")
    return best


def insert_at_half(tok, context, needle):
    """Insert needle after the sentence end nearest half the context's tokens; returns (text, depth)."""
    total = len(tok.encode(context, special=False))
    ends = [e for e in sentence_ends(context) if e < len(context)]
    b = largest_fitting(ends, lambda e: len(tok.encode(context[:e], special=False)) <= total / 2)
    i = ends.index(b)
    cands = [ends[j] for j in (i, i + 1) if j < len(ends)]
    b = min(cands, key=lambda e: abs(len(tok.encode(context[:e], special=False)) - total / 2))
    depth = len(tok.encode(context[:b], special=False)) / total
    return context[:b] + " " + needle + context[b:], round(depth, 4)


def build_prompts(tok, chat):
    corpus = haystack_corpus()
    ends = sentence_ends(corpus[:200000])
    prompts = []

    def add(name, text, special, **spec):
        prompts.append({"name": name, "spec": spec, "text": text, "parse_special": special,
                        "input_ids": tok.encode(text, special=special)})

    add("raw_16", RAW_TEXT, False, kind="raw")
    add("chat_short", chat(CHAT_MSG), True, kind="chat", user=CHAT_MSG)

    # essay_500: prose cut at a sentence end, then "\nSummary:"; at most 500 tokens.
    essay = lambda e: corpus[:e] + "\nSummary:"  # noqa: E731
    e = largest_fitting(ends, lambda e: len(tok.encode(essay(e), special=False)) <= 500)
    add("essay_500", essay(e), False, kind="essay", target_tokens=500)

    # passkey_1000: prose with the pass key at ~50 % depth, then the question; at most 1000 tokens.
    def passkey(e):
        return insert_at_half(tok, corpus[:e], PASSKEY_NEEDLE)

    e = largest_fitting(ends, lambda e: len(tok.encode(passkey(e)[0] + PASSKEY_QUESTION, special=False)) <= 1000)
    ctx, depth = passkey(e)
    add("passkey_1000", ctx + PASSKEY_QUESTION, False, kind="passkey", target_tokens=1000,
        needle=PASSKEY_NEEDLE, passkey=PASSKEY, depth=depth, question=PASSKEY_QUESTION)

    # needle_2000: chat; user turn = prose with the needle at ~50 % depth, blank line, question.
    def needle(e):
        ctx, depth = insert_at_half(tok, corpus[:e], NEEDLE)
        return chat(ctx + "\n\n" + NEEDLE_QUESTION), depth

    e = largest_fitting(ends, lambda e: len(tok.encode(needle(e)[0], special=True)) <= 2000)
    text, depth = needle(e)
    add("needle_2000", text, True, kind="needle", target_tokens=2000, needle=NEEDLE, depth=depth,
        question=NEEDLE_QUESTION, expect=["sandwich", "Dolores Park"])
    return prompts


# ------------------------------------------------------------------------------------------------
# Forward passes.
# ------------------------------------------------------------------------------------------------


def top2_margin(logits):
    v = torch.topk(logits, 2).values
    return float(v[0] - v[1])


@torch.inference_mode()
def run(model, ids, eos_ids):
    """Prefill logits at the last position (float32) and a KV-cached greedy continuation."""
    out = model(input_ids=torch.tensor([ids]), use_cache=True, logits_to_keep=1)
    last = out.logits[0, -1].float()
    first = last.clone()
    past, gen, margins = out.past_key_values, [], []
    for step in range(MAX_NEW_TOKENS):
        nxt = int(torch.argmax(last))
        gen.append(nxt)
        margins.append(top2_margin(last))
        if nxt in eos_ids or step == MAX_NEW_TOKENS - 1:
            break
        out = model(input_ids=torch.tensor([[nxt]]), past_key_values=past, use_cache=True, logits_to_keep=1)
        past, last = out.past_key_values, out.logits[0, -1].float()
    return first, gen, margins


# ------------------------------------------------------------------------------------------------
# Files.
# ------------------------------------------------------------------------------------------------


def versions():
    import importlib.metadata as md
    v = {"python": platform.python_version(), "torch": torch.__version__,
         "transformers": transformers.__version__, "gguf": md.version("gguf"), "numpy": np.__version__}
    for pkg in ("llama_cpp_python", "tokenizers", "jinja2"):
        try:
            v[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    v["torch_threads"] = torch.get_num_threads()
    return v


def cpu_name():
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def model_config(model, gguf_path, tok):
    c = model.config
    rope = getattr(c, "rope_parameters", None) or {}
    theta = rope.get("rope_theta", getattr(c, "rope_theta", None))
    reader = gguf.GGUFReader(gguf_path)
    f = reader.fields["tokenizer.ggml.tokens"]
    vocab = [bytes(f.parts[i]).decode("utf-8", errors="replace") for i in f.data]
    ef = reader.fields["tokenizer.ggml.eos_token_id"]
    eos = {int(ef.parts[ef.data[0]][0])}
    eos |= {vocab.index(t) for t in EOG_TEXTS if t in vocab}
    return {
        "model_type": c.model_type,
        "num_hidden_layers": c.num_hidden_layers,
        "num_attention_heads": c.num_attention_heads,
        "num_key_value_heads": c.num_key_value_heads,
        "head_dim": getattr(c, "head_dim", None) or c.hidden_size // c.num_attention_heads,
        "hidden_size": c.hidden_size,
        "intermediate_size": c.intermediate_size,
        "vocab_size": c.vocab_size,
        "logits_size": model.get_output_embeddings().weight.shape[0],
        "gguf_vocab_tokens": len(vocab),
        "rope_theta": float(theta) if theta is not None else None,
        "rms_norm_eps": float(c.rms_norm_eps),
        "tie_word_embeddings": bool(c.tie_word_embeddings),
        "eos_ids": sorted(eos),
        "gguf_eos_token_id": int(ef.parts[ef.data[0]][0]),
        "attn_implementation": "sdpa",
    }


def generate_model(name, out_dir):
    gguf_name = MODELS[name]
    path = os.path.join(HOME, "models", gguf_name)
    t0 = time.time()
    print(f"== {name}: {path}", flush=True)
    digest = sha256(path)

    tok = LlamaCppTokenizer(path)
    hf_tok = AutoTokenizer.from_pretrained(os.path.dirname(path), gguf_file=gguf_name)

    def chat(msg):
        return hf_tok.apply_chat_template([{"role": "user", "content": msg}], tokenize=False,
                                          add_generation_prompt=True)

    prompts = build_prompts(tok, chat)
    for p in prompts:  # transformers' GGUF tokenizer, for the record only
        hf_ids = hf_tok.encode(p["text"], add_special_tokens=False)
        p["tokenizer_check"] = {"transformers_gguf_agrees": hf_ids == p["input_ids"],
                                "transformers_gguf_n_tokens": len(hf_ids)}
    print(f"   prompts built ({time.time() - t0:.0f}s): " +
          ", ".join(f"{p['name']}={len(p['input_ids'])}" for p in prompts), flush=True)

    model = AutoModelForCausalLM.from_pretrained(os.path.dirname(path), gguf_file=gguf_name,
                                                 dtype=torch.float32, attn_implementation="sdpa")
    model.eval()
    config = model_config(model, path, tok)
    eos_ids = set(config["eos_ids"])
    print(f"   model loaded ({time.time() - t0:.0f}s)", flush=True)

    fp32 = {}
    for p in prompts:
        t = time.time()
        last, gen, margins = run(model, p["input_ids"], eos_ids)
        top = torch.topk(last, TOP_K)
        fp32[p["name"]] = (top.indices.tolist(), top.values.tolist(), gen, margins)
        print(f"   fp32 {p['name']:<13} n={len(p['input_ids']):<5} {time.time() - t:6.1f}s  "
              f"{tok.decode(gen)!r}", flush=True)

    model.to(torch.bfloat16)
    bf16 = {}
    for p in prompts:
        t = time.time()
        last, gen, margins = run(model, p["input_ids"], eos_ids)
        ids = fp32[p["name"]][0]
        bf16[p["name"]] = (last[ids].tolist(), int(torch.argmax(last)), gen, margins)
        print(f"   bf16 {p['name']:<13} n={len(p['input_ids']):<5} {time.time() - t:6.1f}s  "
              f"{tok.decode(gen)!r}", flush=True)
    del model

    records = []
    for p in prompts:
        ids, logits, g32, m32 = fp32[p["name"]]
        at_ids, top1, g16, m16 = bf16[p["name"]]
        rec = {
            "name": p["name"], "spec": p["spec"], "text": p["text"], "parse_special": p["parse_special"],
            "n_tokens": len(p["input_ids"]), "input_ids": p["input_ids"],
            "tokenizer_check": p["tokenizer_check"],
            "fp32": {"top20": {"ids": ids, "logits": logits},
                     "greedy": {"ids": g32, "top1_margin": m32, "max_new_tokens": MAX_NEW_TOKENS,
                                "stopped_on_eos": g32[-1] in eos_ids, "text": tok.decode(g32)}},
            "bf16": {"top20_at_fp32_ids": at_ids, "top1_id": top1,
                     "greedy": {"ids": g16, "top1_margin": m16, "max_new_tokens": MAX_NEW_TOKENS,
                                "stopped_on_eos": g16[-1] in eos_ids, "text": tok.decode(g16)}},
            "band": {"max_abs_delta_top20": max(abs(a - b) for a, b in zip(at_ids, logits)),
                     "top1_agree": top1 == ids[0],
                     "greedy_agree_prefix": agree_prefix(g32, g16)},
        }
        if "expect" in p["spec"]:
            txt = rec["fp32"]["greedy"]["text"]
            rec["fp32"]["greedy"]["retrieved"] = all(s.lower() in txt.lower() for s in p["spec"]["expect"])
        if p["spec"].get("passkey"):
            rec["fp32"]["greedy"]["retrieved"] = p["spec"]["passkey"] in rec["fp32"]["greedy"]["text"]
        records.append(rec)

    doc = {
        "description": (f"Forward-pass reference for {name}: last-position top-20 logits and 32-token greedy "
                        "continuations from HF transformers with the GGUF de-quantized to float32 (SDPA, CPU, "
                        "1 thread), and the same model cast to bfloat16 (all-bf16 compute, bf16 logits cast "
                        "to float32) to measure the bf16 band. Input ids are llama.cpp's tokenization of "
                        "`text`."),
        "generator": GENERATOR,
        "versions": versions(),
        "model": {"name": name, "gguf_file": gguf_name, "sha256": digest},
        "config": config,
        "prompts": records,
    }
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, f"{name}.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"   wrote {out} ({time.time() - t0:.0f}s)", flush=True)
    return doc


def write_readme(out_dir):
    docs = []
    for path in sorted(glob.glob(os.path.join(out_dir, "*.json"))):
        d = json.load(open(path, encoding="utf-8"))
        if d.get("generator") == GENERATOR:
            docs.append(d)
    if not docs:
        return
    v = docs[0]["versions"]
    lines = [
        "# Forward-pass reference fixtures (float32 and the bf16 band)",
        "",
        f"Generated by `{GENERATOR}` (see its docstring):",
        "",
        "    nice -n 19 python3 tools/gen_model_reference.py --models <names> --out Tests/KVEngineTests/Fixtures/reference",
        "",
        "HF transformers with each GGUF de-quantized to float32 (`AutoModelForCausalLM.from_pretrained(dir, "
        "gguf_file=..., dtype=torch.float32)`, SDPA, `torch.set_num_threads(1)`, `torch.inference_mode()`); "
        "bf16 = the same model `.to(torch.bfloat16)` (weights, activations, KV cache and logits in bf16; "
        "logits cast to float32 for the comparison, so they carry bf16 rounding: a step of 0.125 for "
        "|logit| in [16, 32)). Input ids: llama.cpp's tokenizer (llama-cpp-python) on the same GGUF; "
        "`tokenizer_check` records whether transformers' GGUF tokenizer agrees. Greedy: 32 new tokens, "
        "stopping after an id in `config.eos_ids`.",
        "",
        "Versions: " + ", ".join(f"{k} {v[k]}" for k in v) + ".",
        f"CPU: {cpu_name()}.",
        "",
        "Band columns: `max|Δ|` = max over the fp32 top-20 ids of |bf16 − fp32| logit; `top1` = bf16 top-1 "
        "equals fp32 top-1; `greedy` = leading greedy tokens identical (of the fp32 continuation's length).",
        "",
    ]
    for d in docs:
        m = d["model"]
        lines += [f"## {m['name']}", "",
                  f"`{m['gguf_file']}` (sha256 `{m['sha256']}`), {d['config']['model_type']}, "
                  f"{d['config']['num_hidden_layers']} layers.", "",
                  "| prompt | n tokens | max\\|Δ\\| top-20 | top1 | greedy | fp32 greedy (start) |",
                  "|---|---:|---:|:---:|---:|---|"]
        for p in d["prompts"]:
            b = p["band"]
            txt = p["fp32"]["greedy"]["text"].replace("\n", "⏎").replace("|", "\\|")[:60]
            lines.append(f"| {p['name']} | {p['n_tokens']} | {b['max_abs_delta_top20']:.4f} | "
                         f"{'yes' if b['top1_agree'] else 'no'} | {b['greedy_agree_prefix']}/"
                         f"{len(p['fp32']['greedy']['ids'])} | `{txt}` |")
        lines.append("")
    with open(os.path.join(out_dir, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def print_summary(docs):
    print(f"\n{'model':<28} {'prompt':<13} {'n':>5} {'max|d|':>8} {'top1':>5} {'greedy':>7}")
    for d in docs:
        for p in d["prompts"]:
            b = p["band"]
            print(f"{d['model']['name']:<28} {p['name']:<13} {p['n_tokens']:>5} {b['max_abs_delta_top20']:>8.4f} "
                  f"{str(b['top1_agree']):>5} {b['greedy_agree_prefix']:>3}/{len(p['fp32']['greedy']['ids']):<3}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--models", default=",".join(MODELS), help="comma list of: " + ", ".join(MODELS))
    ap.add_argument("--out", default=os.path.join(ROOT, "Tests", "KVEngineTests", "Fixtures", "reference"))
    args = ap.parse_args()
    names = [n.strip() for n in args.models.split(",") if n.strip()]
    for n in names:
        if n not in MODELS:
            ap.error(f"unknown model {n!r}; known: {', '.join(MODELS)}")
    torch.set_num_threads(1)
    torch.manual_seed(0)
    t0 = time.time()
    docs = [generate_model(n, args.out) for n in names]
    write_readme(args.out)
    print_summary(docs)
    print(f"\ntotal {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
