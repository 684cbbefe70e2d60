"""The reference tokenizer for SmolLM2-135M-Instruct built from the GGUF's own vocab and merges
with HF `tokenizers` (BPE, `smollm` pre-tokenizer = individual digits + GPT-2 byte-level regex,
byte-level decoder, the GGUF's special tokens as added special tokens), as
../shared/reference/vectors/README.md describes. Not transformers' GGUF conversion (it is wrong
for this model). Checked against reference/vectors/tokenizer_vectors.json by `self_check`.
"""
import json
import os

import gguf
from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, pre_tokenizers

DEFAULT_MODEL = os.path.expanduser("~/.cache/pyramidkv/models/SmolLM2-135M-Instruct.Q4_1.gguf")

GPT2_REGEX = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"


def _field(reader, name):
    f = reader.fields[name]
    if len(f.types) and f.types[0] == gguf.GGUFValueType.ARRAY:
        return [f.contents(i) for i in range(len(f.data))] if hasattr(f, "contents") else [bytes(f.parts[i]).decode("utf-8") for i in f.data]
    return f.contents() if hasattr(f, "contents") else f.parts[f.data[0]].tolist()[0]


def _strings(reader, name):
    f = reader.fields[name]
    return [bytes(f.parts[i]).decode("utf-8") for i in f.data]


def _ints(reader, name):
    f = reader.fields[name]
    return [int(f.parts[i][0]) for i in f.data]


def _scalar(reader, name, default=None):
    if name not in reader.fields:
        return default
    f = reader.fields[name]
    v = f.parts[f.data[0]]
    if f.types[0] == gguf.GGUFValueType.STRING:
        return bytes(v).decode("utf-8")
    return v.tolist()[0]


class ReferenceTokenizer:
    def __init__(self, path=DEFAULT_MODEL):
        r = gguf.GGUFReader(path)
        tokens = _strings(r, "tokenizer.ggml.tokens")
        merges = _strings(r, "tokenizer.ggml.merges")
        types = _ints(r, "tokenizer.ggml.token_type")
        vocab = {t: i for i, t in enumerate(tokens)}
        bpe = models.BPE(vocab=vocab, merges=[tuple(m.split(" ", 1)) for m in merges],
                         byte_fallback=False, fuse_unk=False)
        tk = Tokenizer(bpe)
        tk.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Split(Regex(r"\p{N}"), behavior="isolated"),
            pre_tokenizers.Split(Regex(GPT2_REGEX), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ])
        tk.decoder = decoders.ByteLevel()
        # GGUF token_type 3 = CONTROL (special), 4 = USER_DEFINED.
        special = [AddedToken(t, special=True, normalized=False) for t, ty in zip(tokens, types) if ty == 3]
        tk.add_special_tokens(special)
        self.tk = tk
        self.special_ids = {vocab[a.content] for a in special}
        self.bos_id = _scalar(r, "tokenizer.ggml.bos_token_id")
        self.eos_id = _scalar(r, "tokenizer.ggml.eos_token_id")
        self.add_bos = bool(_scalar(r, "tokenizer.ggml.add_bos_token", False))
        self.chat_template = _scalar(r, "tokenizer.chat_template")

    # HF-style API the reference scripts use.
    def __call__(self, text):
        """tokenizer(text).input_ids: add_special_tokens=True."""
        ids = self.encode(text, add_special_tokens=False)
        return ([self.bos_id] if self.add_bos else []) + ids

    def encode(self, text, add_special_tokens=True):
        ids = self.tk.encode(text, add_special_tokens=False).ids
        if add_special_tokens and self.add_bos:
            ids = [self.bos_id] + ids
        return ids

    def decode(self, ids, skip_special_tokens=True):
        return self.tk.decode(list(ids), skip_special_tokens=skip_special_tokens)

    def chat(self, user):
        """The GGUF chat template (SmolLM2's ChatML with its default system message)."""
        import jinja2
        t = jinja2.Environment().from_string(self.chat_template)
        return t.render(messages=[{"role": "user", "content": user}], add_generation_prompt=True)


def self_check(tok, vectors_path):
    d = json.load(open(vectors_path))
    bad = 0
    for c in d["cases"]:
        ids = tok.encode(c["text"], add_special_tokens=False)
        if ids != c["ids"]:
            bad += 1
            print("MISMATCH", repr(c["text"][:60]), ids[:10], c["ids"][:10])
    chat = tok.chat(d["chat"]["messages"][0]["content"])
    assert chat == d["chat"]["text"], (chat, d["chat"]["text"])
    assert tok.encode(chat, add_special_tokens=False) == d["chat"]["ids"]
    for dc in d["decode_checks"]:
        assert tok.decode(dc["ids"], skip_special_tokens=dc["skip_special"]) == dc["text"], dc
    assert bad == 0, "%d tokenizer mismatches" % bad
    return len(d["cases"])


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    t = ReferenceTokenizer()
    n = self_check(t, os.path.join(here, "..", "..", "shared", "reference", "vectors", "tokenizer_vectors.json"))
    print("reference tokenizer agrees with %d vectors; add_bos=%s bos=%s eos=%s" % (n, t.add_bos, t.bos_id, t.eos_id))
