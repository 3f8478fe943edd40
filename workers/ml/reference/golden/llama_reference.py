"""Plain-PyTorch forward pass of the Llama family (Llama, Qwen2, Qwen3) in HF's order of operations.

Used only to generate the golden fixture; it is not the engine and has no KV cache (greedy decoding
recomputes the whole sequence). Variation lives in config fields, as in the engine:
  head_dim            config["head_dim"] when present, else hidden_size // num_attention_heads
  q/k/v biases        model_type "qwen2" (Qwen2 has q/k/v biases and no o_proj bias)
  q/k RMSNorm         model_type "qwen3" (over head_dim, before RoPE)
  tied embeddings     config["tie_word_embeddings"]
Shape legend: B batch, T time, C hidden, V vocab, NH query heads, NKV key/value heads, HS head_dim,
I intermediate size.
"""
import torch


def derived(cfg):
    """The structural facts the forward needs, read from an HF config dict."""
    if cfg.get("attention_bias"):
        raise ValueError("attention_bias=true (Llama's o_proj bias) is outside the golden fixture's scope")
    if cfg.get("rope_scaling") is not None:
        raise ValueError("rope_scaling is outside the golden fixture's scope")
    nh = cfg["num_attention_heads"]
    return {
        "C": cfg["hidden_size"],
        "V": cfg["vocab_size"],
        "I": cfg["intermediate_size"],
        "L": cfg["num_hidden_layers"],
        "NH": nh,
        "NKV": cfg["num_key_value_heads"],
        "HS": cfg.get("head_dim") or cfg["hidden_size"] // nh,
        "qkv_bias": cfg["model_type"] == "qwen2",
        "qk_norm": cfg["model_type"] == "qwen3",
        "tied": bool(cfg["tie_word_embeddings"]),
        "eps": cfg["rms_norm_eps"],
        "theta": float(cfg["rope_theta"]),
    }


def parameter_shapes(cfg):
    """HF state-dict names and shapes, in no particular order; lm_head.weight is absent when tied."""
    d = derived(cfg)
    C, V, I, NH, NKV, HS = d["C"], d["V"], d["I"], d["NH"], d["NKV"], d["HS"]
    shapes = {"model.embed_tokens.weight": [V, C], "model.norm.weight": [C]}
    if not d["tied"]:
        shapes["lm_head.weight"] = [V, C]
    for l in range(d["L"]):
        p = f"model.layers.{l}."
        shapes[p + "input_layernorm.weight"] = [C]
        shapes[p + "post_attention_layernorm.weight"] = [C]
        shapes[p + "self_attn.q_proj.weight"] = [NH * HS, C]
        shapes[p + "self_attn.k_proj.weight"] = [NKV * HS, C]
        shapes[p + "self_attn.v_proj.weight"] = [NKV * HS, C]
        shapes[p + "self_attn.o_proj.weight"] = [C, NH * HS]
        if d["qkv_bias"]:
            shapes[p + "self_attn.q_proj.bias"] = [NH * HS]
            shapes[p + "self_attn.k_proj.bias"] = [NKV * HS]
            shapes[p + "self_attn.v_proj.bias"] = [NKV * HS]
        if d["qk_norm"]:
            shapes[p + "self_attn.q_norm.weight"] = [HS]
            shapes[p + "self_attn.k_norm.weight"] = [HS]
        shapes[p + "mlp.gate_proj.weight"] = [I, C]
        shapes[p + "mlp.up_proj.weight"] = [I, C]
        shapes[p + "mlp.down_proj.weight"] = [C, I]
    return shapes


def rms_norm(x, weight, eps):
    # NOTE: HF upcasts to float32 for the reduction and casts back before multiplying by the weight.
    # A float64 forward stays in float64 here (HF would drop to float32), which is the exact reference.
    work = torch.promote_types(x.dtype, torch.float32)
    xf = x.to(work)
    xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + eps)
    return weight * xf.to(x.dtype)


def rope_cos_sin(position_ids, head_dim, theta, dtype):
    """cos, sin of shape [B, T, HS] for the half-split convention (frequencies repeated twice)."""
    inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim))  # HS/2
    angles = position_ids.to(torch.float64)[:, :, None] * inv_freq[None, None, :]  # B,T,HS/2
    emb = torch.cat([angles, angles], dim=-1)  # B,T,HS
    # NOTE: HF computes the angles in float32; the float64 reference keeps float64 and casts at the end.
    return emb.cos().to(dtype), emb.sin().to(dtype)


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


def apply_rope(x, cos, sin):
    """x: [B, heads, T, HS]; cos/sin: [B, T, HS]."""
    return x * cos[:, None] + rotate_half(x) * sin[:, None]


def linear(x, p, name, bias):
    y = x @ p[name + ".weight"].T
    return y + p[name + ".bias"] if bias else y


def attention(x, p, pre, d, cos, sin, allowed):
    B, T, _ = x.shape
    NH, NKV, HS = d["NH"], d["NKV"], d["HS"]
    q = linear(x, p, pre + "q_proj", d["qkv_bias"]).view(B, T, NH, HS)
    k = linear(x, p, pre + "k_proj", d["qkv_bias"]).view(B, T, NKV, HS)
    v = linear(x, p, pre + "v_proj", d["qkv_bias"]).view(B, T, NKV, HS)
    if d["qk_norm"]:
        q = rms_norm(q, p[pre + "q_norm.weight"], d["eps"])
        k = rms_norm(k, p[pre + "k_norm.weight"], d["eps"])
    q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)  # B,NH|NKV,T,HS
    q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
    # GQA: key/value head j serves query heads j*rep .. j*rep+rep-1 (HF's repeat_kv).
    rep = NH // NKV
    k, v = k.repeat_interleave(rep, dim=1), v.repeat_interleave(rep, dim=1)  # B,NH,T,HS
    scores = (q @ k.transpose(-1, -2)) * (HS ** -0.5)  # B,NH,T,T
    # NOTE: a finite minimum, as HF's eager path uses, keeps fully masked rows (left-pad queries) finite
    # instead of NaN; those rows are never compared and cannot leak into attended positions.
    scores = scores.masked_fill(~allowed[:, None], torch.finfo(scores.dtype).min)
    work = torch.promote_types(scores.dtype, torch.float32)
    probs = torch.softmax(scores.to(work), dim=-1).to(q.dtype)  # B,NH,T,T
    y = (probs @ v).transpose(1, 2).reshape(B, T, NH * HS)  # B,T,NH*HS
    return linear(y, p, pre + "o_proj", False)  # B,T,C


def mlp(x, p, pre):
    gate = linear(x, p, pre + "gate_proj", False)  # B,T,I
    up = linear(x, p, pre + "up_proj", False)  # B,T,I
    return linear(torch.nn.functional.silu(gate) * up, p, pre + "down_proj", False)  # B,T,C


def forward(cfg, params, input_ids, attention_mask, position_ids, dtype):
    """Logits [B, T, V] in `dtype` (float32 or float64); params are cast to `dtype` first."""
    d = derived(cfg)
    p = {k: v.to(dtype) for k, v in params.items()}
    B, T = input_ids.shape
    h = p["model.embed_tokens.weight"][input_ids]  # B,T,C
    cos, sin = rope_cos_sin(position_ids, d["HS"], d["theta"], dtype)
    causal = torch.tril(torch.ones(T, T, dtype=torch.bool))  # T,T
    allowed = causal[None] & attention_mask.bool()[:, None, :]  # B,T(query),T(key)
    for l in range(d["L"]):
        pre = f"model.layers.{l}."
        h = h + attention(rms_norm(h, p[pre + "input_layernorm.weight"], d["eps"]), p, pre + "self_attn.", d, cos, sin, allowed)
        h = h + mlp(rms_norm(h, p[pre + "post_attention_layernorm.weight"], d["eps"]), p, pre + "mlp.")
    h = rms_norm(h, p["model.norm.weight"], d["eps"])  # B,T,C
    head = p["model.embed_tokens.weight"] if d["tied"] else p["lm_head.weight"]
    return h @ head.T  # B,T,V
