"""Helpers the reference generators share (gen_model_reference.py, gen_llamacpp_reference.py, gen_ruler_fixtures.py)."""
import hashlib


def sha256(path):
    """The file's sha256, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def agree_prefix(a, b):
    """How many leading tokens two continuations share."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n
