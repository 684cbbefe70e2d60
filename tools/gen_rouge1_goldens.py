#!/usr/bin/env python3
"""ROUGE-1 goldens from pip `rouge` 1.0.1 (pltrdy), as LongBench's metrics.py and kvpress's needle
scorer call it: Rouge().get_scores([hyp], [ref], avg=True)["rouge-1"] (r, p, f); an empty side
raises ValueError, which those callers score as 0.

    pip install rouge==1.0.1 && python3 tools/gen_rouge1_goldens.py

Writes Tests/KVEvalTests/Fixtures/rouge1_goldens.json.
"""
import json
import os
import random

import rouge
from rouge import Rouge

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
R = random.Random(20240602)
NEEDLE = "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day."
WORDS = (NEEDLE + " the a of park Park sunny Sunny sandwich. beach watch movie go to I don't know answer "
         "is: San Francisco's best thing, Dolores day! 1 2 café naïve ΟΔΥΣΣΕΥΣ 三 个").split()


def text(lo, hi):
    out = []
    for _ in range(R.randint(lo, hi)):
        out.append(R.choice(WORDS))
        if R.random() < 0.1:
            out.append(R.choice([".", ". ", ",", "!", "\n", "  "]))
    return " ".join(out)


def score(hyp, ref):
    try:
        s = Rouge().get_scores([hyp], [ref], avg=True)["rouge-1"]
        return {"r": s["r"], "p": s["p"], "f": s["f"]}
    except ValueError:
        return {"r": 0.0, "p": 0.0, "f": 0.0}


def main():
    fixed = [NEEDLE, "", ".", " ", "The best thing to do in San Francisco is to eat a sandwich and sit in Dolores Park on a sunny day.",
             "eat a sandwich and watch a movie", "I don't know.", "The best thing to do in San Francisco is",
             "Dolores Park. Sunny day. Sandwich.", NEEDLE.upper(), NEEDLE.replace(" ", "  "), NEEDLE + " " + NEEDLE,
             "sandwich\nDolores Park", "The best thing to do in San Francisco is eat a sandwich and sit in Dolores Park on a sunny day"]
    cases = [{"hypothesis": h, "reference": NEEDLE} for h in fixed]
    cases += [{"hypothesis": NEEDLE, "reference": r} for r in ["", ".", "eat a sandwich", "a. b. c."]]
    while len(cases) < 260:
        ref = NEEDLE if R.random() < 0.5 else text(1, 20)
        hyp = R.choice([text(0, 25), " ".join(R.sample(ref.split(" "), max(1, len(ref.split(" ")) // 2))) if ref.strip() else ""])
        cases.append({"hypothesis": hyp, "reference": ref})
    for c in cases:
        c.update(score(c["hypothesis"], c["reference"]))
    path = os.path.join(ROOT, "Tests", "KVEvalTests", "Fixtures", "rouge1_goldens.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"generator": "tools/gen_rouge1_goldens.py", "rouge": getattr(rouge, "__version__", "1.0.1"),
                   "cases": cases}, f, ensure_ascii=False, indent=0)
        f.write("\n")
    print(len(cases), "cases ->", path)


if __name__ == "__main__":
    main()
