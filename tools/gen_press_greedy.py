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

KVzip is left out: its evicted keys are masked inside kvpress's patched attention during decoding,
which a plain transformers decode loop does not reproduce; its kept sets are checked in
KVzipReferenceTests. CAM is KVCache-Factory's, not kvpress's (kept sets and merged values:
PressReferenceTests).

Run (from the repository root, ~3 min on one thread):
    python3 tools/gen_press_greedy.py
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
from gen_press_reference import CHUNK_LENGTH, MODEL_DIR, MODEL_FILE, import_kvpress  # noqa: E402

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
    t0 = time.time()
    kvpress = import_kvpress()
    from transformers import AutoModelForCausalLM
    model = AutoModelForCausalLM.from_pretrained(MODEL_DIR, gguf_file=MODEL_FILE, dtype=torch.float32,
                                                 attn_implementation="sdpa").eval()
    presses = {
        "TOVAPress": lambda r: kvpress.TOVAPress(compression_ratio=r),
        "KeyDiffPress": lambda r: kvpress.KeyDiffPress(compression_ratio=r),
        "ChunkKVPress(SnapKVPress)": lambda r: kvpress.ChunkKVPress(press=kvpress.SnapKVPress(compression_ratio=r),
                                                                    chunk_length=CHUNK_LENGTH),
        "ExpectedAttentionPress": lambda r: kvpress.ExpectedAttentionPress(compression_ratio=r),
    }
    prompts = json.loads(PROMPTS.read_text())["prompts"]
    runs = []
    for name, budgets in RUNS.items():
        ids_list = prompts[name]["context_ids"] + prompts[name]["question_ids"]
        n = len(ids_list)
        ids = torch.tensor([ids_list])
        tokens, margins, kept = greedy(model, None, ids, n)
        runs.append({"prompt": name, "press": "FullKV", "budget": None, "n": n, "greedy_ids": tokens,
                     "top1_margin": margins, "kept_per_layer": kept})
        for press, make in presses.items():
            for b in budgets:
                t = time.time()
                r = 1 - (b + 0.5) / n
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
        "budgets": "compression_ratio = 1 - (budget + 0.5) / n (ChunkKV keeps whole chunks)",
        "runs": runs,
    }
    OUT.write_text(json.dumps(doc, separators=(",", ":")))
    print(f"wrote {OUT} ({len(runs)} runs) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
