#!/usr/bin/env python3
"""llama.cpp baseline for `pyramidkv bench --baseline-script tools/bench_llamacpp.py`.

Same protocol as the Swift bench: the haystack essays tokenized and repeated to each context
length, one prefill (n_batch 512), then greedy decode of N tokens; peak RSS per length (VmHWM,
reset through /proc/self/clear_refs). Prints a JSON list of rows on stdout.
Requires: pip install llama-cpp-python (builds llama.cpp from source, ~20 min on 2 cores).
"""
import argparse
import glob
import json
import os
import time

import llama_cpp
import numpy as np
from llama_cpp import Llama


def peak_rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def last_logits(llm):
    """Logits of the last evaluated token (llama_get_logits_ith(ctx, -1))."""
    ptr = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(ptr, shape=(llm.n_vocab(),))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--context", default="1024,4096,8000")
    ap.add_argument("--decode", type=int, default=128)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=1)
    a = ap.parse_args()
    lengths = [int(x) for x in a.context.split(",")]
    llm = Llama(a.model, n_ctx=max(lengths) + a.decode + 16, n_threads=a.threads, n_threads_batch=a.threads,
                n_batch=512, n_ubatch=512, verbose=False)
    home = os.environ.get("PYRAMIDKV_HOME", os.path.expanduser("~/.cache/pyramidkv"))
    files = sorted(glob.glob(f"{home}/haystack/PaulGrahamEssays/*.txt"))
    text = "".join(open(f, encoding="utf-8").read() for f in files) or "The grass is green. " * 2000
    pool = llm.tokenize(text.encode(), add_bos=False, special=False)
    rows = []
    for n in lengths:
        ids = (pool * (n // len(pool) + 1))[:n]
        samples = []
        for _ in range(max(1, a.repeats)):
            reset_peak()
            llm.reset()
            t0 = time.perf_counter()
            llm.eval(ids)
            prefill = time.perf_counter() - t0
            nxt = int(np.argmax(last_logits(llm)))
            t1 = time.perf_counter()
            for _ in range(a.decode):
                llm.eval([nxt])
                nxt = int(np.argmax(last_logits(llm)))
            dec = time.perf_counter() - t1
            samples.append({"context": n, "prefill_tps": n / prefill, "decode_tps": a.decode / dec if a.decode else 0.0,
                            "peak_rss_mib": peak_rss_mib(), "kv_bytes": 0})
        samples.sort(key=lambda r: r["prefill_tps"])
        rows.append(samples[len(samples) // 2])
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
