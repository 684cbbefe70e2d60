#!/usr/bin/env python3
"""Paired differences between two exported experiments over the same samples, with a bootstrap
that resamples *contexts*, not samples: under `questions: k` the k questions of one haystack are
not independent (one compressed cache serves them all), so the per-sample interval of
`pyramidkv results compare` is too narrow. Clusters are the lead record ids (a follow-up
"<task>-<i>-q<j>" belongs to "<task>-<i>"); Δ is the mean over samples (as the compare table),
each replicate draws the same number of contexts with replacement. A needle cell (no record id)
is its own context. The last row pools every row: each context's differences over all rows
together, so the rows that share a context (one prompt, 26 policy × budget configurations) are
resampled together, e.g. for one protocol run in two numerics modes.

Usage: python3 tools/cluster_paired_bootstrap.py CANDIDATE.jsonl.gz BASELINE.jsonl.gz
           [--questions all|leads|follow-ups] [--resamples 10000] [--seed 20240601]
Prints one Markdown row per policy × budget present in both, then the pooled row.
"""
import argparse
import gzip
import json
import re
from collections import defaultdict

import numpy as np


def load(path):
    """{row label: {sample id: (cluster, is_follow_up, score)}} from a `results export` file."""
    samples, rows = {}, defaultdict(dict)
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            if "sample" in o and "id" in o:
                samples[o["id"]] = o["sample"]
            elif "predictions" in o:
                spec = o["spec"]
                policy = spec["policy"]["name"]
                label = policy if spec["budget"] == 0 else f"{policy}@{spec['budget']}"
                for p in o["predictions"]:
                    if p.get("score") is None:
                        continue
                    sid = p["result"]["sample_id"]
                    s = samples[sid]
                    context = re.sub(r"-q\d+$", "", s["record_id"]) if "record_id" in s else sid
                    cluster = s["dataset"] + "/" + context
                    rows[label][spec["dataset"] + "/" + sid] = (cluster, s.get("question_index") is not None, p["score"])
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("candidate")
    ap.add_argument("baseline")
    ap.add_argument("--questions", choices=["all", "leads", "follow-ups"], default="all")
    ap.add_argument("--resamples", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=20240601)
    args = ap.parse_args()
    a, b = load(args.candidate), load(args.baseline)
    keep = {"all": lambda f: True, "leads": lambda f: not f, "follow-ups": lambda f: f}[args.questions]
    rng = np.random.default_rng(args.seed)
    print("| row | n (contexts) | Δ | 95 % CI, contexts resampled |")
    print("|---|---|---|---|")
    pooled, pairs = {}, 0
    for label in a:
        if label not in b:
            continue
        common = [k for k in a[label] if k in b[label] and keep(a[label][k][1])]
        if not common:
            continue
        clusters = sorted({a[label][k][0] for k in common})
        index = {c: i for i, c in enumerate(clusters)}
        sums, counts = np.zeros(len(clusters)), np.zeros(len(clusters))
        for k in common:
            i = index[a[label][k][0]]
            d = a[label][k][2] - b[label][k][2]
            sums[i] += d
            counts[i] += 1
            total = pooled.setdefault(a[label][k][0], [0.0, 0])
            total[0] += d
            total[1] += 1
        pairs += len(common)
        print(interval(label, len(common), sums, counts, rng, args.resamples))
    if pooled:
        sums = np.array([v[0] for v in pooled.values()])
        counts = np.array([v[1] for v in pooled.values()])
        print(interval("all rows pooled", pairs, sums, counts, rng, args.resamples))


def interval(label, n, sums, counts, rng, resamples):
    """A Markdown row: mean difference over pairs and its interval with contexts resampled."""
    delta = sums.sum() / counts.sum()
    draws = rng.integers(0, len(sums), size=(resamples, len(sums)))
    reps = sums[draws].sum(axis=1) / counts[draws].sum(axis=1)
    lo, hi = np.percentile(reps, [2.5, 97.5])
    return f"| {label} | {n} ({len(sums)}) | {100 * delta:+.2f} | [{100 * lo:+.2f}, {100 * hi:+.2f}] |"


if __name__ == "__main__":
    main()
