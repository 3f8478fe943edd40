"""A second, deliberately naive float64 forward (one sequence, per-token and per-head loops, RoPE as
explicit pair rotations) used only to cross-check llama_reference.forward's vectorised indexing: the
GQA head mapping, the head reshapes and the half-split rotation. Slow by design; never used for output.
"""
import math

import torch

from llama_reference import derived


def naive_logits(cfg, params, ids):
    """ids: list of token ids at positions 0..T-1, no padding. Returns float64 logits [T, V]."""
    d = derived(cfg)
    p = {k: v.to(torch.float64) for k, v in params.items()}
    HS, NH, NKV, eps = d["HS"], d["NH"], d["NKV"], d["eps"]
    half, rep = HS // 2, NH // NKV

    def norm(x, w):
        return w * (x / math.sqrt(float((x * x).mean()) + eps))

    def rotate(x, pos):
        # Component i pairs with i + HS/2 and turns by pos * theta^(-2i/HS).
        out = x.clone()
        for i in range(half):
            a = pos * d["theta"] ** (-2.0 * i / HS)
            out[i] = x[i] * math.cos(a) - x[i + half] * math.sin(a)
            out[i + half] = x[i + half] * math.cos(a) + x[i] * math.sin(a)
        return out

    def heads(pre, proj, x, n, pos):
        w = p[pre + proj + ".weight"]
        y = w @ x + (p[pre + proj + ".bias"] if d["qkv_bias"] else 0.0)
        out = []
        for h in range(n):
            part = y[h * HS : (h + 1) * HS]
            if d["qk_norm"] and proj in ("q_proj", "k_proj"):
                part = norm(part, p[pre + proj[0] + "_norm.weight"])
            out.append(rotate(part, pos) if proj != "v_proj" else part)
        return out

    hs = [p["model.embed_tokens.weight"][t].clone() for t in ids]
    for l in range(d["L"]):
        pre = f"model.layers.{l}."
        xs = [norm(h, p[pre + "input_layernorm.weight"]) for h in hs]
        q = [heads(pre + "self_attn.", "q_proj", x, NH, t) for t, x in enumerate(xs)]
        k = [heads(pre + "self_attn.", "k_proj", x, NKV, t) for t, x in enumerate(xs)]
        v = [heads(pre + "self_attn.", "v_proj", x, NKV, t) for t, x in enumerate(xs)]
        for t in range(len(ids)):
            ys = []
            for h in range(NH):
                g = h // rep
                scores = [float(q[t][h] @ k[s][g]) / math.sqrt(HS) for s in range(t + 1)]
                top = max(scores)
                weights = [math.exp(s - top) for s in scores]
                total = sum(weights)
                ys.append(sum(w / total * v[s][g] for s, w in enumerate(weights)))
            hs[t] = hs[t] + p[pre + "self_attn.o_proj.weight"] @ torch.cat(ys)
        for t in range(len(ids)):
            x = norm(hs[t], p[pre + "post_attention_layernorm.weight"])
            gate = p[pre + "mlp.gate_proj.weight"] @ x
            up = p[pre + "mlp.up_proj.weight"] @ x
            hs[t] = hs[t] + p[pre + "mlp.down_proj.weight"] @ (gate / (1.0 + torch.exp(-gate)) * up)
    head = p["model.embed_tokens.weight"] if d["tied"] else p["lm_head.weight"]
    return torch.stack([head @ norm(h, p["model.norm.weight"]) for h in hs])
