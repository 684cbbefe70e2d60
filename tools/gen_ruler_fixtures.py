#!/usr/bin/env python3
"""Golden fixtures for the Swift port of RULER's synthetic tasks (Sources/KVEval/RULER).

Runs RULER's own generator scripts (niah.py, variable_tracking.py, common_words_extraction.py)
and metrics (scripts/eval/synthetic/constants.py, evaluate.py's postprocess_pred), read with
`git show` from the NVIDIA/RULER mirror into a temporary directory (nothing of RULER is copied
into this repository). Each script runs as `__main__` with the argv prepare.py would give it
(`--model_template_type base`, `--tokenizer_type hf`), with three stand-ins:

  * `tokenizer.select_tokenizer` returns the project's reference tokenizer for the default model
    (tools/reference_tokenizer.py; `text_to_tokens` = HF `tokenize`, no special tokens added),
  * `manifest_utils.write_manifest` captures the records instead of writing them,
  * `nltk.tokenize.sent_tokenize` is `simple_sent_tokenize` below (the Swift port's documented
    splitter, not punkt), and json/PaulGrahamEssays.json is written from the project's needle
    haystack (sorted *.txt, concatenated), as RULEREssayHaystack.swift describes; so the essay
    tasks check RULER's procedure and draws, not RULER's published essay samples.

Needs: python3 (3.11 is what the fixtures were made with), numpy, pyyaml, tqdm, tokenizers, gguf,
wonderwords==3.0.1 (the version scripts/fetch-assets extracts the word lists from).

    python3 tools/gen_ruler_fixtures.py [--ruler /work/.mirror/NVIDIA+RULER/repo] [--model GGUF]

Writes Tests/KVEvalTests/Fixtures/ruler/{python_random,metric,tasks}.json.
"""
import argparse
import ast
import hashlib
import json
import os
import random
import runpy
import subprocess
import sys
import tempfile
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "Tests", "KVEvalTests", "Fixtures", "ruler")
sys.path.insert(0, HERE)
from reference_tokenizer import DEFAULT_MODEL, ReferenceTokenizer  # noqa: E402

# (task, max_seq_length, num_samples)
RUNS = [
    ("niah_single_1", 1024, 20), ("niah_single_1", 2048, 20), ("niah_single_1", 4096, 4),
    ("niah_multikey_2", 1024, 20), ("niah_multikey_2", 2048, 20), ("niah_multikey_2", 4096, 4),
    ("niah_multikey_3", 1024, 20), ("niah_multikey_3", 2048, 20),
    ("vt", 1024, 20), ("vt", 2048, 20), ("vt", 4096, 4),
    ("cwe", 1024, 20), ("cwe", 2048, 20), ("cwe", 4096, 4),
]
ESSAY_TASKS = ["niah_single_2", "niah_single_3", "niah_multikey_1", "niah_multivalue", "niah_multiquery"]
ESSAY_RUNS = [(t, m, 4) for t in ESSAY_TASKS for m in (1024, 2048)] + [("niah_multikey_1", 4096, 2)]
HAYSTACK = os.path.expanduser("~/.cache/pyramidkv/haystack/PaulGrahamEssays")


def simple_sent_tokenize(text):
    """The stand-in for nltk's punkt sent_tokenize (RULEREssayHaystack.sentences)."""
    import re
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def essay_text(directory):
    """The project's needle haystack as one text: sorted *.txt, universal newlines, concatenated."""
    import glob
    text = ""
    for f in sorted(glob.glob(os.path.join(directory, "*.txt"))):
        with open(f, encoding="utf-8") as fh:
            text += fh.read()
    return text
SEED = 42


def git_show(repo, path):
    return subprocess.run(["git", "-C", repo, "show", "HEAD:" + path], check=True, capture_output=True).stdout.decode("utf-8")


def head_commit(repo):
    return subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True, capture_output=True).stdout.decode().strip()


class RulerTokenizer:
    """RULER's HFTokenizer.text_to_tokens: tokenizer.tokenize(text)."""

    def __init__(self, ref):
        self.ref = ref

    def text_to_tokens(self, text):
        return self.ref.tk.encode(text, add_special_tokens=False).tokens


def install_stubs(ref, captured):
    tok = types.ModuleType("tokenizer")
    tok.select_tokenizer = lambda tokenizer_type, tokenizer_path: RulerTokenizer(ref)
    sys.modules["tokenizer"] = tok
    mu = types.ModuleType("manifest_utils")
    mu.write_manifest = lambda path, jsons: captured.append(list(jsons))
    sys.modules["manifest_utils"] = mu
    nltk = types.ModuleType("nltk")
    nltk_tok = types.ModuleType("nltk.tokenize")

    nltk_tok.sent_tokenize = simple_sent_tokenize
    nltk.tokenize = nltk_tok
    sys.modules["nltk"] = nltk
    sys.modules["nltk.tokenize"] = nltk_tok


def ruler_tree(repo, tmp, haystack):
    syn = os.path.join(tmp, "synthetic")
    os.makedirs(syn)
    for f in ["niah.py", "variable_tracking.py", "common_words_extraction.py", "constants.py"]:
        open(os.path.join(syn, f), "w").write(git_show(repo, "scripts/data/synthetic/" + f))
    # common_words_extraction.py loads json/english_words.json at import; it samples from it only
    # when an example needs more words than wonderwords has, which none of RUNS does. The mirror
    # holds only its Git LFS pointer, so an empty stand-in is written (that branch would raise).
    os.makedirs(os.path.join(syn, "json"))
    open(os.path.join(syn, "json", "english_words.json"), "w").write("{}")
    json.dump({"text": essay_text(haystack)}, open(os.path.join(syn, "json", "PaulGrahamEssays.json"), "w"))
    open(os.path.join(tmp, "template.py"), "w").write(git_show(repo, "scripts/data/template.py"))
    open(os.path.join(tmp, "synthetic.yaml"), "w").write(git_show(repo, "scripts/synthetic.yaml"))
    return syn


def prepare_args(tmp, syn, task, max_len, n, model):
    """The command line prepare.py builds (model template `base`, chunk 0 of 1)."""
    import yaml
    sys.path.insert(0, syn)
    sys.path.insert(0, tmp)
    consts = runpy.run_path(os.path.join(syn, "constants.py"))
    templates = runpy.run_path(os.path.join(tmp, "template.py"))["Templates"]
    config = yaml.safe_load(open(os.path.join(tmp, "synthetic.yaml")))[task]
    config.update(consts["TASKS"][config["task"]])
    template = templates["base"].format(task_template=config["template"]) + config.get("answer_prefix", "")
    argv = [os.path.join(syn, config["task"] + ".py"),
            "--save_dir", os.path.join(tmp, "out"), "--save_name", task, "--subset", "validation",
            "--tokenizer_path", model, "--tokenizer_type", "hf",
            "--max_seq_length", str(max_len), "--tokens_to_generate", str(config["tokens_to_generate"]),
            "--num_samples", str(n), "--random_seed", str(SEED)]
    for k, v in config["args"].items():
        argv += ["--" + k, str(v)]
    argv += ["--template", template]
    return argv


def gen_tasks(repo, model, haystack):
    ref = ReferenceTokenizer(model)
    captured = []
    install_stubs(ref, captured)
    import logging
    logging.basicConfig = lambda *a, **k: None
    logging.disable(logging.INFO)
    os.environ["TQDM_DISABLE"] = "1"
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        syn = ruler_tree(repo, tmp, haystack)
        for task, max_len, n in RUNS + ESSAY_RUNS:
            argv = prepare_args(tmp, syn, task, max_len, n, model)
            captured.clear()
            sys.argv = argv
            sys.modules.pop("constants", None)
            runpy.run_path(argv[0], run_name="__main__")
            recs = captured[-1]
            samples = []
            for r in recs:
                samples.append({
                    "input_sha256": hashlib.sha256(r["input"].encode("utf-8")).hexdigest(),
                    "input_chars": len(r["input"]),
                    "input_head": r["input"][:200],
                    "input_tail": r["input"][-200:],
                    "answer_prefix": r["answer_prefix"],
                    "outputs": r["outputs"],
                    "length": r["length"],
                })
            runs.append({"task": task, "max_seq_length": max_len, "num_samples": n, "seed": SEED,
                         "essay": task in ESSAY_TASKS, "samples": samples})
            print(f"{task} {max_len}: {len(samples)} samples, lengths {[s['length'] for s in samples][:6]}...", file=sys.stderr)
    return runs


def gen_random():
    """CPython random / numpy legacy values for PythonRandom and NumpyLegacyRandom."""
    cases = []
    for seed in [0, 1, 42, 12345, 2**32 - 1, 2**32 + 5, 2**62 + 3, -42]:
        r = random.Random(seed)
        c = {"seed": seed}
        c["random"] = [r.random() for _ in range(5)]
        c["getrandbits"] = [[k, str(r.getrandbits(k))] for k in [1, 5, 31, 32, 33, 63, 64, 128]]
        c["randint"] = [[a, b, r.randint(a, b)] for a, b in [(0, 0), (1, 6), (10**6, 10**7 - 1), (0, 2**40), (-5, 5)]]
        c["randrange"] = [[a, b, r.randrange(a, b)] for a, b in [(0, 1), (0, 2), (3, 100), (0, 1000003)]]
        c["choice_index"] = [[n, r.choice(range(n))] for n in [1, 2, 26, 6190584, 100000]]
        c["choices"] = r.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=12)
        x = list(range(30))
        r.shuffle(x)
        c["shuffle30"] = x
        samples = []
        for n, k in [(1, 1), (5, 5), (21, 3), (22, 1), (100, 5), (10, 6), (50, 6), (85, 20), (86, 20),
                     (8000, 20), (1000, 100), (300, 200), (40, 40), (7, 0)]:
            samples.append([n, k, r.sample(range(n), k)])
        c["sample"] = samples
        c["after"] = r.getrandbits(32)
        cases.append(c)
    npc = []
    for seed in [0, 42, 2**32 - 1]:
        np.random.seed(seed)
        npc.append({"seed": seed, "randint": [[lo, hi, int(np.random.randint(lo, hi))]
                                             for lo, hi in [(10000, 99999)] * 8 + [(0, 1), (0, 2), (5, 2**32 + 5), (0, 7)]]})
    setsize = []
    for k in list(range(0, 60)) + [100, 341, 342, 1365, 1366, 5461, 5462, 10000]:
        s = 21
        if k > 5:
            import math
            s += 4 ** math.ceil(math.log(k * 3, 4))
        setsize.append([k, s])
    depths = [int(d) for d in np.round(np.linspace(0, 100, num=40, endpoint=True)).astype(int)]
    return {"depths40": depths, "python": sys.version.split()[0], "numpy": np.__version__, "cases": cases, "numpy_cases": npc, "setsize": setsize}


def ruler_metrics(repo):
    ns = {}
    exec(compile(git_show(repo, "scripts/eval/synthetic/constants.py"), "constants.py", "exec"), ns)
    src = git_show(repo, "scripts/eval/evaluate.py")
    tree = ast.parse(src)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "postprocess_pred")
    pns = {"re": __import__("re")}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), "evaluate.py", "exec"), pns)
    return ns["string_match_all"], ns["string_match_part"], pns["postprocess_pred"]


def gen_metric(repo):
    match_all, match_part, post = ruler_metrics(repo)
    rng = random.Random(7)
    refs_pool = ["8123456", "7654321", "apple-pie", "Dolores Park", "ABCDE", "VAR", "straße", "İstanbul",
                 "ΟΔΟΣ", "x", "", "café", "9f1c2d3e-aaaa-4bbb-8ccc-0123456789ab", "word", "WORD", "the answer"]
    junk = ["", " ", "\n", "\t", "\x00", "\x1f", "\x7f", "\r\n", " The answer is ", ", ", "and ", "\u00a0",
            "\u2028", "ο", "odos", "ς", "σ", "istanbul", "i\u0307stanbul", "STRASSE", "Straße", "CAFÉ"]
    cases = []
    for i in range(260):
        refs = rng.sample(refs_pool, rng.randint(1, 4))
        parts = []
        for _ in range(rng.randint(0, 6)):
            if rng.random() < 0.45 and refs:
                w = rng.choice(refs)
                w = rng.choice([w, w.upper(), w.lower(), w.title(), w[: max(0, len(w) - 1)]])
                parts.append(w)
            else:
                parts.append(rng.choice(junk))
        pred = "".join(parts)
        pp = post(pred, {})
        cases.append({
            "prediction": pred, "references": refs, "postprocessed": pp,
            "string_match_all": match_all([pp], [refs]), "string_match_part": match_part([pp], [refs]),
        })
    batches = []
    for b in range(12):
        idx = rng.sample(range(len(cases)), rng.randint(1, 25))
        preds = [cases[i]["postprocessed"] for i in idx]
        refs = [cases[i]["references"] for i in idx]
        batches.append({"indices": idx, "string_match_all": match_all(preds, refs), "string_match_part": match_part(preds, refs)})
    return {"cases": cases, "batches": batches}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ruler", default="/work/.mirror/NVIDIA+RULER/repo")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--haystack", default=HAYSTACK)
    ap.add_argument("--only", choices=["random", "metric", "tasks"])
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)

    def write(name, obj):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(obj, f, ensure_ascii=True, indent=0)
            f.write("\n")
        print("wrote", os.path.join(OUT, name), file=sys.stderr)

    if a.only in (None, "random"):
        write("python_random.json", gen_random())
    if a.only in (None, "metric"):
        write("metric.json", gen_metric(a.ruler))
    if a.only in (None, "tasks"):
        import wonderwords
        version = getattr(wonderwords, "__version__", None)
        write("tasks.json", {"ruler_commit": head_commit(a.ruler), "python": sys.version.split()[0],
                             "numpy": np.__version__, "wonderwords": version, "runs": gen_tasks(a.ruler, a.model, a.haystack)})


if __name__ == "__main__":
    main()
