#!/usr/bin/env python3
"""llama.cpp's own distance from transformers fp32, on the prompts of the forward-pass fixtures.

The fast-mode rule (int8 activations may be no farther from transformers fp32 than transformers
bf16 is) needs a frame: how far is llama.cpp itself, the engine people run these GGUF files with?
For each fixture under Tests/KVEngineTests/Fixtures/reference (made by gen_model_reference.py),
this feeds the recorded input ids to llama-cpp-python on the same GGUF and records, per prompt:

- its logits at the fp32 top-20 ids of the last prompt position, and its own top-1 id;
- its 32-token greedy continuation (llama.cpp's KV cache, stopping after an id in eos_ids);
- the same band columns as bf16: max |llama.cpp - fp32| over the fp32 top-20 ids, top-1
  agreement, leading greedy tokens agreeing with fp32's continuation.

llama.cpp computes K-quant and legacy-quant products with int8 activations (Q8_K / Q8_0 / Q8_1
blocks) on x86, an f16 KV cache by default, and fp32 elsewhere. The settings used are recorded.
Writes <out>/llamacpp/<model>.json per fixture and <out>/llamacpp/README.md.

Run (the 1.5B model takes about a minute; nothing to install beyond llama-cpp-python):

    nice -n 19 python3 tools/gen_llamacpp_reference.py [--models a,b] \\
        [--fixtures Tests/KVEngineTests/Fixtures/reference]
"""
import argparse
import glob
import json
import os
import platform
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from reference_util import agree_prefix, sha256  # noqa: E402
HOME = os.environ.get("PYRAMIDKV_HOME", os.path.expanduser("~/.cache/pyramidkv"))
SETTINGS = {"n_ctx": 4096, "n_batch": 512, "n_threads": 2, "type_k": "f16", "type_v": "f16", "flash_attn": False}


def last_logits(llm):
    """The logits of the last evaluated token (without logits_all, llama.cpp keeps only those)."""
    return np.array(np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)), dtype=np.float32)


def run_prompt(llm, prompt, eos_ids):
    """Last-position logits after the prompt, and the greedy continuation from them."""
    llm.reset()
    llm.eval(prompt["input_ids"])
    first = last_logits(llm)
    logits, greedy = first, []
    for step in range(len(prompt["fp32"]["greedy"]["ids"])):
        nxt = int(np.argmax(logits))
        greedy.append(nxt)
        if nxt in eos_ids:
            break
        llm.eval([nxt])
        logits = last_logits(llm)
    return first, greedy


def measure(fixture_path, out_dir):
    from llama_cpp import Llama

    ref = json.load(open(fixture_path))
    model = ref["model"]
    path = os.path.join(HOME, "models", model["gguf_file"])
    if not os.path.exists(path):
        sys.exit(f"{path}: missing; fetch it with `pyramidkv models fetch {model['name']}`")
    digest = sha256(path)
    if digest != model["sha256"]:
        sys.exit(f"{path}: sha256 {digest}, the fixture was made from {model['sha256']}")
    llm = Llama(model_path=path, n_ctx=SETTINGS["n_ctx"], n_batch=SETTINGS["n_batch"], n_threads=SETTINGS["n_threads"],
                flash_attn=SETTINGS["flash_attn"], logits_all=False, verbose=False)
    eos = set(ref["config"]["eos_ids"])
    prompts = []
    for p in ref["prompts"]:
        logits, greedy = run_prompt(llm, p, eos)
        ids, fp32 = p["fp32"]["top20"]["ids"], p["fp32"]["top20"]["logits"]
        at_ids = [float(logits[i]) for i in ids]
        prompts.append({
            "name": p["name"],
            "n_tokens": p["n_tokens"],
            "top20_at_fp32_ids": at_ids,
            "top1_id": int(np.argmax(logits)),
            "greedy": {"ids": greedy},
            "band": {
                "max_abs_delta_top20": max(abs(a - b) for a, b in zip(at_ids, fp32)),
                "top1_agree": int(np.argmax(logits)) == ids[0],
                "greedy_agree_prefix": agree_prefix(greedy, p["fp32"]["greedy"]["ids"]),
            },
        })
        print(f"{model['name']} {p['name']}: llama.cpp Δ {prompts[-1]['band']['max_abs_delta_top20']:.4f} "
              f"(bf16 {p['band']['max_abs_delta_top20']:.4f}), greedy {prompts[-1]['band']['greedy_agree_prefix']}"
              f"/{len(p['fp32']['greedy']['ids'])}", flush=True)
    import llama_cpp
    doc = {
        "description": "llama.cpp (llama-cpp-python, CPU) on the input ids of the forward-pass fixture of the same "
                       "name: logits at the fp32 top-20 ids, top-1, greedy continuation, and the band columns "
                       "against transformers fp32.",
        "generator": "tools/gen_llamacpp_reference.py",
        "model": model,
        "llama_cpp": {"llama_cpp_python": llama_cpp.__version__,
                      "system_info": llama_cpp.llama_print_system_info().decode().strip(),
                      "settings": SETTINGS, "cpu": platform.processor() or platform.machine()},
        "prompts": prompts,
    }
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, model["name"] + ".json"), "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    return ref, doc


def write_readme(fixtures, out_dir):
    lines = ["# llama.cpp against transformers fp32 (the frame for the bf16 band)", "",
             "Generated by `tools/gen_llamacpp_reference.py` on the input ids of `../<model>.json`. "
             "Columns as in `../README.md`: max|Δ| over the fp32 top-20 ids, top-1 agreement, leading greedy "
             "tokens agreeing with fp32's continuation.", ""]
    for path in sorted(glob.glob(os.path.join(out_dir, "*.json"))):
        doc = json.load(open(path))
        ref = json.load(open(os.path.join(fixtures, os.path.basename(path))))
        bf16 = {p["name"]: p for p in ref["prompts"]}
        info = doc["llama_cpp"]
        lines += [f"## {doc['model']['name']}", "",
                  f"llama-cpp-python {info['llama_cpp_python']}, {info['settings']}; `{info['system_info']}`", "",
                  "| prompt | n tokens | llama.cpp max\\|Δ\\| | bf16 max\\|Δ\\| | llama.cpp top1 | llama.cpp greedy | bf16 greedy |",
                  "|---|---:|---:|---:|:---:|---:|---:|"]
        for p in doc["prompts"]:
            b, n = bf16[p["name"]], len(bf16[p["name"]]["fp32"]["greedy"]["ids"])
            lines.append(f"| {p['name']} | {p['n_tokens']} | {p['band']['max_abs_delta_top20']:.4f} | "
                         f"{b['band']['max_abs_delta_top20']:.4f} | {'yes' if p['band']['top1_agree'] else 'no'} | "
                         f"{p['band']['greedy_agree_prefix']}/{n} | {b['band']['greedy_agree_prefix']}/{n} |")
        lines.append("")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fixtures", default=os.path.join(ROOT, "Tests/KVEngineTests/Fixtures/reference"))
    ap.add_argument("--models", default="", help="comma-separated fixture names (default: every fixture)")
    args = ap.parse_args()
    out_dir = os.path.join(args.fixtures, "llamacpp")
    names = [n for n in args.models.split(",") if n] or [
        os.path.basename(p)[:-5] for p in sorted(glob.glob(os.path.join(args.fixtures, "*.json")))]
    for name in names:
        measure(os.path.join(args.fixtures, name + ".json"), out_dir)
    write_readme(args.fixtures, out_dir)


if __name__ == "__main__":
    main()
