#!/usr/bin/env python3
"""Independent reference for the KV policies' selections (KVCache-Factory definitions).

A float32 numpy re-implementation of the HF transformers llama forward on the GGUF weights
(dequantized with gguf-py; Q/K un-permuted back to HF's layout and rotated with rotate_half, as
transformers' GGUF loader does; the Swift engine instead keeps GGUF's layout and rotates adjacent
pairs) captures every layer's post-RoPE Q and K. Each policy's selection is then computed the way
KVCache-Factory's `pyramidkv_utils.py` clusters do (fp32 softmax with the window-causal mask,
sum over window rows, max_pool1d/avg_pool1d with stride 1 and padding k//2, topk), with repeat_kv
before selection (query_head layout).

Writes Tests/KVEngineTests/Fixtures/policy_reference.json: per case the prompt ids and, per layer
and query head, the kept positions as a hex bitmap over the prompt.
Run: python3 tools/gen_policy_reference.py   (needs gguf==0.19.0, numpy; ~2 min on 2 cores)
"""
import glob
import json
import os
import pathlib

import gguf
import numpy as np
from gguf.quants import dequantize

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests/KVEngineTests/Fixtures/policy_reference.json"
HOME = os.environ.get("PYRAMIDKV_HOME", os.path.expanduser("~/.cache/pyramidkv"))
MODEL = f"{HOME}/models/SmolLM2-135M-Instruct.Q4_1.gguf"
LENGTHS = [1000, 3000]
BUDGETS = [64, 128, 512]
POLICIES = ["snapkv", "pyramidkv", "h2o", "streamingllm", "l2norm"]
WINDOW, KERNEL, BETA = 8, 7, 20


class Model:
    def __init__(self, path):
        r = gguf.GGUFReader(path)
        f = r.fields
        self.L = int(f["llama.block_count"].contents())
        self.H = int(f["llama.attention.head_count"].contents())
        self.KV = int(f["llama.attention.head_count_kv"].contents())
        self.dim = int(f["llama.embedding_length"].contents())
        self.d = self.dim // self.H
        self.theta = float(f["llama.rope.freq_base"].contents())
        self.eps = float(f["llama.attention.layer_norm_rms_epsilon"].contents())
        self.t = {}
        for t in r.tensors:
            self.t[t.name] = dequantize(t.data, t.tensor_type).astype(np.float32)  # [out][in]
        for i in range(self.L):  # undo llama.cpp's Q/K permutation (transformers' reverse_permute)
            for name, heads in (("attn_q", self.H), ("attn_k", self.KV)):
                w = self.t[f"blk.{i}.{name}.weight"]
                self.t[f"blk.{i}.{name}.weight"] = (
                    w.reshape(heads, w.shape[0] // heads // 2, 2, *w.shape[1:]).swapaxes(2, 1).reshape(w.shape))

    def rms(self, x, w):
        var = np.mean(x * x, axis=-1, keepdims=True, dtype=np.float32)
        return (w * (x / np.sqrt(var + np.float32(self.eps)))).astype(np.float32)

    def forward_qk(self, ids):
        """Post-RoPE Q [L][H][n][d] and K [L][KV][n][d] (HF rotate_half layout)."""
        n, d = len(ids), self.d
        x = self.t["token_embd.weight"][ids].astype(np.float32)
        inv = (1.0 / (np.float32(self.theta) ** (np.arange(0, d, 2, dtype=np.float32) / np.float32(d)))).astype(np.float32)
        ang = np.outer(np.arange(n, dtype=np.float32), inv).astype(np.float32)
        emb = np.concatenate([ang, ang], axis=-1)
        cos, sin = np.cos(emb).astype(np.float32), np.sin(emb).astype(np.float32)

        def rope(v):
            half = np.concatenate([-v[..., d // 2:], v[..., :d // 2]], axis=-1)
            return v * cos + half * sin

        qs, ks = [], []
        causal = np.triu(np.full((n, n), -np.inf, dtype=np.float32), 1)
        for i in range(self.L):
            p = f"blk.{i}."
            h = self.rms(x, self.t[p + "attn_norm.weight"])
            q = (h @ self.t[p + "attn_q.weight"].T).reshape(n, self.H, d).transpose(1, 0, 2)
            k = (h @ self.t[p + "attn_k.weight"].T).reshape(n, self.KV, d).transpose(1, 0, 2)
            v = (h @ self.t[p + "attn_v.weight"].T).reshape(n, self.KV, d).transpose(1, 0, 2)
            q, k = rope(q).astype(np.float32), rope(k).astype(np.float32)
            qs.append(q)
            ks.append(k)
            g = self.H // self.KV
            out = np.empty((self.H, n, d), dtype=np.float32)
            for hh in range(self.H):
                s = (q[hh] @ k[hh // g].T) / np.float32(np.sqrt(d)) + causal
                s = np.exp(s - s.max(axis=-1, keepdims=True))
                s /= s.sum(axis=-1, keepdims=True)
                out[hh] = s @ v[hh // g]
            x = x + out.transpose(1, 0, 2).reshape(n, self.dim) @ self.t[p + "attn_output.weight"].T
            h = self.rms(x, self.t[p + "ffn_norm.weight"])
            gate = h @ self.t[p + "ffn_gate.weight"].T
            up = h @ self.t[p + "ffn_up.weight"].T
            x = x + ((gate / (1 + np.exp(-gate))) * up) @ self.t[p + "ffn_down.weight"].T
        self.last_hidden = x
        return qs, ks

    def last_logits(self):
        """Logits of the last position of the previous forward_qk (to check this forward)."""
        h = self.rms(self.last_hidden[-1:], self.t["output_norm.weight"])
        return (h @ self.t["token_embd.weight"].T)[0]


def softmax_rows(s):
    s = s - s.max(axis=-1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=-1, keepdims=True)


def window_sums(q, k, w):
    """Σ over the last w rows of softmax(q_win kᵀ/√d) with the window-causal mask, columns < n−w."""
    n, d = k.shape
    a = (q[-w:] @ k.T) / np.float32(np.sqrt(d))
    mask = np.triu(np.full((w, w), -np.inf, dtype=np.float32), 1)
    a[:, -w:] += mask
    return softmax_rows(a.astype(np.float32))[:, : n - w].sum(axis=0)


def full_sums(q, k, w):
    n, d = k.shape
    a = (q @ k.T) / np.float32(np.sqrt(d)) + np.triu(np.full((n, n), -np.inf, dtype=np.float32), 1)
    return softmax_rows(a.astype(np.float32))[:, : n - w].sum(axis=0)


def maxpool(s, k):
    p = k // 2
    padded = np.concatenate([np.full(p, -np.inf, np.float32), s, np.full(p, -np.inf, np.float32)])
    return np.max(np.stack([padded[i:i + len(s)] for i in range(k)]), axis=0)


def topk(s, c):
    c = min(c, len(s))
    order = np.lexsort((np.arange(len(s)), -s))  # descending score, lower index on ties
    return sorted(order[:c].tolist())


def pyramid_counts(b, w, beta, L, n):
    bb = b - w
    if n < b:
        return None
    if n < 2 * bb:
        return [bb] * L
    mn = bb // beta
    mx = 2 * bb - mn
    if mx >= n - w:
        mx = n - w
        mn = 2 * bb - mx
    step = (mx - mn) // (L - 1)
    return [mx - l * step for l in range(L)]


def select(policy, b, q, k, layer, L, n):
    """Kept positions for one layer and query head (k already repeated for the head)."""
    w = WINDOW
    if n < b:
        return list(range(n))
    win = list(range(n - w, n))
    if policy == "snapkv":
        return topk(maxpool(window_sums(q, k, w), KERNEL), b - w) + win
    if policy == "pyramidkv":
        return topk(maxpool(window_sums(q, k, w), KERNEL), pyramid_counts(b, w, BETA, L, n)[layer]) + win
    if policy == "h2o":
        return topk(full_sums(q, k, w), b - w) + win
    if policy == "streamingllm":
        return list(range(4)) + list(range(n - (b - 4), n))
    if policy == "l2norm":
        if layer < 2:
            return list(range(n))
        return topk(-np.linalg.norm(k, axis=-1), b)
    raise ValueError(policy)


def bitmap(kept, n):
    bits = np.zeros(((n + 7) // 8) * 8, dtype=np.uint8)
    bits[kept] = 1
    return np.packbits(bits, bitorder="little").tobytes().hex()


def check_against_transformers(m):
    """This forward must reproduce transformers' logits (shared reference vectors) first."""
    ref = ROOT / "Tests/KVEngineTests/Fixtures/logits_fullkv.json"
    p = json.loads(ref.read_text())["prompts"][1]
    m.forward_qk(np.array(p["input_ids"]))
    got = m.last_logits()
    err = max(abs(got[i] - v) for i, v in zip(p["top20"]["ids"], p["top20"]["logits"]))
    assert err < 2e-3, f"numpy forward disagrees with transformers: {err}"
    print(f"forward check vs transformers ({p['name']}): max |Δlogit| over top-20 = {err:.2e}")


def main():
    m = Model(MODEL)
    check_against_transformers(m)
    from gguf_tokenize import haystack_ids  # noqa: E402  (helper below, keeps main short)
    ids_all = haystack_ids(MODEL, HOME, max(LENGTHS))
    cases = []
    for n in LENGTHS:
        ids = ids_all[:n]
        qs, ks = m.forward_qk(np.array(ids))
        g = m.H // m.KV
        for policy in POLICIES:
            for b in BUDGETS:
                layers = []
                for l in range(m.L):
                    heads = [bitmap(select(policy, b, qs[l][h], ks[l][h // g], l, m.L, n), n) for h in range(m.H)]
                    layers.append(heads)
                cases.append({"policy": policy, "budget": b, "prompt_tokens": n, "layers": layers})
                print(f"n={n} {policy}@{b}", flush=True)
    cases_ids = {str(n): ids_all[:n] for n in LENGTHS}
    OUT.write_text(json.dumps({"generator": "tools/gen_policy_reference.py", "window": WINDOW, "kernel": KERNEL,
                               "beta": BETA, "layout": "query_head", "prompt_ids": cases_ids, "cases": cases}))
    print(f"wrote {OUT} ({len(cases)} cases)")


if __name__ == "__main__":
    main()
