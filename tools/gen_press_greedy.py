#!/usr/bin/env python3
"""Greedy continuations under kvpress 0.5.5's newer presses on SmolLM2-135M-Instruct, for
KVEngineTests.PressGreedyTests: does a whole generation under our TOVA, KeyDiff, ChunkKV and
Expected Attention continue as kvpress's own press does?

Prompts: the three of Fixtures/kvpress_greedy.json (passkey_1000, sandwich_2000, passkey_3000;
the shared reference vectors), the whole prompt (context + question) prefilled with the press
hooked in (`with press(model): model.model(ids)`, the paper's question-aware protocol), then
greedy decoding from the compressed cache with the press removed and positions continuing after
the uncompressed prompt (as kvpress's pipeline passes position_ids), up to 24 new tokens or the
end-of-turn token 2. Budgets B kept tokens per layer and KV head map to ratios
r = 1 - (B + 0.5) / n (int(n * (1 - r)) = B; ChunkKV keeps whole chunks, see kept_per_layer).
Each run records the greedy ids, text-free, and the top-1 margin (logit gap to the runner-up) of
every step: past a step whose margin is tiny an engine with slightly different floats may
legitimately continue differently.

KVzipPress compresses by masking: its evicted keys are replaced during decoding by kvpress's
attention patch (installed globally when kvpress is imported), so the same decode loop runs it;
its replay uses the project's reference tokenizer as in gen_press_reference.py. Its budget is one
global count: r = (n·L·H − L·H·B + 0.5) / (n·L·H) keeps exactly L·H·B entries, ours at budget B.
CAM is KVCache-Factory's, not kvpress's (kept sets and merged values: PressReferenceTests).

Run (from the repository root, ~8 min on one thread of a 2-core machine):
    python3 tools/gen_press_greedy.py [--presses KVzipPress,...]   (only these, merged into the file)
"""
import json
import os
import pathlib
import platform
import sys
import time
import importlib.metadata as md

os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import torch  # noqa: E402

torch.set_num_threads(1)
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from gen_press_reference import CHUNK_LENGTH, MODEL_DIR, MODEL_FILE, KVzipTokenizer, import_kvpress  # noqa: E402
from reference_tokenizer import ReferenceTokenizer  # noqa: E402

PROMPTS = ROOT / "Tests/KVEngineTests/Fixtures/kvpress_greedy.json"
OUT = ROOT / "Tests/KVEngineTests/Fixtures/press_greedy.json"
RUNS = {"passkey_1000": [96, 256], "sandwich_2000": [256], "passkey_3000": [256]}
MAX_NEW = 24
EOS = 2


def greedy(model, press, ids, n):
    from transformers import DynamicCache
    cache = DynamicCache()
    with torch.no_grad():
        if press is None:
            out = model(input_ids=ids, past_key_values=cache)
        else:
            with press(model):
                out = model(input_ids=ids, past_key_values=cache)
        kept = [int(layer.keys.shape[2]) for layer in cache.layers]
        masked = [getattr(l.self_attn, "masked_key_indices", None) for l in model.model.layers]
        if any(m is not None for m in masked):  # KVzip: kept = entries not masked, per layer
            kv = model.config.num_key_value_heads
            kept = [kv * n - int(m[2].numel()) if m is not None else kv * n for m in masked]
        logits = out.logits[0, -1]
        tokens, margins = [], []
        pos = n
        while len(tokens) < MAX_NEW:
            top = torch.topk(logits, 2)
            margins.append(round(float(top.values[0] - top.values[1]), 4))
            nxt = int(top.indices[0])
            tokens.append(nxt)
            if nxt == EOS or len(tokens) == MAX_NEW:
                break
            out = model(input_ids=torch.tensor([[nxt]]), past_key_values=cache, position_ids=torch.tensor([[pos]]))
            pos += 1
            logits = out.logits[0, -1]
    return tokens, margins, kept


def main():
    import argparse
    import types
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--presses", help="comma list: run only these and merge into the existing file")
    args = ap.parse_args()
    t0 = time.time()
    kvpress = import_kvpress()
    from kvpress.presses import kvzip_press
    from transformers import AutoModelForCausalLM
    tok = ReferenceTokenizer(os.path.join(MODEL_DIR, MODEL_FILE))
    kvzip_press.AutoTokenizer = types.SimpleNamespace(from_pretrained=lambda *a, **k: KVzipTokenizer(tok))
    model = AutoModelForCausalLM.from_pretrained(MODEL_DIR, gguf_file=MODEL_FILE, dtype=torch.float32,
                                                 attn_implementation="sdpa").eval()
    presses = {
        "TOVAPress": lambda r: kvpress.TOVAPress(compression_ratio=r),
        "KeyDiffPress": lambda r: kvpress.KeyDiffPress(compression_ratio=r),
        "ChunkKVPress(SnapKVPress)": lambda r: kvpress.ChunkKVPress(press=kvpress.SnapKVPress(compression_ratio=r),
                                                                    chunk_length=CHUNK_LENGTH),
        "ExpectedAttentionPress": lambda r: kvpress.ExpectedAttentionPress(compression_ratio=r),
        "KVzipPress": lambda r: kvpress.KVzipPress(compression_ratio=r),
    }
    only = set(args.presses.split(",")) if args.presses else None
    if only:
        presses = {k: v for k, v in presses.items() if k in only}
    L, KV = model.config.num_hidden_layers, model.config.num_key_value_heads
    prompts = json.loads(PROMPTS.read_text())["prompts"]
    runs = []
    for name, budgets in RUNS.items():
        ids_list = prompts[name]["context_ids"] + prompts[name]["question_ids"]
        n = len(ids_list)
        ids = torch.tensor([ids_list])
        if not only:
            tokens, margins, kept = greedy(model, None, ids, n)
            runs.append({"prompt": name, "press": "FullKV", "budget": None, "n": n, "greedy_ids": tokens,
                         "top1_margin": margins, "kept_per_layer": kept})
        for press, make in presses.items():
            for b in budgets:
                t = time.time()
                r = 1 - (b + 0.5) / n
                if press == "KVzipPress":
                    r = (n * L * KV - L * KV * b + 0.5) / (n * L * KV)
                tokens, margins, kept = greedy(model, make(r), ids, n)
                runs.append({"prompt": name, "press": press, "budget": b, "compression_ratio": r, "n": n,
                             "greedy_ids": tokens, "top1_margin": margins, "kept_per_layer": kept})
                print(f"{name} {press} B={b}: {tokens[:12]} ({time.time() - t:.1f}s)", flush=True)
    versions = {"python": platform.python_version(), "torch": torch.__version__.split("+")[0]}
    for pkg in ("transformers", "kvpress", "gguf"):
        versions[pkg] = md.version(pkg)
    doc = {
        "generator": "tools/gen_press_greedy.py",
        "model": MODEL_FILE, "dtype": "float32", "attn_implementation": "sdpa", "torch_threads": 1,
        "versions": versions,
        "prompts": "context_ids + question_ids of Fixtures/kvpress_greedy.json",
        "protocol": "whole prompt prefilled with the press hooked in, then greedy decoding without it, "
                    "positions continuing after the uncompressed prompt; stop at id 2 or 24 tokens",
        "budgets": "compression_ratio = 1 - (budget + 0.5) / n (ChunkKV keeps whole chunks); KVzip: "
                   "(n*L*KV - L*KV*budget + 0.5) / (n*L*KV), L*KV*budget entries kept over all layers and heads",
        "runs": runs,
    }
    if only and OUT.exists():
        old = json.loads(OUT.read_text())
        doc["runs"] = [r for r in old["runs"] if r["press"] not in only] + runs
    OUT.write_text(json.dumps(doc, separators=(",", ":")))
    print(f"wrote {OUT} ({len(runs)} runs) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
