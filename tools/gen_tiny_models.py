#!/usr/bin/env python3
"""Tiny random models of every architecture the engine registers, and transformers' fp32 logits.

For llama, qwen2 and qwen3 this builds a transformers model from a small config with seeded
random weights (biases and norm weights randomised too, so a missing bias or QK-norm changes
the logits), writes it as an F32 GGUF the way llama.cpp's convert_hf_to_gguf.py does (llama's
Q/K rows permuted for adjacent-pair RoPE; qwen's left as they are, for rotate-half), and
records transformers' logits for a fixed token sequence. KVEngineTests.ArchitectureTests loads
each GGUF with the Swift engine and compares. No download: the tokenizer is 256 byte tokens and
two merges, enough for the engine's GGUF loader; the test feeds token ids directly.

Usage: python3 tools/gen_tiny_models.py  (writes Tests/KVEngineTests/Fixtures/tiny/)
Needs: torch, transformers, gguf, numpy.
"""
import json
import os
import sys

import numpy as np
import torch
import transformers
import gguf

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "KVEngineTests", "Fixtures", "tiny")
SEQUENCE = 64           # tokens fed to both implementations
PREFILL = 48            # the Swift test prefills this many, then decodes the rest one by one
CHECKED = [7, PREFILL - 1] + list(range(PREFILL, SEQUENCE))  # positions whose logits are stored

COMMON = dict(vocab_size=258, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
              num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
              rms_norm_eps=1e-6, initializer_range=0.15)

MODELS = {
    "llama": (transformers.LlamaConfig, transformers.LlamaForCausalLM,
              dict(rope_theta=10000.0, tie_word_embeddings=True)),
    "qwen2": (transformers.Qwen2Config, transformers.Qwen2ForCausalLM,
              dict(rope_theta=1000000.0, tie_word_embeddings=True)),
    # head_dim 32 ≠ hidden/heads (16): Qwen3 sets head_dim explicitly, so key_length is exercised.
    "qwen3": (transformers.Qwen3Config, transformers.Qwen3ForCausalLM,
              dict(rope_theta=1000000.0, tie_word_embeddings=False, head_dim=32)),
}


def byte_tokens():
    """GPT-2's byte-to-unicode alphabet: the 256 single-byte tokens of a byte-level BPE."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = {}, 0
    for b in range(256):
        if b in printable:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + extra)
            extra += 1
    return [chars[b] for b in range(256)]


def permute_for_adjacent_rope(w, heads):
    """convert_hf_to_gguf.py LlamaModel.permute: rotate-half rows → adjacent pairs."""
    return w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.copy_(torch.randn(p.shape, generator=g) * 0.5)
            elif "norm" in name:
                p.copy_(1 + torch.randn(p.shape, generator=g) * 0.3)


def write_gguf(path, arch, cfg, model):
    w = gguf.GGUFWriter(path, arch)
    head_dim = getattr(cfg, "head_dim", None) or cfg.hidden_size // cfg.num_attention_heads
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_block_count(cfg.num_hidden_layers)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(cfg.num_key_value_heads)
    w.add_key_length(head_dim)
    w.add_value_length(head_dim)
    w.add_rope_dimension_count(head_dim)
    w.add_rope_freq_base(cfg.rope_theta if hasattr(cfg, "rope_theta") else cfg.rope_parameters["rope_theta"])
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    w.add_file_type(gguf.LlamaFileType.ALL_F32)
    tokens = byte_tokens() + ["Ġt", "he"]
    assert len(tokens) == cfg.vocab_size
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2" if arch.startswith("qwen") else "smollm")
    w.add_token_list(tokens)
    w.add_token_types([gguf.TokenType.NORMAL] * len(tokens))
    w.add_token_merges(["Ġ t", "h e"])
    w.add_eos_token_id(0)

    sd = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    def put(name, array):
        w.add_tensor(name, np.ascontiguousarray(array))
    put("token_embd.weight", sd["model.embed_tokens.weight"])
    put("output_norm.weight", sd["model.norm.weight"])
    if not cfg.tie_word_embeddings:
        put("output.weight", sd["lm_head.weight"])
    for i in range(cfg.num_hidden_layers):
        p, b = f"model.layers.{i}.", f"blk.{i}."
        q, k = sd[p + "self_attn.q_proj.weight"], sd[p + "self_attn.k_proj.weight"]
        if arch == "llama":
            q = permute_for_adjacent_rope(q, cfg.num_attention_heads)
            k = permute_for_adjacent_rope(k, cfg.num_key_value_heads)
        put(b + "attn_norm.weight", sd[p + "input_layernorm.weight"])
        put(b + "attn_q.weight", q)
        put(b + "attn_k.weight", k)
        put(b + "attn_v.weight", sd[p + "self_attn.v_proj.weight"])
        put(b + "attn_output.weight", sd[p + "self_attn.o_proj.weight"])
        if arch == "qwen2":
            for proj in "qkv":
                put(b + f"attn_{proj}.bias", sd[p + f"self_attn.{proj}_proj.bias"])
        if arch == "qwen3":
            put(b + "attn_q_norm.weight", sd[p + "self_attn.q_norm.weight"])
            put(b + "attn_k_norm.weight", sd[p + "self_attn.k_norm.weight"])
        put(b + "ffn_norm.weight", sd[p + "post_attention_layernorm.weight"])
        put(b + "ffn_gate.weight", sd[p + "mlp.gate_proj.weight"])
        put(b + "ffn_up.weight", sd[p + "mlp.up_proj.weight"])
        put(b + "ffn_down.weight", sd[p + "mlp.down_proj.weight"])
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


def check_with_llama_cpp(path, record):
    """llama.cpp (f32 KV cache) must read the GGUF as the same model: a wrong Q/K permutation or
    RoPE mode would put its logits far from transformers'. Skipped when llama-cpp-python is absent."""
    try:
        import llama_cpp
    except ImportError:
        print("  llama-cpp-python not installed: GGUF not cross-checked", file=sys.stderr)
        return
    m = llama_cpp.Llama(path, logits_all=True, n_ctx=128, n_threads=2, verbose=False, type_k=0, type_v=0)
    m.eval(record["input_ids"])
    scores = np.array(m.scores[:SEQUENCE])
    err = max(float(np.abs(scores[p] - np.array(l)).max()) for p, l in zip(record["positions"], record["logits"]))
    print(f"  llama.cpp {llama_cpp.__version__} vs transformers: max |Δlogit| {err:.2e}", file=sys.stderr)
    assert err < 1e-4, f"{path}: llama.cpp reads a different model (max |Δlogit| {err})"


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    ids = torch.randint(0, COMMON["vocab_size"], (SEQUENCE,), generator=torch.Generator().manual_seed(7)).tolist()
    for seed, (arch, (config_type, model_type, extra)) in enumerate(MODELS.items()):
        cfg = config_type(**COMMON, **extra)
        torch.manual_seed(100 + seed)
        model = model_type(cfg).to(torch.float32).eval()
        randomise(model, 200 + seed)
        with torch.no_grad():
            logits = model(torch.tensor([ids])).logits[0]
        path = os.path.join(OUT, f"{arch}.gguf")
        write_gguf(path, arch, cfg, model)
        record = {
            "architecture": arch,
            "generator": f"tools/gen_tiny_models.py, transformers {transformers.__version__}, torch {torch.__version__}",
            "input_ids": ids,
            "prefill": PREFILL,
            "positions": CHECKED,
            "logits": [[float(f"{x:.7g}") for x in logits[p].tolist()] for p in CHECKED],
        }
        with open(os.path.join(OUT, f"{arch}.logits.json"), "w") as f:
            json.dump(record, f, separators=(",", ":"))
        spread = float(logits[CHECKED].std())
        print(f"{arch}: {os.path.getsize(path)} bytes, logits std {spread:.3f}", file=sys.stderr)
        check_with_llama_cpp(path, record)


if __name__ == "__main__":
    main()
