#!/usr/bin/env python3
"""Reference kept positions for six KV-cache compression methods, computed by the methods' own
reference code on SmolLM2-135M-Instruct (the project's default GGUF), for the Swift policies.

Methods (specification: /work/notes/presses.md):
  kvpress 0.5.5 presses, run through kvpress's own hooks (`with press(model): model.model(ids)`,
  exactly as kvpress's pipeline prefills a context):
    TOVAPress, KeyDiffPress, ChunkKVPress(SnapKVPress()), ExpectedAttentionPress, KVzipPress
  KVCache-Factory `CAMKVCluster` (pyramidkv/pyramidkv_utils.py), called on the captured
  post-RoPE Q/K/V of every layer, in both cache layouts (`query_head`: repeat_kv before
  compression, KVCache-Factory's default; `kv_head`: --kv_cache_granularity kv_head).

How the kept positions are read: before kvpress's hook compresses a layer, a hook registered
ahead of it snapshots the layer's cache keys; the compressed cache's rows are then matched
byte-for-byte to the snapshot (post-RoPE keys are unique per position). KVzip does not shrink
the cache (it masks evicted keys at decoding time); its kept set is the complement of each
layer's `masked_key_indices`. CAM's kept set is matched the same way from the returned keys.
CAM draws torch.bernoulli(p) merge masks; for a reproducible fixture the generator replaces
the draw by its expectation (mask = p). Everything else is the reference code, unchanged.

Model: transformers 5.2 `AutoModelForCausalLM.from_pretrained(dir, gguf_file=...)`, float32,
attn_implementation="sdpa" (kvpress's default: ChunkKVPress asserts that no attention weights
are returned and KVzipPress refuses eager; for TOVA/SnapKV kvpress then recomputes the window
attention itself, in float32 softmax). Prompt ids come from the project's reference tokenizer
(tools/reference_tokenizer.py; transformers' GGUF tokenizer is wrong for this model), shaped
as kvpress's pipeline shapes a context: the chat template's prefix (default system message +
"<|im_start|>user\\n") followed by Paul Graham essay tokens, truncated to 310 / 710 / 1210
tokens (n mod 20 = 10 so ChunkKV's partial chunk is exercised without tied chunks at the
budget boundary). Budgets B = 64 / 128 / 256 kept tokens per layer and head are turned into
kvpress ratios r = 1 - (B + 0.5) / n, so int(n * (1 - r)) = B exactly (ChunkKV keeps whole
chunks and KVzip a global count, so theirs differ: the fixture records the kept counts).

Output: Tests/KVEngineTests/Fixtures/press_reference.json, per case (method x prompt x budget)
and per layer the kept positions of each stream (KV head, or query head for CAM query_head)
as a hex bitmap over the prompt (bit p of byte p//8, little-endian bit order, as
policy_reference.json), the smallest relative score gap at each layer's selection boundary
(where it is tiny, an engine whose floats differ slightly may legitimately pick differently),
and for CAM the merged values (checksums per layer/stream and some full rows).

With --tiny-qwen2 the same presses (all but KVzip, whose replay needs a chat template and a
tokenizer) run on tools/gen_tiny_models.py's random qwen2 (2 layers, 4 query / 2 KV heads,
head dim 16, q/k/v biases), rebuilt from its seeds and checked against
Fixtures/tiny/qwen2.logits.json, on seeded random token ids of 190 / 310 / 470 tokens at budgets
80 / 112 / 160 (above kvpress's 64-token SnapKV window, which ChunkKV wraps); output
Fixtures/press_reference_tiny_qwen2.json. A second architecture (biases, rope theta 1e6, another
head geometry) under the same reference code.

Run (from the repository root; 5-6 min on one thread of this 2-core machine, 2 GB peak RSS):
    pip install --no-deps kvpress==0.5.5 "cachetools>=5.5.2,<6"    # torch, transformers 5.2, gguf,
                                                                     # tokenizers, jinja2 already needed
    git -C /path/to/KVCache-Factory show HEAD:pyramidkv/pyramidkv_utils.py > /tmp/pyramidkv_utils.py
    python3 tools/gen_press_reference.py --kvcf /tmp/pyramidkv_utils.py
(the fixture was made from KVCache-Factory commit c97f9d7, 2026-07-02; CAMKVCluster's
query_head path is unchanged since ae7e61d "Fix cam method", 2024-11-28.)
Without --kvcf, CAM falls back to this file's re-implementation (`cam_reimpl`, written from
the specification) and the fixture says so; with it, both run and must agree. kvpress imports
`datasets` and `fire` only for presses not used here; they are stubbed when not installed.
"""
import argparse
import dataclasses
import glob
import importlib.metadata as md
import importlib.util
import json
import math
import os
import pathlib
import platform
import sys
import time
import types

os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TQDM_DISABLE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from reference_tokenizer import ReferenceTokenizer  # noqa: E402

OUT = ROOT / "Tests/KVEngineTests/Fixtures/press_reference.json"
HOME = os.environ.get("PYRAMIDKV_HOME", os.path.expanduser("~/.cache/pyramidkv"))
MODEL_DIR = f"{HOME}/models"
MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
# prompt name -> (total tokens, token offset into the essay stream)
PROMPTS = {"p310": (310, 0), "p710": (710, 20000), "p1210": (1210, 60000)}
BUDGETS = [64, 128, 256]
CHUNK_LENGTH = 20                                # ChunkKVPress default
CAM = dict(window_size=8, kernel_size=7, pooling="maxpool", start_budget_ratio=0.1)  # run_longbench.py
CAM_VALUE_LAYERS = [0, 15, 29]


# --------------------------------------------------------------------------------------------
# Imports of the reference code
# --------------------------------------------------------------------------------------------
def import_kvpress():
    for name in ("datasets", "fire"):  # only used by presses this generator does not run
        try:
            __import__(name)
        except ImportError:
            stub = types.ModuleType(name)
            stub.load_dataset = None
            sys.modules[name] = stub
    import kvpress
    version = md.version("kvpress")
    assert version == "0.5.5", f"kvpress {version} installed; this fixture is for 0.5.5"
    return kvpress


def import_kvcf(path):
    spec = importlib.util.spec_from_file_location("kvcf_pyramidkv_utils", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class KVzipTokenizer:
    """What KVzipPress asks of `AutoTokenizer.from_pretrained(model.config.name_or_path)`,
    answered by the project's reference tokenizer (the GGUF has no HF tokenizer directory)."""

    def __init__(self, tok):
        self.tok = tok
        self.chat_template = tok.chat_template

    def apply_chat_template(self, messages, add_generation_prompt=True, tokenize=False, **_):
        import jinja2
        assert not tokenize
        return jinja2.Environment().from_string(self.chat_template).render(
            messages=messages, add_generation_prompt=add_generation_prompt)

    def encode(self, text, return_tensors=None, add_special_tokens=False):
        ids = self.tok.encode(text, add_special_tokens=add_special_tokens)
        return torch.tensor([ids]) if return_tensors == "pt" else ids


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def bitmap(kept, n):
    bits = np.zeros(((n + 7) // 8) * 8, dtype=np.uint8)
    bits[np.asarray(kept, dtype=np.int64)] = 1
    return np.packbits(bits, bitorder="little").tobytes().hex()


def match_rows(kept_rows, all_rows):
    """Positions of `kept_rows` [k, d] in `all_rows` [n, d] (exact byte match)."""
    index = {r.tobytes(): i for i, r in enumerate(all_rows.numpy())}
    assert len(index) == all_rows.shape[0], "duplicate key rows: positions would be ambiguous"
    pos = [index[r.tobytes()] for r in kept_rows.numpy()]
    assert len(set(pos)) == len(pos)
    return sorted(pos)


def boundary_gap(scores, k):
    """Relative gap between the k-th and (k+1)-th largest score (1-D); inf when nothing is cut."""
    s = np.sort(np.asarray(scores, dtype=np.float64))[::-1]
    if k >= len(s) or k <= 0:
        return float("inf")
    return float((s[k - 1] - s[k]) / max(abs(s[k - 1]), 1e-30))


def sig(x, digits=4):
    return float(f"{x:.{digits}g}") if math.isfinite(x) else None


def prompt_ids(tok, n, offset):
    placeholder = "\u0000CONTEXT\u0000"
    chat = tok.chat(placeholder)
    prefix_ids = tok.encode(chat[: chat.index(placeholder)], add_special_tokens=False)
    files = sorted(glob.glob(os.path.join(HOME, "haystack/PaulGrahamEssays/*.txt")))
    text = "".join(open(f, encoding="utf-8").read() for f in files)
    body = tok.encode(text, add_special_tokens=False)
    ids = prefix_ids + body[offset: offset + n - len(prefix_ids)]
    assert len(ids) == n
    return ids, len(prefix_ids)


# --------------------------------------------------------------------------------------------
# kvpress presses through kvpress's hooks
# --------------------------------------------------------------------------------------------
def run_kvpress(model, press, ids, kind):
    """Prefill `ids` with `press` hooked in; returns per-layer per-KV-head kept positions and the
    scores each layer was selected with (for boundary gaps)."""
    from transformers import DynamicCache
    n = ids.shape[1]
    layers = model.model.layers
    snap = {}
    captured = {}

    def snapshot(module, args, kwargs, output):  # registered before kvpress's hook: runs first
        if kwargs["hidden_states"].shape[1] == n and int(kwargs["cache_position"][0]) == 0:
            snap[module.layer_idx] = kwargs["past_key_values"].layers[module.layer_idx].keys.clone()

    scorer = press.press if kind == "chunk" else press
    if kind in ("scorer", "chunk"):
        original_score = scorer.score

        def score(module, *a, **k):
            s = original_score(module, *a, **k)
            captured[module.layer_idx] = s.detach().clone()
            return s
        scorer.score = score
    if kind == "kvzip":
        original_post = press.compress_post

        def compress_post(model_):
            captured["score_val"] = press.score_val.detach().clone()
            return original_post(model_)
        press.compress_post = compress_post

    hooks = [l.self_attn.register_forward_hook(snapshot, with_kwargs=True) for l in layers]
    cache = DynamicCache()
    try:
        with torch.no_grad(), press(model):
            model.model(input_ids=ids, past_key_values=cache)
    finally:
        for h in hooks:
            h.remove()
        if kind in ("scorer", "chunk"):
            del scorer.score
        if kind == "kvzip":
            del press.compress_post

    kept, gaps = [], []
    for l, layer in enumerate(layers):
        if kind == "kvzip":
            b, heads, seq = layer.self_attn.masked_key_indices
            nkv = model.config.num_key_value_heads
            evicted = [set(seq[heads == h].tolist()) for h in range(nkv)]
            kept.append([[p for p in range(n) if p not in evicted[h]] for h in range(nkv)])
            continue
        keys = cache.layers[l].keys[0]
        kept.append([match_rows(keys[h], snap[l][0, h]) for h in range(keys.shape[0])])
        s = captured[l][0].numpy()
        if kind == "scorer":
            gaps.append(min(boundary_gap(s[h], len(kept[l][h])) for h in range(s.shape[0])))
        else:  # chunk: the chunk scores ChunkKVPress ranks (global scores summed over heads)
            total = s.sum(axis=0)
            full, rem = n // CHUNK_LENGTH, n % CHUNK_LENGTH
            chunks = list(total[: full * CHUNK_LENGTH].reshape(full, CHUNK_LENGTH).mean(axis=1))
            if rem:
                chunks.append(total[-rem:].mean())
            n_chunks = max(1, int((full + (rem > 0)) * (1 - press.compression_ratio)))
            gaps.append(boundary_gap(chunks, n_chunks))
    if kind == "kvzip":
        sv = captured["score_val"].numpy().reshape(-1)
        n_pruned = int(sv.size * press.compression_ratio)
        gaps = [boundary_gap(sv, sv.size - n_pruned)]
    return kept, gaps


# --------------------------------------------------------------------------------------------
# CAM (KVCache-Factory CAMKVCluster) on captured post-RoPE Q/K/V
# --------------------------------------------------------------------------------------------
def capture_qkv(model, ids):
    """Post-RoPE queries [H, n, d], keys and values [KV, n, d] of every layer (plain prefill)."""
    from transformers import DynamicCache
    from transformers.models.llama.modeling_llama import rotate_half
    from kvpress.utils import get_prerope_query_states
    out = {}

    def grab(module, args, kwargs, output):
        h = kwargs["hidden_states"]
        cos, sin = kwargs["position_embeddings"]
        q = get_prerope_query_states(module, h)
        q = q * cos.unsqueeze(1) + rotate_half(q) * sin.unsqueeze(1)
        c = kwargs["past_key_values"].layers[module.layer_idx]
        out[module.layer_idx] = (q[0].clone(), c.keys[0].clone(), c.values[0].clone())

    hooks = [l.self_attn.register_forward_hook(grab, with_kwargs=True) for l in model.model.layers]
    try:
        with torch.no_grad():
            model.model(input_ids=ids, past_key_values=DynamicCache())
    finally:
        for h in hooks:
            h.remove()
    return [out[l] for l in range(len(out))]


def repeat_heads(x, g):
    return x.repeat_interleave(g, dim=0)  # = transformers' repeat_kv for one batch element


def cam_reference(kvcf, q, k, v, budget, layout):
    """KVCache-Factory's CAMKVCluster.update_kv; returns (kept positions per stream, merged V
    before the gather [S, n, d], selection scores [S, n - w])."""
    g = q.shape[0] // k.shape[0]
    if layout == "query_head":
        k, v = repeat_heads(k, g), repeat_heads(v, g)
    cluster = kvcf.CAMKVCluster(start_budget_ratio=CAM["start_budget_ratio"], window_size=CAM["window_size"],
                                max_capacity_prompt=budget, kernel_size=CAM["kernel_size"],
                                pooling=CAM["pooling"], merge=None, gqa_score_agg="mean")
    v_in = v.clone()[None]
    bernoulli = torch.bernoulli
    torch.bernoulli = lambda p, *a, **kw: p.clone()  # expectation instead of a random draw
    try:
        with torch.no_grad():
            k_out, _ = cluster.update_kv(k.clone()[None], q[None], v_in, None, g)
    finally:
        torch.bernoulli = bernoulli
    kept = [match_rows(k_out[0, s], k[s]) for s in range(k.shape[0])]
    return kept, v_in[0]


def cam_reimpl(q, k, v, budget, layout):
    """Independent re-implementation of CAMKVCluster (query_head and kv_head paths), from
    /work/notes/presses.md, with the expectation in place of the Bernoulli draw."""
    w, cap = CAM["window_size"], budget
    H, n, d = q.shape
    kv = k.shape[0]
    g = H // kv
    k_rep = repeat_heads(k, g)
    logits = (q[:, -w:] @ k_rep.transpose(1, 2)) / math.sqrt(d)  # [H, w, n]
    logits[:, :, -w:] += torch.triu(torch.full((w, w), torch.finfo(torch.float32).min), diagonal=1)
    A = torch.softmax(logits, dim=-1, dtype=torch.float32)
    if layout == "query_head":
        v = repeat_heads(v, g)
    else:
        A = A.view(kv, g, w, n).mean(dim=1)
    scores = A[:, :, : n - w].sum(dim=1)                      # [S, n - w]
    col = A.mean(dim=1)                                        # [S, n]: window-mean attention
    sb = math.ceil(CAM["start_budget_ratio"] * n)
    v = v.clone()
    for i in range(sb, n - w):
        m = torch.maximum(col[:, :sb].amax(dim=-1), col[:, i: i + w].amax(dim=-1))
        p = col[:, i] / m
        p = torch.where(torch.isnan(p), torch.zeros_like(p), p)
        p = torch.where(torch.isinf(p), torch.ones_like(p), p).clamp(0, 1)
        v[:, i + 1: i + 1 + w] += (v[:, i] * p[:, None] / w)[:, None, :]
    top = scores.topk(cap - w, dim=-1).indices
    kept = [sorted(top[s].tolist()) + list(range(n - w, n)) for s in range(scores.shape[0])]
    return kept, v, scores


# --------------------------------------------------------------------------------------------
TINY_PROMPTS = {"r190": (190, 11), "r310": (310, 12), "r470": (470, 13)}  # name -> (tokens, seed)
TINY_BUDGETS = [80, 112, 160]


def kvzip_prompt_ids(tok):
    """KVzip's reconstruction prompt pieces, built as KVzipPress.__call__/prepare build them."""
    sep = "\n" + "#" * len("dummy context")
    rendered = KVzipTokenizer(tok).apply_chat_template([{"role": "user", "content": "dummy context" + sep}])
    kvzip_context, kvzip_suffix = rendered.split(sep)
    return {
        "prefix_length": len(tok.encode(kvzip_context.split("dummy context")[0], add_special_tokens=False)),
        "first_chunk_question_ids": tok.encode("\n\nRepeat the previous context exactly.", add_special_tokens=False),
        "later_chunk_question_ids": tok.encode(
            "\n\nRepeat the part of the previous context exactly, starting with", add_special_tokens=False),
        "suffix_ids": tok.encode(kvzip_suffix, add_special_tokens=False),
        "suffix_text": kvzip_suffix,
    }


def tiny_qwen2():
    """gen_tiny_models.py's qwen2, rebuilt from its seeds, in sdpa mode; checked against the
    logits recorded with its GGUF so the weights are the ones the Swift test loads."""
    import gen_tiny_models as tiny
    names = list(tiny.MODELS)
    seed = names.index("qwen2")
    config_type, model_type, extra = tiny.MODELS["qwen2"]
    cfg = config_type(**tiny.COMMON, **extra)
    cfg._attn_implementation = "sdpa"
    torch.manual_seed(100 + seed)
    model = model_type(cfg).to(torch.float32).eval()
    tiny.randomise(model, 200 + seed)
    record = json.loads((ROOT / "Tests/KVEngineTests/Fixtures/tiny/qwen2.logits.json").read_text())
    with torch.no_grad():
        logits = model(torch.tensor([record["input_ids"]])).logits[0]
    err = max(float((logits[p] - torch.tensor(l)).abs().max()) for p, l in zip(record["positions"], record["logits"]))
    assert err < 1e-4, f"rebuilt tiny qwen2 differs from the committed GGUF's record by {err}"
    return model


def main():
    global PROMPTS, BUDGETS, CAM_VALUE_LAYERS
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kvcf", help="path to KVCache-Factory's pyramidkv/pyramidkv_utils.py")
    ap.add_argument("--tiny-qwen2", action="store_true", help="the tiny random qwen2 instead of SmolLM2")
    ap.add_argument("--out")
    args = ap.parse_args()
    t0 = time.time()

    kvpress = import_kvpress()
    from kvpress.presses import kvzip_press
    from transformers import AutoModelForCausalLM
    kvcf = import_kvcf(args.kvcf) if args.kvcf else None

    if args.tiny_qwen2:
        tok = None
        model = tiny_qwen2()
        model_name = "Fixtures/tiny/qwen2.gguf (tools/gen_tiny_models.py)"
        PROMPTS, BUDGETS = TINY_PROMPTS, TINY_BUDGETS
        CAM_VALUE_LAYERS = [0, 1]
        out = args.out or str(OUT.with_name("press_reference_tiny_qwen2.json"))
    else:
        tok = ReferenceTokenizer(os.path.join(MODEL_DIR, MODEL_FILE))
        kvzip_press.AutoTokenizer = types.SimpleNamespace(from_pretrained=lambda *a, **k: KVzipTokenizer(tok))
        model = AutoModelForCausalLM.from_pretrained(MODEL_DIR, gguf_file=MODEL_FILE, dtype=torch.float32,
                                                     attn_implementation="sdpa").eval()
        model_name = MODEL_FILE
        out = args.out or str(OUT)
    cfg = model.config
    L, KV, H = cfg.num_hidden_layers, cfg.num_key_value_heads, cfg.num_attention_heads
    print(f"model loaded ({time.time() - t0:.0f}s)", flush=True)

    methods = {
        "TOVAPress": ("scorer", lambda r: kvpress.TOVAPress(compression_ratio=r)),
        "KeyDiffPress": ("scorer", lambda r: kvpress.KeyDiffPress(compression_ratio=r)),
        "ChunkKVPress(SnapKVPress)": ("chunk", lambda r: kvpress.ChunkKVPress(
            press=kvpress.SnapKVPress(compression_ratio=r), chunk_length=CHUNK_LENGTH)),
        "ExpectedAttentionPress": ("scorer", lambda r: kvpress.ExpectedAttentionPress(compression_ratio=r)),
        "KVzipPress": ("kvzip", lambda r: kvpress.KVzipPress(compression_ratio=r)),
    }
    if args.tiny_qwen2:
        del methods["KVzipPress"]
    press_params = {name: {f.name: getattr(make(0.5), f.name) for f in dataclasses.fields(make(0.5))
                           if f.name not in ("compression_ratio", "press")}
                    for name, (_, make) in methods.items()}
    press_params["ChunkKVPress(SnapKVPress)"] = {"chunk_length": CHUNK_LENGTH, "window_size": 64, "kernel_size": 5}

    kvzip_ids = None if args.tiny_qwen2 else kvzip_prompt_ids(tok)
    prompts, cases, cam_values = {}, [], []
    for pname, (n, offset) in PROMPTS.items():
        if args.tiny_qwen2:
            ids_list = torch.randint(0, cfg.vocab_size, (n,), generator=torch.Generator().manual_seed(offset)).tolist()
            prompts[pname] = {"n": n, "random_seed": offset, "ids": ids_list}
        else:
            ids_list, prefix_len = prompt_ids(tok, n, offset)
            assert prefix_len == kvzip_ids["prefix_length"]
            prompts[pname] = {"n": n, "chat_prefix_tokens": prefix_len, "essay_token_offset": offset, "ids": ids_list}
        ids = torch.tensor([ids_list])
        for mname, (kind, make) in methods.items():
            for b in BUDGETS:
                r = 1 - (b + 0.5) / n
                t = time.time()
                kept, gaps = run_kvpress(model, make(r), ids, kind)
                counts = [[len(x) for x in layer] for layer in kept]
                if kind == "scorer":
                    assert all(c == b for layer in counts for c in layer), counts
                case = {"method": mname, "prompt": pname, "budget": b, "compression_ratio": r,
                        "layout": "kv_head", "kept_counts": counts,
                        "layers": [[bitmap(x, n) for x in layer] for layer in kept]}
                if kind == "kvzip":
                    case["kept_total"] = int(sum(map(sum, counts)))
                    case["global_rel_gap"] = sig(gaps[0])
                else:
                    case["min_rel_gap"] = [sig(x) for x in gaps]
                cases.append(case)
                print(f"{pname} {mname} B={b}: {time.time() - t:.1f}s", flush=True)

        t = time.time()
        qkv = capture_qkv(model, ids)
        for layout in ("query_head", "kv_head"):
            merged_ref = {}
            for b in BUDGETS:
                kept_l, gaps = [], []
                for l, (q, k, v) in enumerate(qkv):
                    kept_i, v_i, scores = cam_reimpl(q, k, v, b, layout)
                    if kvcf is not None:
                        kept_r, v_r = cam_reference(kvcf, q, k, v, b, layout)
                        assert kept_r == kept_i, f"CAM re-implementation disagrees on kept (layer {l}, {layout})"
                        err = (v_r - v_i).abs().max().item()
                        assert err <= 1e-5 * max(1.0, v_r.abs().max().item()), f"CAM merged V differs by {err}"
                        kept_i, v_i = kept_r, v_r
                    kept_l.append(kept_i)
                    gaps.append(min(boundary_gap(scores[s].numpy(), b - CAM["window_size"])
                                    for s in range(scores.shape[0])))
                    if b == BUDGETS[0] and l in CAM_VALUE_LAYERS:
                        merged_ref[l] = (v_i, v if layout == "kv_head" else repeat_heads(v, H // KV))
                cases.append({"method": "CAM", "prompt": pname, "budget": b, "layout": layout,
                              "kept_counts": [[len(x) for x in layer] for layer in kept_l],
                              "min_rel_gap": [sig(x) for x in gaps],
                              "layers": [[bitmap(x, n) for x in layer] for layer in kept_l]})
            sb = math.ceil(CAM["start_budget_ratio"] * n)
            rows = [sb, sb + 1, n // 2, n - CAM["window_size"] - 1, n - 1]
            for l, (vm, v0) in sorted(merged_ref.items()):
                delta = (vm - v0).double()
                cam_values.append({
                    "prompt": pname, "layout": layout, "layer": l, "rows": rows,
                    "delta_sum": [sig(x, 7) for x in delta.sum(dim=(1, 2)).tolist()],
                    "delta_abs_sum": [sig(x, 7) for x in delta.abs().sum(dim=(1, 2)).tolist()],
                    "delta_rows": [[[sig(x, 6) for x in delta[s, p].tolist()] for p in rows]
                                   for s in range(delta.shape[0])],
                })
        print(f"{pname} CAM: {time.time() - t:.1f}s", flush=True)

    versions = {"python": platform.python_version(), "torch": torch.__version__.split("+")[0]}
    for pkg in ("transformers", "kvpress", "gguf", "tokenizers", "numpy"):
        versions[pkg] = md.version(pkg)
    doc = {
        "generator": "tools/gen_press_reference.py",
        "spec": "/work/notes/presses.md (method algorithms, parameters, evidence needed)",
        "model": model_name, "dtype": "float32", "attn_implementation": "sdpa", "torch_threads": 1,
        "versions": versions,
        "cam_reference": ("KVCache-Factory pyramidkv_utils.py CAMKVCluster (checked against cam_reimpl)"
                          if kvcf is not None else "cam_reimpl (KVCache-Factory file not given)"),
        "bitmap": "hex; bit p (byte p//8, bit p%8, LSB first) set = prompt position p kept",
        "layout": f"kv_head: one bitmap per KV head ({KV}); query_head (CAM only): one per query head ({H}), "
                  f"query head h serves KV head h // {H // KV}",
        "budgets": "kvpress: compression_ratio = 1 - (budget + 0.5) / n so int(n*(1-r)) = budget "
                   "(ChunkKV keeps whole chunks, KVzip a global count over layers and heads: see "
                   "kept_counts). CAM: max_capacity_prompt = budget (window 8 included).",
        "min_rel_gap": "per layer, min over streams of (s[k-1] - s[k]) / |s[k-1]| for the sorted selection "
                       "scores at the kept count k (ChunkKV: chunk scores; KVzip: one global gap). "
                       "Below ~1e-4 a float-level difference may flip the boundary token.",
        "press_params": press_params,
        "kvzip_repeat_prompt": kvzip_ids,
        "cam_params": dict(CAM, gqa_score_agg="mean", bernoulli="replaced by its expectation (mask = p)"),
        "cam_values": "merged minus original V for the budget-independent merge (CAM's merge loop does not "
                      "depend on max_capacity_prompt): per stream the sum and abs-sum over all positions and "
                      "dims, and full delta rows at `rows`",
        "prompts": prompts,
        "cases": cases,
        "cam_values_data": cam_values,
    }
    pathlib.Path(out).write_text(json.dumps(doc, separators=(",", ":")))
    print(f"wrote {out} ({len(cases)} cases, {os.path.getsize(out) / 1e6:.2f} MB) "
          f"in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
