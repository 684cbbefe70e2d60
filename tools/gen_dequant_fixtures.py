#!/usr/bin/env python3
"""Dequantization fixtures: random ggml blocks of every type the engine supports, with the
values the `gguf` Python package (gguf.quants.dequantize) gives for them.

Writes Tests/KVEngineTests/Fixtures/dequant_fixtures.json. Run: python3 tools/gen_dequant_fixtures.py
Requires: pip install gguf==0.19.0 numpy
"""
import json
import pathlib

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests/KVEngineTests/Fixtures/dequant_fixtures.json"
TYPES = ["F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q4_K", "Q5_K", "Q6_K"]
# Byte offsets of the fp16 scale fields inside each block, set to sane values so the
# dequantized numbers are finite and exercise sign and magnitude.
F16_FIELDS = {"Q4_0": [0], "Q4_1": [0, 2], "Q5_0": [0], "Q5_1": [0, 2], "Q8_0": [0], "Q4_K": [0, 2], "Q5_K": [0, 2], "Q6_K": [208]}


def random_blocks(name, rng, n_blocks):
    block_elems, block_bytes = gguf.GGML_QUANT_SIZES[T[name]]
    if name == "F32":
        return rng.standard_normal(n_blocks * 64).astype(np.float32).view(np.uint8), n_blocks * 64
    if name == "F16":
        vals = np.concatenate([rng.standard_normal(n_blocks * 64 - 4), [0.0, -0.0, 6.1e-5, 1e-7]]).astype(np.float16)
        return vals.view(np.uint8), vals.size
    if name == "BF16":
        bits = (rng.standard_normal(n_blocks * 64).astype(np.float32).view(np.uint32) >> 16).astype(np.uint16)
        return bits.view(np.uint8), bits.size
    raw = rng.integers(0, 256, size=(n_blocks, block_bytes), dtype=np.uint8)
    for off in F16_FIELDS[name]:
        scales = (rng.standard_normal(n_blocks) * 0.05).astype(np.float16)
        raw[:, off:off + 2] = scales.view(np.uint8).reshape(n_blocks, 2)
    return raw.reshape(-1), n_blocks * block_elems


def main():
    rng = np.random.default_rng(20261129)
    cases = []
    for name in TYPES:
        data, n = random_blocks(name, rng, 4)
        values = dequantize(data, T[name]).astype(np.float32).reshape(-1)
        assert values.size == n, (name, values.size, n)
        cases.append({"type": name, "elements": int(n), "bytes_hex": data.tobytes().hex(),
                      "values": [float(v) for v in values]})
    OUT.write_text(json.dumps({"generator": "tools/gen_dequant_fixtures.py", "gguf_version": gguf.__version__ if hasattr(gguf, "__version__") else "0.19.0",
                               "cases": cases}, indent=0))
    print(f"wrote {OUT} ({len(cases)} types)")


if __name__ == "__main__":
    main()
