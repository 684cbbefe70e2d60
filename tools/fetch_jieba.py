#!/usr/bin/env python3
"""Fetch jieba 0.42.1's data for KVEval's Swift port of `jieba.cut` (HMM on).

Downloads the jieba 0.42.1 source distribution from PyPI with pip (or reads an installed
jieba 0.42.1 with --installed), and writes into ~/.cache/pyramidkv/jieba-0.42.1/:
  dict.txt   the main dictionary, byte for byte (sha256 checked)
  hmm.json   finalseg's prob_start / prob_trans / prob_emit (Python literals → JSON, floats exact)

    python3 tools/fetch_jieba.py [--installed] [--out DIR]
"""
import argparse
import ast
import glob
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile

VERSION = "0.42.1"
EXPECTED_DICT_SHA256 = "7197c3211ddd98962b036cdf40324d1ea2bfaa12bd028e68faa70111a88e12a8"
OUT = os.path.expanduser("~/.cache/pyramidkv/jieba-%s" % VERSION)


def literal_dict(src):
    tree = ast.parse(src)
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "P":
            return ast.literal_eval(node.value)
    raise ValueError("no P = {...} in probability file")


def from_dir(root):
    with open(os.path.join(root, "dict.txt"), "rb") as f:
        dict_bytes = f.read()
    probs = {}
    for name in ("start", "trans", "emit"):
        with open(os.path.join(root, "finalseg", "prob_%s.py" % name), encoding="utf-8") as f:
            probs[name] = literal_dict(f.read())
    return dict_bytes, probs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--installed", action="store_true", help="read the installed jieba package instead of downloading")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    if args.installed:
        import jieba
        assert jieba.__version__ == VERSION, jieba.__version__
        dict_bytes, probs = from_dir(os.path.dirname(jieba.__file__))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                                   "-d", tmp, "jieba==%s" % VERSION])
            sdist = glob.glob(os.path.join(tmp, "jieba-%s*" % VERSION))[0]
            with tarfile.open(sdist) as tf:
                if hasattr(tarfile, "data_filter"):
                    tf.extractall(tmp, filter="data")
                else:
                    tf.extractall(tmp)
            dict_bytes, probs = from_dir(os.path.join(tmp, "jieba-%s" % VERSION, "jieba"))
    digest = hashlib.sha256(dict_bytes).hexdigest()
    if digest != EXPECTED_DICT_SHA256:
        sys.exit("dict.txt sha256 %s differs from jieba %s's %s" % (digest, VERSION, EXPECTED_DICT_SHA256))
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "dict.txt"), "wb") as f:
        f.write(dict_bytes)
    with open(os.path.join(args.out, "hmm.json"), "w", encoding="utf-8") as f:
        json.dump({"version": VERSION, "start": probs["start"], "trans": probs["trans"], "emit": probs["emit"]},
                  f, ensure_ascii=False)
    print("jieba %s data -> %s" % (VERSION, args.out))


if __name__ == "__main__":
    main()
