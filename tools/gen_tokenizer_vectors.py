#!/usr/bin/env python3
"""Tokenizer fixtures for the default model: token ids from HF `tokenizers` built directly from
the GGUF vocabulary and merges with the `smollm` pre-tokenizer (each digit isolated, then the
GPT-2 byte-level regex). This agrees with llama.cpp's tokenizer on this model (see
../shared/reference/vectors/README.md); transformers' own GGUF conversion does not.

Writes Tests/KVEngineTests/Fixtures/tokenizer_cases.json.
Run: python3 tools/gen_tokenizer_vectors.py [MODEL.gguf]
Requires: pip install gguf==0.19.0 tokenizers==0.22.2
"""
import json
import os
import pathlib
import sys

import gguf
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/KVEngineTests/Fixtures/tokenizer_cases.json"
HOME = os.environ.get("PYRAMIDKV_HOME", os.path.expanduser("~/.cache/pyramidkv"))
MODEL = sys.argv[1] if len(sys.argv) > 1 else f"{HOME}/models/SmolLM2-135M-Instruct.Q4_1.gguf"

STRINGS = [
    # ASCII and punctuation
    "Hello world", "Hello, world!", "The quick brown fox jumps over the lazy dog.",
    "a", "", " ", "!!!???...", "e-mail: someone@example.com; url=https://x.org/a?b=c&d=e",
    # whitespace runs and newlines
    "  leading spaces", "trailing spaces   ", "tabs\tand\t\ttabs", "line1\nline2\n\nline4",
    "\n\n\n", "mixed \t \n whitespace \r\n end", "word    word", "    ",
    # digits (smollm splits each digit)
    "1234567890", "The year 2024 had 366 days.", "3.14159 and -42 and 1e10", "007 bond", "x2y3z4",
    # code
    "def f(x):\n    return x ** 2  # square\n", "for (int i = 0; i < n; ++i) { sum += a[i]; }",
    "const url = `${base}/api/v1`;", "SELECT * FROM t WHERE id = 'abc';", "#include <stdio.h>\nint main(){return 0;}",
    # contractions
    "I'm sure you're right, it's what they've said and we'll do", "DON'T SHOUT, I'LL LISTEN", "rock'n'roll 'quoted'",
    # accents and other Latin
    "café naïve résumé Über Straße", "Ångström œuvre ñandú", "ﬁancé (ligature)",
    # emoji and symbols
    "I love pizza 🍕🍕 and 🚀!", "👨‍👩‍👧‍👦 family", "★☆✓✗ →←", "€100 £50 ¥1000 ₹20",
    # CJK and other scripts
    "你好，世界！这是一个测试。", "日本語のテキストです", "한국어 문장입니다", "Привет, мир!", "Γειά σου Κόσμε",
    "مرحبا بالعالم", "שלום עולם", "नमस्ते दुनिया",
    # other scripts' digits
    "Arabic-Indic ٠١٢٣٤٥٦٧٨٩", "Devanagari ०१२३", "fullwidth １２３４", "Roman Ⅻ and ½ ¾ ²",
    # special-token text is plain text unless parsed
    "<|im_start|>user\nhi<|im_end|>", "mixed <|endoftext|> inside",
]


def build(path):
    r = gguf.GGUFReader(path)
    f = r.fields
    tokens = [bytes(f["tokenizer.ggml.tokens"].parts[i]).decode("utf-8") for i in f["tokenizer.ggml.tokens"].data]
    merges = [bytes(f["tokenizer.ggml.merges"].parts[i]).decode("utf-8") for i in f["tokenizer.ggml.merges"].data]
    vocab = {t: i for i, t in enumerate(tokens)}
    pairs = [tuple(m.split(" ", 1)) for m in merges]
    tok = Tokenizer(models.BPE(vocab=vocab, merges=pairs, fuse_unk=False, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(r"\p{N}"), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    return tok


def main():
    tok = build(MODEL)
    cases = []
    for s in STRINGS:
        ids = tok.encode(s, add_special_tokens=False).ids
        cases.append({"text": s, "ids": ids, "decoded": tok.decode(ids, skip_special_tokens=False)})
    OUT.write_text(json.dumps({"generator": "tools/gen_tokenizer_vectors.py",
                               "reference": "HF tokenizers from GGUF vocab/merges, smollm pre-tokenizer",
                               "cases": cases}, ensure_ascii=False, indent=1))
    print(f"wrote {OUT} ({len(cases)} strings)")


if __name__ == "__main__":
    main()
