"""Training-side reference for the train golden fixture: the llama_reference forward returning final-norm
hidden states, LoRA (merged and unmerged), and every loss of workers/ml/train/README.md twice: vectorised
in torch (differentiated for the gradients) and as plain Python loops over floats (cross-check only).

Losses are written as their definitions (means over tokens / pairs / terms / prompts / sequences), not as
the engine's loss_sum / count. Shape legend as in llama_reference: B batch rows, T time, C hidden, V vocab.
"""
import math
import statistics

import torch

import llama_reference
from llama_reference import attention, derived, mlp, rms_norm, rope_cos_sin
from peft_keys import module_paths

# ----------------------------------------------------------------------------------------------- forward


def hidden_states(cfg, params, input_ids, attention_mask, position_ids, dtype):
    """llama_reference.forward up to and including the final RMSNorm: [B, T, C] in `dtype`."""
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
    return rms_norm(h, p["model.norm.weight"], d["eps"])  # B,T,C


def lm_head(cfg, params, h):
    """Logits [B, T, V] from final hidden states, as llama_reference.forward's last line."""
    head = params["model.embed_tokens.weight"] if derived(cfg)["tied"] else params["lm_head.weight"]
    return h @ head.to(h.dtype).T


def lora_names(path):
    return path + ".lora_A.weight", path + ".lora_B.weight"


def merged_params(cfg, base, lora, scaling, dtype):
    """Base weights in `dtype` with W + scaling * B @ A for every adapted module (lora None: adapter off)."""
    p = {k: v.to(dtype) for k, v in base.items()}
    if lora is not None:
        for path in module_paths(cfg):
            a, b = lora_names(path)
            p[path + ".weight"] = p[path + ".weight"] + scaling * (lora[b].to(dtype) @ lora[a].to(dtype))
    return p


def unmerged_hidden_states(cfg, base, lora, scaling, input_ids, attention_mask, position_ids, dtype):
    """Cross-check of the merged LoRA: y = W x (+ bias) + scaling * B (A x), by swapping llama_reference's
    `linear` for the duration of one forward (attention and mlp look it up in that module)."""
    original = llama_reference.linear
    adapted = set(module_paths(cfg))

    def lora_linear(x, p, name, bias):
        y = original(x, p, name, bias)
        if name in adapted:
            a, b = lora_names(name)
            y = y + scaling * ((x @ lora[a].to(dtype).T) @ lora[b].to(dtype).T)
        return y

    llama_reference.linear = lora_linear
    try:
        return hidden_states(cfg, base, input_ids, attention_mask, position_ids, dtype)
    finally:
        llama_reference.linear = original


def token_logps(logits, input_ids, temperature):
    """logp[b, t] = log_softmax(logits[b, t - 1] / temperature)[ids[b, t]] for t >= 1; 0 at t = 0. [B, T]."""
    lp = torch.log_softmax(logits[:, :-1] / temperature, dim=-1)  # B,T-1,V
    picked = lp.gather(-1, input_ids[:, 1:, None])[..., 0]  # B,T-1
    return torch.cat([torch.zeros_like(picked[:, :1]), picked], dim=1)  # B,T


def last_token_rewards(h, attention_mask, score):
    """Reward of each row: score head [1, C] on the hidden state of its last real token (right padding)."""
    last = attention_mask.sum(-1) - 1  # B
    return (h[torch.arange(h.shape[0]), last] @ score.to(h.dtype).T)[:, 0]  # B


def logsigmoid(x):
    """The contract's stable form: min(x, 0) - log(1 + exp(-|x|))."""
    return torch.clamp(x, max=0) - torch.log1p(torch.exp(-x.abs()))


# ------------------------------------------------------------------------------------ vectorised losses


def ce_loss(tok_logp, scored):
    """Mean of -logp over scored tokens (pre-training, SFT)."""
    s = scored.to(tok_logp.dtype)
    return -(tok_logp * s).sum() / s.sum()


def bt_loss(rewards, groups, pairs, center):
    """Per prompt: mean over its pairs of -logsigmoid(r_i - r_j - m) + c (r_i + r_j)^2; mean over prompts.
    Metrics per prompt (mean over pairs), then mean over prompts."""
    losses, accs, margins = [], [], []
    for gi in range(len(groups)):
        ps = [q for q in pairs if q["group"] == gi]
        i = torch.tensor([q["better"] for q in ps])
        j = torch.tensor([q["worse"] for q in ps])
        m = torch.tensor([q["margin"] for q in ps], dtype=rewards.dtype)
        diff = rewards[i] - rewards[j]
        losses.append((-logsigmoid(diff - m) + center * (rewards[i] + rewards[j]) ** 2).mean())
        accs.append((diff > 0).to(rewards.dtype).mean())
        margins.append(diff.mean())
    metrics = {"accuracy": torch.stack(accs).mean(), "margin": torch.stack(margins).mean()}
    return torch.stack(losses).mean(), metrics


def pl_loss(rewards, groups):
    """Per prompt: mean over candidates outside the last tier of -(r_i - logsumexp_{tier_j >= tier_i} r_j)."""
    losses = []
    for g in groups:
        rows = torch.tensor(g["rows"])
        tiers = torch.tensor(g["tiers"])
        r = rewards[rows]
        terms = []
        for k in range(len(g["rows"])):
            if g["tiers"][k] == max(g["tiers"]):
                continue
            risk = tiers >= tiers[k]
            terms.append(-(r[k] - torch.logsumexp(r[risk], dim=0)))
        losses.append(torch.stack(terms).mean())
    return torch.stack(losses).mean(), {}


def sequence_logps(tok_logp, completion, mean):
    c = completion.to(tok_logp.dtype)
    s = (tok_logp * c).sum(-1)
    return s / c.sum(-1) if mean else s


def dpo_loss(seq_logp, pairs, ref_chosen, ref_rejected, beta, loss_type):
    ci = torch.tensor([q["chosen"] for q in pairs])
    ri = torch.tensor([q["rejected"] for q in pairs])
    pc, pr = seq_logp[ci], seq_logp[ri]
    logits = (pc - pr) - (ref_chosen - ref_rejected)
    if loss_type == "sigmoid":
        per = -logsigmoid(beta * logits)  # label smoothing 0
    elif loss_type == "ipo":
        per = (logits - 1 / (2 * beta)) ** 2
    else:
        raise ValueError(loss_type)
    rc, rr = beta * (pc - ref_chosen), beta * (pr - ref_rejected)
    metrics = {
        "rewards/chosen": rc.mean(), "rewards/rejected": rr.mean(),
        "rewards/accuracies": (rc > rr).to(rc.dtype).mean(), "rewards/margins": (rc - rr).mean(),
        "logps/chosen": pc.mean(), "logps/rejected": pr.mean(),
    }
    return per.mean(), metrics


def rloo_advantages(scores, old, ref, completion, beta):
    """Outside the graph: kl_i = sum_t (old - ref), R_i = s_i - beta kl_i, A_i = R_i - mean_{j != i} R_j."""
    kl = ((old - ref) * completion).sum(-1)
    R = scores - beta * kl
    K = R.shape[0]
    return R - (R.sum() - R) / (K - 1), kl


def rloo_loss(tok_logp, completion, advantages, kl, scores):
    seq = sequence_logps(tok_logp, completion, mean=False)
    return -(advantages * seq).mean(), {"kl": kl.mean(), "rewards/mean": scores.mean()}


def grpo_advantages(scores):
    return (scores - scores.mean()) / (scores.std(unbiased=True) + 1e-4)


def grpo_loss(tok_logp, old, ref, completion, advantages, beta, eps):
    c = completion.to(tok_logp.dtype)
    A = advantages[:, None]
    ratio = torch.exp(tok_logp - old)
    surrogate = -torch.min(ratio * A, torch.clamp(ratio, 1 - eps, 1 + eps) * A)
    k3 = torch.exp(ref - tok_logp) - (ref - tok_logp) - 1
    per_token = surrogate + beta * k3
    per_seq = (per_token * c).sum(-1) / c.sum(-1)
    clipped = ((ratio < 1 - eps) & (A < 0)) | ((ratio > 1 + eps) & (A > 0))
    metrics = {"kl": (k3 * c).sum() / c.sum(), "clip_ratio": (clipped.to(c.dtype) * c).sum() / c.sum()}
    return per_seq.mean(), metrics, clipped & completion.bool()


# ---------------------------------------------------------------------------- plain loops (cross-check)


def plain_token_logp(row_logits, token, temperature):
    """log softmax(row / T)[token] with math, one vocabulary row (a list of floats)."""
    z = [x / temperature for x in row_logits]
    top = max(z)
    return z[token] - (top + math.log(sum(math.exp(x - top) for x in z)))


def plain_logps(logits, ids, scored, temperature):
    """Dict (b, t) -> logp for every scored position, by loops over the float64 logits."""
    L = logits.tolist()
    out = {}
    for b in range(len(ids)):
        for t in range(1, len(ids[b])):
            if scored[b][t]:
                out[(b, t)] = plain_token_logp(L[b][t - 1], ids[b][t], temperature)
    return out


def plain_logsigmoid(x):
    return -math.log1p(math.exp(-x)) if x >= 0 else x - math.log1p(math.exp(x))


def plain_ce(logits, ids, scored):
    lp = plain_logps(logits, ids, scored, 1.0)
    return -sum(lp.values()) / len(lp)


def plain_bt(rewards, groups, margin_of, center):
    """Explicit double loop over each prompt's candidates; ties and reversed orders skipped."""
    per_prompt, accs, margins = [], [], []
    for gi, g in enumerate(groups):
        terms, acc, mar = [], [], []
        for a, i in enumerate(g["rows"]):
            for b, j in enumerate(g["rows"]):
                if g["tiers"][a] < g["tiers"][b]:
                    d = rewards[i] - rewards[j]
                    terms.append(-plain_logsigmoid(d - margin_of[(gi, i, j)]) + center * (rewards[i] + rewards[j]) ** 2)
                    acc.append(1.0 if d > 0 else 0.0)
                    mar.append(d)
        per_prompt.append(sum(terms) / len(terms))
        accs.append(sum(acc) / len(acc))
        margins.append(sum(mar) / len(mar))
    n = len(groups)
    return sum(per_prompt) / n, {"accuracy": sum(accs) / n, "margin": sum(margins) / n}


def plain_pl(rewards, groups):
    per_prompt = []
    for g in groups:
        last = max(g["tiers"])
        terms = []
        for a, i in enumerate(g["rows"]):
            if g["tiers"][a] == last:
                continue
            denom = sum(math.exp(rewards[j]) for b, j in enumerate(g["rows"]) if g["tiers"][b] >= g["tiers"][a])
            terms.append(-(rewards[i] - math.log(denom)))
        per_prompt.append(sum(terms) / len(terms))
    return sum(per_prompt) / len(per_prompt)


def plain_seq(lp, rows, completion, mean):
    """Sequence log-probability of each row from plain per-token values (sum or mean over completion)."""
    out = []
    for b in rows:
        vals = [lp[(b, t)] for t in range(len(completion[b])) if completion[b][t]]
        out.append(sum(vals) / len(vals) if mean else sum(vals))
    return out


def plain_dpo(seq, pairs, ref_c, ref_r, beta, loss_type):
    losses, m = [], {k: [] for k in ("rewards/chosen", "rewards/rejected", "rewards/accuracies", "rewards/margins",
                                     "logps/chosen", "logps/rejected")}
    for k, q in enumerate(pairs):
        pc, pr = seq[q["chosen"]], seq[q["rejected"]]
        logits = (pc - pr) - (ref_c[k] - ref_r[k])
        losses.append(-plain_logsigmoid(beta * logits) if loss_type == "sigmoid" else (logits - 1 / (2 * beta)) ** 2)
        rc, rr = beta * (pc - ref_c[k]), beta * (pr - ref_r[k])
        for key, v in (("rewards/chosen", rc), ("rewards/rejected", rr), ("rewards/accuracies", 1.0 if rc > rr else 0.0),
                       ("rewards/margins", rc - rr), ("logps/chosen", pc), ("logps/rejected", pr)):
            m[key].append(v)
    n = len(pairs)
    return sum(losses) / n, {k: sum(v) / n for k, v in m.items()}


def plain_rloo(lp, old, ref, completion, scores, beta):
    K = len(scores)
    kl = [sum(old[i][t] - ref[i][t] for t in range(len(completion[i])) if completion[i][t]) for i in range(K)]
    R = [scores[i] - beta * kl[i] for i in range(K)]
    adv = [R[i] - sum(R[j] for j in range(K) if j != i) / (K - 1) for i in range(K)]
    seq = plain_seq(lp, range(K), completion, mean=False)
    loss = -sum(adv[i] * seq[i] for i in range(K)) / K
    return loss, adv, {"kl": sum(kl) / K, "rewards/mean": sum(scores) / K}


def plain_grpo(lp, old, ref, completion, scores, beta, eps):
    K = len(scores)
    mean, std = sum(scores) / K, statistics.stdev(scores)
    adv = [(s - mean) / (std + 1e-4) for s in scores]
    per_seq, k3s, clipped = [], [], 0
    for i in range(K):
        terms = []
        for t in range(len(completion[i])):
            if not completion[i][t]:
                continue
            ratio = math.exp(lp[(i, t)] - old[i][t])
            clip = min(max(ratio, 1 - eps), 1 + eps)
            k3 = math.exp(ref[i][t] - lp[(i, t)]) - (ref[i][t] - lp[(i, t)]) - 1
            terms.append(-min(ratio * adv[i], clip * adv[i]) + beta * k3)
            k3s.append(k3)
            clipped += (ratio < 1 - eps and adv[i] < 0) or (ratio > 1 + eps and adv[i] > 0)
        per_seq.append(sum(terms) / len(terms))
    return sum(per_seq) / K, adv, {"kl": sum(k3s) / len(k3s), "clip_ratio": clipped / len(k3s)}


# ---------------------------------------------------------------------------------------------- AdamW


def hf_cosine_with_warmup(step, warmup, total, num_cycles=0.5):
    """transformers.optimization._get_cosine_schedule_with_warmup_lr_lambda."""
    if step < warmup:
        return float(step) / float(max(1, warmup))
    progress = float(step - warmup) / float(max(1, total - warmup))
    return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))


def plain_adamw(params, grad_fn, steps, lr, betas, eps, weight_decay_of, max_norm, warmup):
    """AdamW written out (decoupled decay p *= 1 - lr wd, bias-corrected moments), torch's clip_grad_norm_
    (coefficient max_norm / (norm + 1e-6), applied only when below 1) and the HF schedule. Returns per-step
    losses, norms, lrs and the final parameters."""
    p = {k: v.detach().clone() for k, v in params.items()}
    m = {k: torch.zeros_like(v) for k, v in p.items()}
    v2 = {k: torch.zeros_like(v) for k, v in p.items()}
    losses, norms, lrs = [], [], []
    b1, b2 = betas
    for k in range(steps):
        step_lr = lr * hf_cosine_with_warmup(k, warmup, steps)
        loss, grads = grad_fn(p)
        norm = math.sqrt(sum(float((g * g).sum()) for g in grads.values()))
        coef = min(1.0, max_norm / (norm + 1e-6))
        losses.append(loss)
        norms.append(norm)
        lrs.append(step_lr)
        t = k + 1
        for n in p:
            g = grads[n] * coef
            p[n] = p[n] * (1 - step_lr * weight_decay_of(n))
            m[n] = b1 * m[n] + (1 - b1) * g
            v2[n] = b2 * v2[n] + (1 - b2) * g * g
            mhat = m[n] / (1 - b1 ** t)
            vhat = v2[n] / (1 - b2 ** t)
            p[n] = p[n] - step_lr * mhat / (vhat.sqrt() + eps)
    return losses, norms, lrs, p
