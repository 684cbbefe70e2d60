"""Prompt ids for the tools/ reference generators: the haystack essays (sorted by file name)
tokenized with HF `tokenizers` built from the GGUF vocabulary (see gen_tokenizer_vectors.py)."""
import glob
import os

from gen_tokenizer_vectors import build


def haystack_ids(model, home, n):
    files = sorted(glob.glob(os.path.join(home, "haystack/PaulGrahamEssays/*.txt")))
    text = "".join(open(f, encoding="utf-8").read() for f in files)
    ids = build(model).encode(text, add_special_tokens=False).ids
    return ids[:n]
