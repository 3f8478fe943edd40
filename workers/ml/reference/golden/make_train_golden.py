"""Generates the training golden fixture (workers/ml/fixtures/golden/train.bin): float64 losses, metrics and
gradients of every loss in workers/ml/train/README.md (the contract), plus ten AdamW steps, on two of the
committed tiny checkpoints. It is the independent reference, not the engine; it asserts its own consistency
(plain-loop losses, finite differences, gradcheck, unmerged LoRA, padding invariance, plain AdamW) so that a
bug here fails generation. See TRAIN.md beside this file.

Run with Debian's PyTorch:  /usr/bin/python3 workers/ml/reference/golden/make_train_golden.py
"""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the working tree

import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402

import torch  # noqa: E402

from llama_reference import derived, forward  # noqa: E402
from make_golden import TensorTable, position_ids_for  # noqa: E402
from naive_reference import naive_logits  # noqa: E402
from peft_keys import TARGET_MODULES, derived_peft_keys, module_paths  # noqa: E402
from safetensors_io import read_safetensors  # noqa: E402
from train_reference import (  # noqa: E402
    bt_loss, ce_loss, dpo_loss, grpo_advantages, grpo_loss, hf_cosine_with_warmup, hidden_states,
    last_token_rewards, lm_head, lora_names, merged_params, pl_loss, plain_adamw, plain_bt, plain_ce, plain_dpo,
    plain_grpo, plain_logps, plain_pl, plain_rloo, plain_seq, rloo_advantages, rloo_loss, sequence_logps,
    token_logps, unmerged_hidden_states,
)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
GOLDEN_DIR = os.path.join(REPO, "workers", "ml", "fixtures", "golden")
OUT_PATH = os.path.join(GOLDEN_DIR, "train.bin")
PEFT_KEYS_PATH = os.path.join(GOLDEN_DIR, "peft-keys.json")
REGENERATE = "/usr/bin/python3 workers/ml/reference/golden/make_train_golden.py"

MAGIC = b"PFTRAIN\x00"
VERSION = 1
SEED = 20240612
CONFIG_NAMES = ["llama-gqa", "qwen2-bias"]
PAD_ID = 0
MIN_TOKEN = 3  # token ids are drawn from [3, vocab): never PAD (0), BOS (1) or 2
LORA_R, LORA_ALPHA = 4, 8
SCALING = LORA_ALPHA / LORA_R
LORA_B_STD = 0.02  # non-zero B (PEFT initialises zeros) so that every lora_A gradient is non-zero too
SCORE_STD = 0.02
EXACT = 1e-10  # float64 identities (row alone vs batched, merged vs unmerged, plain loops) hold to this
DECISION_MARGIN = 1e-3  # comparisons (clip boundaries, reward order) stay this far from a tie: fp32 cannot flip them
FD_STEP = 1e-6
FD_TOL = 1e-6  # |finite difference - autograd| <= FD_TOL * max |gradient of that tensor| + 1e-9
MAX_BYTES = 1_500_000

BT_CENTER = 0.01
DPO_BETA = 0.1
RL_TEMPERATURE = 0.7
RLOO_BETA = 0.05
GRPO_BETA = 0.04
GRPO_EPS = 0.2
RL_SCORES = [1.0, -0.5, 0.25]
OLD_NOISE_STDS = [0.05, 0.1, 0.15, 0.2, 0.3]  # the first that makes GRPO clip at least one token is used
ADAMW = {"lr": 1e-2, "betas": [0.9, 0.999], "eps": 1e-8, "weightDecay": 0.1, "maxGradNorm": 1.0,
         "warmupSteps": 2, "totalSteps": 10, "schedule": "cosine_with_warmup (transformers, num_cycles 0.5)",
         "noDecay": "names ending in .bias or norm.weight"}


def rel_err(a, b):
    return ((a - b).abs().max() / b.abs().max().clamp(min=1e-300)).item()


def close(a, b, tol=EXACT):
    return abs(a - b) <= tol * max(1.0, abs(b))


def right_pad(seqs):
    """Right-padded ids, mask (0 at pads) and positions 0..len-1 (1 at pads, HF's masked_fill)."""
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), PAD_ID, dtype=torch.long)
    mask = torch.zeros((len(seqs), T), dtype=torch.long)
    for b, s in enumerate(seqs):
        ids[b, : len(s)] = torch.tensor(s)
        mask[b, : len(s)] = 1
    return ids, mask, position_ids_for(mask)


def completion_mask(prompt_lens, total_lens, T):
    m = torch.zeros((len(prompt_lens), T), dtype=torch.long)
    for b, (p, n) in enumerate(zip(prompt_lens, total_lens)):
        m[b, p:n] = 1
    return m


def masked_list(x, mask):
    """[B][T] floats, 0.0 where mask is 0 (JSON has no NaN)."""
    return [[float(v) if m else 0.0 for v, m in zip(row, mrow)] for row, mrow in zip(x.tolist(), mask.tolist())]


class Case:
    """One golden case: a batch, which tensors train, and `objective(p, score, dtype)` returning
    (loss, metrics, outputs) from merged parameters; `plain(outputs64)` recomputes loss and metrics by loops."""

    def __init__(self, name, trainable, ids, mask, pos, inputs, settings, count, objective, plain):
        self.name, self.trainable = name, trainable
        self.ids, self.mask, self.pos = ids, mask, pos
        self.inputs = {"inputIds": ids.tolist(), "attentionMask": mask.tolist(), "positionIds": pos.tolist(),
                       "lengths": mask.sum(-1).tolist(), **inputs}
        self.settings, self.count, self.objective, self.plain = settings, count, objective, plain


class Model:
    """A checkpoint with its frozen base weights (float32 as stored), LoRA A/B and score head (float32)."""

    def __init__(self, name, gen):
        self.name = name
        self.dir = os.path.join(GOLDEN_DIR, name)
        with open(os.path.join(self.dir, "config.json")) as f:
            self.cfg = json.load(f)
        self.base = read_safetensors(os.path.join(self.dir, "model.safetensors"))
        self.V, self.C = self.cfg["vocab_size"], self.cfg["hidden_size"]
        self.lora = {}
        for path in module_paths(self.cfg):
            out_f, in_f = self.base[path + ".weight"].shape
            a, b = lora_names(path)
            bound = 1.0 / math.sqrt(in_f)  # kaiming_uniform(a = sqrt(5)) on [r, in] = U(-1/sqrt(in), 1/sqrt(in))
            self.lora[a] = ((torch.rand((LORA_R, in_f), generator=gen, dtype=torch.float64) * 2 - 1) * bound).float()
            self.lora[b] = (torch.randn((out_f, LORA_R), generator=gen, dtype=torch.float64) * LORA_B_STD).float()
        self.score = (torch.randn((1, self.C), generator=gen, dtype=torch.float64) * SCORE_STD).float()
        self.gen = gen

    def tokens(self, n):
        return torch.randint(MIN_TOKEN, self.V, (n,), generator=self.gen).tolist()

    def trainables(self, case):
        """name -> float32 tensor of what trains in this case."""
        if case.trainable == "full":
            return dict(self.base)
        t = dict(self.lora)
        if case.trainable == "lora+score":
            t["score.weight"] = self.score
        return t

    def evaluate(self, case, trained, dtype):
        """(loss, metrics, outputs) with `trained` (name -> tensor, possibly requiring grad)."""
        if case.trainable == "full":
            p = {k: v.to(dtype) for k, v in trained.items()}
        else:
            p = merged_params(self.cfg, self.base, {k: trained[k] for k in self.lora}, SCALING, dtype)
        return case.objective(p, trained.get("score.weight"), dtype)

    def params(self, lora_on, dtype=torch.float64):
        return merged_params(self.cfg, self.base, self.lora if lora_on else None, SCALING, dtype)


# -------------------------------------------------------------------------------------------------- cases


def lm_objective(m, ids, mask, pos, temperature):
    def logps(p, dtype):
        return token_logps(lm_head(m.cfg, p, hidden_states(m.cfg, p, ids, mask, pos, dtype)), ids, temperature)
    return logps


def case_pretrain(m):
    ids, mask, pos = right_pad([m.tokens(n) for n in [7, 5, 9]])
    scored = torch.zeros_like(mask)
    scored[:, 1:] = mask[:, 1:] * mask[:, :-1]  # every real token after the first

    def objective(p, score, dtype):
        logits = lm_head(m.cfg, p, hidden_states(m.cfg, p, ids, mask, pos, dtype))
        lp = token_logps(logits, ids, 1.0)
        return ce_loss(lp, scored), {}, {"logits": logits, "tokenLogps": lp}

    def plain(out):
        return plain_ce(out["logits"], ids.tolist(), scored.tolist()), {}

    return Case("pretrain", "full", ids, mask, pos, {}, {}, int(scored.sum()), objective, plain), scored


def case_sft(m):
    prompts, completions = [3, 4, 2], [4, 2, 5]
    ids, mask, pos = right_pad([m.tokens(p + c) for p, c in zip(prompts, completions)])
    comp = completion_mask(prompts, [p + c for p, c in zip(prompts, completions)], ids.shape[1])

    def objective(p, score, dtype):
        logits = lm_head(m.cfg, p, hidden_states(m.cfg, p, ids, mask, pos, dtype))
        lp = token_logps(logits, ids, 1.0)
        return ce_loss(lp, comp), {}, {"logits": logits, "tokenLogps": lp}

    def plain(out):
        return plain_ce(out["logits"], ids.tolist(), comp.tolist()), {}

    inputs = {"completionMask": comp.tolist(), "promptLengths": prompts}
    return Case("sft", "lora", ids, mask, pos, inputs, {}, int(comp.sum()), objective, plain), comp


def reward_batch(m):
    """Prompt A (3 tokens) with 4 candidates, tiers [0, 1, 1, 2]; prompt B (4 tokens) with 2, tiers [0, 1]."""
    pa, pb = m.tokens(3), m.tokens(4)
    seqs = [pa + m.tokens(n) for n in [4, 2, 5, 3]] + [pb + m.tokens(n) for n in [3, 5]]
    groups = [{"rows": [0, 1, 2, 3], "tiers": [0, 1, 1, 2]}, {"rows": [4, 5], "tiers": [0, 1]}]
    margins = [0.0, 0.5]
    pairs = []
    for gi, g in enumerate(groups):
        for a, i in enumerate(g["rows"]):
            for b, j in enumerate(g["rows"]):
                if g["tiers"][a] < g["tiers"][b]:
                    pairs.append({"group": gi, "better": i, "worse": j, "margin": margins[gi]})
    assert len(pairs) == 6 and sum(q["group"] == 0 for q in pairs) == 5, "5 pairs for A (one tie), 1 for B"
    return right_pad(seqs), groups, pairs, [3, 3, 3, 3, 4, 4]


def case_bt(m, batch):
    (ids, mask, pos), groups, pairs, prompt_lens = batch
    margin_of = {(q["group"], q["better"], q["worse"]): q["margin"] for q in pairs}

    def objective(p, score, dtype):
        r = last_token_rewards(hidden_states(m.cfg, p, ids, mask, pos, dtype), mask, score)
        loss, metrics = bt_loss(r, groups, pairs, BT_CENTER)
        return loss, metrics, {"rewards": r}

    def plain(out):
        return plain_bt(out["rewards"].tolist(), groups, margin_of, BT_CENTER)

    inputs = {"promptLengths": prompt_lens, "groups": groups, "pairs": pairs}
    settings = {"centerRewardsCoefficient": BT_CENTER, "rewardPosition": "last real token (lengths - 1)"}
    return Case("bt", "lora+score", ids, mask, pos, inputs, settings, len(groups), objective, plain)


def case_pl(m, batch):
    (ids, mask, pos), groups, _pairs, prompt_lens = batch

    def objective(p, score, dtype):
        r = last_token_rewards(hidden_states(m.cfg, p, ids, mask, pos, dtype), mask, score)
        loss, metrics = pl_loss(r, groups)
        return loss, metrics, {"rewards": r}

    def plain(out):
        return plain_pl(out["rewards"].tolist(), groups), {}

    inputs = {"promptLengths": prompt_lens, "groups": groups}
    settings = {"ties": "breslow", "rewardPosition": "last real token (lengths - 1)"}
    return Case("pl", "lora+score", ids, mask, pos, inputs, settings, len(groups), objective, plain)


def dpo_batch(m):
    """2 pairs; rows chosen first then rejected (TRL's concatenated order): [c0, c1, r0, r1]."""
    prompts = [m.tokens(3), m.tokens(4)]
    chosen = [m.tokens(3), m.tokens(5)]
    rejected = [m.tokens(4), m.tokens(2)]
    seqs = [prompts[k] + chosen[k] for k in range(2)] + [prompts[k] + rejected[k] for k in range(2)]
    ids, mask, pos = right_pad(seqs)
    prompt_lens = [3, 4, 3, 4]
    comp = completion_mask(prompt_lens, [len(s) for s in seqs], ids.shape[1])
    pairs = [{"chosen": 0, "rejected": 2}, {"chosen": 1, "rejected": 3}]
    return ids, mask, pos, comp, prompt_lens, pairs


def case_dpo(m, batch, loss_type):
    ids, mask, pos, comp, prompt_lens, pairs = batch
    mean = loss_type == "ipo"  # IPO: sequence log-probs are means over completion tokens (TRL)
    logps = lm_objective(m, ids, mask, pos, 1.0)
    with torch.no_grad():
        ref_seq = sequence_logps(logps(m.params(lora_on=False), torch.float64), comp, mean)
    ref_c = ref_seq[[q["chosen"] for q in pairs]]
    ref_r = ref_seq[[q["rejected"] for q in pairs]]

    def objective(p, score, dtype):
        logits = lm_head(m.cfg, p, hidden_states(m.cfg, p, ids, mask, pos, dtype))
        lp = token_logps(logits, ids, 1.0)
        seq = sequence_logps(lp, comp, mean)
        loss, metrics = dpo_loss(seq, pairs, ref_c.to(dtype), ref_r.to(dtype), DPO_BETA, loss_type)
        return loss, metrics, {"tokenLogps": lp, "sequenceLogps": seq, "logits": logits}

    def plain(out):
        lp = plain_logps(out["logits"], ids.tolist(), comp.tolist(), 1.0)
        seq = plain_seq(lp, range(ids.shape[0]), comp.tolist(), mean)
        return plain_dpo(seq, pairs, ref_c.tolist(), ref_r.tolist(), DPO_BETA, loss_type)

    inputs = {"completionMask": comp.tolist(), "promptLengths": prompt_lens, "pairs": pairs,
              "refChosenLogps": ref_c.tolist(), "refRejectedLogps": ref_r.tolist()}
    settings = {"beta": DPO_BETA, "lossType": loss_type, "labelSmoothing": 0.0,
                "sequenceLogp": "mean over completion tokens" if mean else "sum over completion tokens",
                "reference": "base model, adapter off"}
    return Case(f"dpo_{loss_type}", "lora", ids, mask, pos, inputs, settings, len(pairs), objective, plain)


def rl_batch(m):
    """One prompt (4 tokens), K = 3 completions of lengths 5, 3, 6; old = policy + noise, ref = base."""
    prompt = m.tokens(4)
    lens = [5, 3, 6]
    seqs = [prompt + m.tokens(n) for n in lens]
    ids, mask, pos = right_pad(seqs)
    comp = completion_mask([4] * 3, [len(s) for s in seqs], ids.shape[1])
    logps = lm_objective(m, ids, mask, pos, RL_TEMPERATURE)
    with torch.no_grad():
        policy = logps(m.params(lora_on=True), torch.float64) * comp
        ref = logps(m.params(lora_on=False), torch.float64) * comp
    scores = torch.tensor(RL_SCORES, dtype=torch.float64)
    adv = grpo_advantages(scores)
    for std in OLD_NOISE_STDS:
        old = (policy + std * torch.randn(policy.shape, generator=m.gen, dtype=torch.float64)) * comp
        _, _, clipped = grpo_loss(policy, old, ref, comp, adv, GRPO_BETA, GRPO_EPS)
        active = comp.bool() & (adv[:, None] != 0)
        ratio = torch.exp(policy - old)
        near = comp.bool() & (((ratio - (1 - GRPO_EPS)).abs() < DECISION_MARGIN) |
                              ((ratio - (1 + GRPO_EPS)).abs() < DECISION_MARGIN))
        if clipped.any() and (active & ~clipped).any() and not near.any():
            return ids, mask, pos, comp, old, ref, scores, std, int(clipped.sum())
    raise RuntimeError("no noise level makes GRPO clip a token")


def case_rloo(m, batch):
    ids, mask, pos, comp, old, ref, scores, std, _ = batch
    adv, _kl = rloo_advantages(scores, old, ref, comp, RLOO_BETA)
    logps = lm_objective(m, ids, mask, pos, RL_TEMPERATURE)

    def objective(p, score, dtype):
        lp = logps(p, dtype)
        a, kl = rloo_advantages(scores.to(dtype), old.to(dtype), ref.to(dtype), comp, RLOO_BETA)
        loss, metrics = rloo_loss(lp, comp, a.detach(), kl, scores.to(dtype))
        return loss, metrics, {"tokenLogps": lp, "_lp": lp}

    def plain(out):
        lp = {(b, t): v for (b, t), v in plain_lp_from(out["_lp"], comp).items()}
        loss, padv, metrics = plain_rloo(lp, old.tolist(), ref.tolist(), comp.tolist(), scores.tolist(), RLOO_BETA)
        assert all(close(x, y) for x, y in zip(padv, adv.tolist())), "RLOO advantages differ from the loop"
        return loss, metrics

    inputs = {"completionMask": comp.tolist(), "promptLengths": [4, 4, 4], "scores": scores.tolist(),
              "oldLogps": masked_list(old, comp), "refLogps": masked_list(ref, comp), "advantages": adv.tolist()}
    settings = {"beta": RLOO_BETA, "temperature": RL_TEMPERATURE, "oldNoiseStd": std}
    return Case("rloo", "lora", ids, mask, pos, inputs, settings, ids.shape[0], objective, plain)


def plain_lp_from(lp, comp):
    return {(b, t): lp[b, t].item() for b in range(comp.shape[0]) for t in range(comp.shape[1]) if comp[b, t]}


def case_grpo(m, batch):
    ids, mask, pos, comp, old, ref, scores, std, n_clipped = batch
    adv = grpo_advantages(scores)
    logps = lm_objective(m, ids, mask, pos, RL_TEMPERATURE)

    def objective(p, score, dtype):
        lp = logps(p, dtype)
        loss, metrics, clipped = grpo_loss(lp, old.to(dtype), ref.to(dtype), comp, adv.to(dtype), GRPO_BETA, GRPO_EPS)
        return loss, metrics, {"tokenLogps": lp, "_lp": lp, "clipped": clipped}

    def plain(out):
        loss, padv, metrics = plain_grpo(plain_lp_from(out["_lp"], comp), old.tolist(), ref.tolist(), comp.tolist(),
                                         scores.tolist(), GRPO_BETA, GRPO_EPS)
        assert all(close(x, y) for x, y in zip(padv, adv.tolist())), "GRPO advantages differ from the loop"
        return loss, metrics

    inputs = {"completionMask": comp.tolist(), "promptLengths": [4, 4, 4], "scores": scores.tolist(),
              "oldLogps": masked_list(old, comp), "refLogps": masked_list(ref, comp), "advantages": adv.tolist()}
    settings = {"beta": GRPO_BETA, "epsilon": GRPO_EPS, "temperature": RL_TEMPERATURE, "oldNoiseStd": std,
                "lossType": "grpo", "clippedTokens": n_clipped}
    return Case("grpo", "lora", ids, mask, pos, inputs, settings, ids.shape[0], objective, plain)


# -------------------------------------------------------------------------------------------- self-checks


def check_forward(m, case):
    """Merged LoRA = unmerged LoRA = naive forward; each row alone = batched row; pads do not leak."""
    ids, mask, pos = case.ids, case.mask, case.pos
    real = mask.bool()
    lora_on = case.trainable != "full"
    p = m.params(lora_on)
    h = hidden_states(m.cfg, p, ids, mask, pos, torch.float64)
    logits = lm_head(m.cfg, p, h)
    if not lora_on:
        ref = forward(m.cfg, m.base, ids, mask, pos, torch.float64)
        assert torch.equal(logits[real], ref[real]), "hidden-state forward differs from llama_reference.forward"
    else:
        un = unmerged_hidden_states(m.cfg, m.base, m.lora, SCALING, ids, mask, pos, torch.float64)
        assert rel_err(un[real], h[real]) < EXACT, "merged and unmerged LoRA differ"
        base_logits = forward(m.cfg, m.base, ids, mask, pos, torch.float64)
        assert rel_err(logits[real], base_logits[real]) > 1e-4, "the adapter changes nothing"
    for b in range(ids.shape[0]):
        n = int(mask[b].sum())
        alone = torch.tensor([ids[b, :n].tolist()])
        one = torch.ones_like(alone)
        h1 = hidden_states(m.cfg, p, alone, one, position_ids_for(one), torch.float64)[0]
        assert rel_err(h[b, :n], h1) < EXACT, f"{case.name}: row {b} batched differs from alone"
        assert rel_err(naive_logits(m.cfg, p, ids[b, :n].tolist()), logits[b, :n]) < EXACT, "naive forward differs"
    other = hidden_states(m.cfg, p, ids.masked_fill(~real, 7), mask, pos.masked_fill(~real, 0), torch.float64)
    assert rel_err(other[real], h[real]) < EXACT, f"{case.name}: pad ids or positions leak"
    # Right padding: every row's real tokens are a prefix.
    for row in mask.tolist():
        assert row == sorted(row, reverse=True) and row[0] == 1


def gradients(m, case, dtype):
    leaves = {k: v.to(dtype).detach().clone().requires_grad_(True) for k, v in m.trainables(case).items()}
    loss, metrics, outputs = m.evaluate(case, leaves, dtype)
    names = sorted(leaves)
    gs = torch.autograd.grad(loss, [leaves[n] for n in names])
    return loss.detach(), {k: float(v) for k, v in metrics.items()}, outputs, dict(zip(names, gs))


def finite_difference_check(m, case, grads, check_gen):
    """Central differences of a few entries (the largest |gradient| and a random one) in about 7 tensors."""
    base = {k: v.to(torch.float64) for k, v in m.trainables(case).items()}
    names = sorted(grads)
    picks = sorted({names[round(i * (len(names) - 1) / 5)] for i in range(6)} | ({"score.weight"} & set(names)))
    worst = 0.0
    for n in picks:
        g = grads[n].reshape(-1)
        scale = g.abs().max().item()
        for idx in (int(g.abs().argmax()), int(torch.randint(0, g.numel(), (1,), generator=check_gen))):
            vals = []
            for sign in (1, -1):
                t = dict(base)
                x = base[n].clone().reshape(-1)
                x[idx] += sign * FD_STEP
                t[n] = x.reshape(base[n].shape)
                with torch.no_grad():
                    vals.append(m.evaluate(case, t, torch.float64)[0].item())
            fd = (vals[0] - vals[1]) / (2 * FD_STEP)
            err = abs(fd - g[idx].item())
            assert err <= FD_TOL * scale + 1e-9, f"{case.name}: d loss / d {n}[{idx}] = {g[idx].item()} but FD {fd}"
            worst = max(worst, err / scale)
    return worst


def gradcheck_slice(m, case, grads):
    """torch.autograd.gradcheck on three entries of the tensor with the largest gradient."""
    base = {k: v.to(torch.float64) for k, v in m.trainables(case).items()}
    n = max(grads, key=lambda k: grads[k].abs().max().item())
    flat = base[n].reshape(-1)
    start = min(int(grads[n].reshape(-1).abs().argmax()), flat.numel() - 3)

    def fn(piece):
        x = torch.cat([flat[:start], piece, flat[start + 3:]]).reshape(base[n].shape)
        return m.evaluate(case, {**base, n: x}, torch.float64)[0]

    piece = flat[start:start + 3].clone().requires_grad_(True)
    assert torch.autograd.gradcheck(fn, (piece,), eps=1e-6, atol=1e-8, rtol=1e-5), f"{case.name}: gradcheck"
    return n


def run_case(m, case, table, check_gen):
    check_forward(m, case)
    loss, metrics, outputs, grads = gradients(m, case, torch.float64)
    assert math.isfinite(loss.item())
    # The same loss and metrics by plain loops.
    plain_loss, plain_metrics = case.plain({k: (v.detach() if torch.is_tensor(v) else v) for k, v in outputs.items()})
    assert close(plain_loss, loss.item()), f"{case.name}: loss {loss.item()} vs plain loop {plain_loss}"
    assert sorted(plain_metrics) == sorted(metrics), f"{case.name}: metric names"
    for k in metrics:
        assert close(plain_metrics[k], metrics[k]), f"{case.name}: metric {k} {metrics[k]} vs {plain_metrics[k]}"
    # Metrics that compare (accuracy, rewards/accuracies) are far from a tie.
    if "rewards" in outputs and "pairs" in case.inputs:
        r = outputs["rewards"].detach()
        gaps = [abs((r[q["better"]] - r[q["worse"]]).item()) for q in case.inputs["pairs"]]
        assert min(gaps) > DECISION_MARGIN * 0.1, f"{case.name}: a reward pair is nearly tied ({min(gaps)})"
    if "sequenceLogps" in outputs:
        seq = outputs["sequenceLogps"].detach()
        for k, q in enumerate(case.inputs["pairs"]):
            gap = DPO_BETA * ((seq[q["chosen"]] - case.inputs["refChosenLogps"][k])
                              - (seq[q["rejected"]] - case.inputs["refRejectedLogps"][k])).item()
            assert abs(gap) > DECISION_MARGIN * 0.1, f"{case.name}: chosen and rejected rewards nearly tied ({gap})"
    # Every trained tensor gets a finite, non-zero gradient.
    expected = set(m.trainables(case))
    assert set(grads) == expected
    for n, g in grads.items():
        assert torch.isfinite(g).all() and g.abs().max() > 0, f"{case.name}: gradient of {n} is zero or not finite"
    fd_worst = finite_difference_check(m, case, grads, check_gen)
    gc_tensor = gradcheck_slice(m, case, grads)
    # The same computation in float32: the error an fp32 engine can reach.
    loss32, metrics32, _, grads32 = gradients(m, case, torch.float32)
    fp32 = {
        "lossAbsDiff": abs(loss32.item() - loss.item()),
        "gradMaxRelDiff": max(rel_err(grads32[n].double(), grads[n]) for n in grads),
    }
    entry = {
        "name": case.name,
        "trainable": case.trainable,
        "settings": case.settings,
        "inputs": case.inputs,
        "count": case.count,
        "loss": loss.item(),
        "metrics": metrics,
        "outputs": case_outputs(case, outputs),
        "gradients": {n: table.add(f"{m.name}/{case.name}/grad/{n}", grads[n].float()) for n in sorted(grads)},
        "fp32": fp32,
    }
    print(f"  {case.name}: loss {loss.item():.6f} count {case.count} metrics "
          f"{ {k: round(v, 4) for k, v in metrics.items()} } | FD worst rel {fd_worst:.1e}, gradcheck on {gc_tensor}, "
          f"fp32 grad rel {fp32['gradMaxRelDiff']:.1e}")
    return entry


def case_outputs(case, outputs):
    """Intermediate reference values for debugging an engine mismatch (float64 in JSON)."""
    out = {}
    if "tokenLogps" in outputs:
        scored = case.scored if hasattr(case, "scored") else torch.tensor(case.inputs["completionMask"])
        out["tokenLogps"] = masked_list(outputs["tokenLogps"].detach(), scored)
    if "sequenceLogps" in outputs:
        out["sequenceLogps"] = outputs["sequenceLogps"].detach().tolist()
    if "rewards" in outputs:
        out["rewards"] = outputs["rewards"].detach().tolist()
    if "clipped" in outputs:
        out["clipped"] = outputs["clipped"].long().tolist()
    return out


# -------------------------------------------------------------------------------------------------- AdamW


def weight_decay_of(name):
    return 0.0 if name.endswith(".bias") or name.endswith("norm.weight") else ADAMW["weightDecay"]


def run_adamw(m, case, dtype):
    params = {k: v.to(dtype).detach().clone().requires_grad_(True) for k, v in sorted(m.base.items())}
    groups = [
        {"params": [p for n, p in params.items() if weight_decay_of(n) > 0], "weight_decay": ADAMW["weightDecay"]},
        {"params": [p for n, p in params.items() if weight_decay_of(n) == 0], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=ADAMW["lr"], betas=tuple(ADAMW["betas"]), eps=ADAMW["eps"])
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: hf_cosine_with_warmup(k, ADAMW["warmupSteps"], ADAMW["totalSteps"]))
    losses, norms, lrs = [], [], []
    for _ in range(ADAMW["totalSteps"]):
        opt.zero_grad()
        lrs.append(opt.param_groups[0]["lr"])
        loss = m.evaluate(case, params, dtype)[0]
        loss.backward()
        norms.append(torch.nn.utils.clip_grad_norm_(list(params.values()), ADAMW["maxGradNorm"]).item())
        opt.step()
        sched.step()
        losses.append(loss.item())
    with torch.no_grad():
        final_loss = m.evaluate(case, params, dtype)[0].item()
    return losses, norms, lrs, {k: v.detach() for k, v in params.items()}, final_loss


def adamw_case(m, case, table):
    losses, norms, lrs, final, final_loss = run_adamw(m, case, torch.float64)

    def grad_fn(p):
        leaves = {k: v.clone().requires_grad_(True) for k, v in p.items()}
        loss = m.evaluate(case, leaves, torch.float64)[0]
        names = sorted(leaves)
        return loss.item(), dict(zip(names, torch.autograd.grad(loss, [leaves[n] for n in names])))

    p_losses, p_norms, p_lrs, p_final = plain_adamw(
        {k: v.double() for k, v in m.base.items()}, grad_fn, ADAMW["totalSteps"], ADAMW["lr"], ADAMW["betas"],
        ADAMW["eps"], weight_decay_of, ADAMW["maxGradNorm"], ADAMW["warmupSteps"])
    assert all(close(a, b, 1e-9) for a, b in zip(losses, p_losses)), "AdamW losses differ from the plain loop"
    assert all(close(a, b, 1e-9) for a, b in zip(norms, p_norms)), "grad norms differ from the plain loop"
    assert all(close(a, b, 1e-15) for a, b in zip(lrs, p_lrs)), "learning rates differ from the schedule"
    assert max((final[k] - p_final[k]).abs().max().item() for k in final) < 1e-9, "AdamW params differ from plain"
    assert lrs[0] == 0.0 and close(lrs[ADAMW["warmupSteps"]], ADAMW["lr"], 1e-15), "warm-up shape"
    assert max(norms) > ADAMW["maxGradNorm"], "clipping never active"
    assert final_loss < losses[0], "ten AdamW steps did not lower the loss"
    changed = [k for k in final if not torch.equal(final[k], m.base[k].double())]
    assert len(changed) == len(final), "some parameter did not move"
    losses32, norms32, _, final32, final_loss32 = run_adamw(m, case, torch.float32)
    fp32 = {
        "lossesMaxAbsDiff": max(abs(a - b) for a, b in zip(losses32, losses)),
        "gradNormsMaxRelDiff": max(abs(a - b) / b for a, b in zip(norms32, norms)),
        "finalParamsMaxAbsDiff": max((final32[k].double() - final[k]).abs().max().item() for k in final),
        "finalLossAbsDiff": abs(final_loss32 - final_loss),
    }
    print(f"  adamw: losses {[round(x, 4) for x in losses]} -> {final_loss:.4f}; norms "
          f"{[round(x, 3) for x in norms]}; lrs {[round(x, 5) for x in lrs]}; fp32 params diff "
          f"{fp32['finalParamsMaxAbsDiff']:.1e}")
    return {
        "name": "adamw",
        "trainable": "full",
        "settings": ADAMW,
        "inputs": case.inputs,
        "count": case.count,
        "loss": losses[0],
        "metrics": {},
        "outputs": {},
        "gradients": {},
        "steps": {"losses": losses, "gradNorms": norms, "lrs": lrs},
        "finalLoss": final_loss,
        "finalParams": {n: table.add(f"{m.name}/adamw/final/{n}", final[n].float()) for n in sorted(final)},
        "fp32": fp32,
    }


# ----------------------------------------------------------------------------------------------- output


def check_peft_keys(models):
    """peft-keys.json (made by make_peft_keys.py with real PEFT) matches the derived list and the engine names."""
    if not os.path.exists(PEFT_KEYS_PATH):
        print("  peft-keys.json missing: run make_peft_keys.py (see TRAIN.md)")
        return
    with open(PEFT_KEYS_PATH) as f:
        keys = json.load(f)
    for m in models:
        entry = keys["configs"][m.name]
        assert entry["causalLm"]["keys"] == derived_peft_keys(m.cfg, score=False), m.name
        assert entry["sequenceClassification"]["keys"] == derived_peft_keys(m.cfg, score=True), m.name
        engine = sorted(["base_model.model." + k for k in m.lora] + ["base_model.model.score.weight"])
        assert entry["sequenceClassification"]["keys"] == engine, "engine LoRA names differ from PEFT's"
        for k, shape in entry["sequenceClassification"]["shapes"].items():
            name = k.removeprefix("base_model.model.")
            assert list((m.lora.get(name) if name in m.lora else m.score).shape) == shape, k
    print(f"  peft-keys.json ({keys['source']}) agrees with the derived keys and the fixture's LoRA shapes")


def write_train(path, entries, table):
    header = {
        "format": "prefloop-train-golden",
        "version": VERSION,
        "regenerate": REGENERATE,
        "torch": torch.__version__,
        "seed": SEED,
        "padTokenId": PAD_ID,
        "lora": {"r": LORA_R, "alpha": LORA_ALPHA, "scaling": SCALING, "dropout": 0.0, "targetModules": TARGET_MODULES,
                 "init": {"lora_A": "U(-1/sqrt(in), 1/sqrt(in))", "lora_B": f"N(0, {LORA_B_STD}^2)",
                          "score.weight": f"N(0, {SCORE_STD}^2)"}},
        "configs": entries,
        "tensors": table.entries,
        "dataBytes": table.size,
    }
    raw = json.dumps(header, separators=(",", ":"), allow_nan=False).encode("utf-8")
    raw += b" " * ((-(16 + len(raw))) % 8)
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<II", VERSION, len(raw)))
        f.write(raw)
        for c in table.chunks:
            f.write(c)
    return len(raw)


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    table, entries, models = TensorTable(), [], []
    check_gen = torch.Generator().manual_seed(SEED - 1)  # picks finite-difference entries; never fixture data
    for index, name in enumerate(CONFIG_NAMES):
        gen = torch.Generator().manual_seed(SEED + 1000 * index)
        m = Model(name, gen)
        models.append(m)
        assert derived(m.cfg)  # in the reference's scope
        print(f"{name}: {sum(v.numel() for v in m.base.values())} parameters, "
              f"{sum(v.numel() for v in m.lora.values())} LoRA")
        pretrain, scored = case_pretrain(m)
        pretrain.scored = scored
        sft, comp = case_sft(m)
        reward = reward_batch(m)
        dpo = dpo_batch(m)
        rl = rl_batch(m)
        cases = [pretrain, sft, case_bt(m, reward), case_pl(m, reward), case_dpo(m, dpo, "sigmoid"),
                 case_dpo(m, dpo, "ipo"), case_rloo(m, rl), case_grpo(m, rl)]
        case_entries = [run_case(m, c, table, check_gen) for c in cases]
        case_entries.append(adamw_case(m, pretrain, table))
        entries.append({
            "name": name,
            "dir": name,
            "tensorNames": sorted(m.base),
            "loraTensors": {n: table.add(f"{name}/lora/{n}", m.lora[n]) for n in sorted(m.lora)},
            "scoreHead": table.add(f"{name}/score.weight", m.score),
            "cases": case_entries,
        })
    check_peft_keys(models)
    header_bytes = write_train(OUT_PATH, entries, table)
    size = os.path.getsize(OUT_PATH)
    print(f"wrote {os.path.relpath(OUT_PATH, REPO)}: {size} bytes (header {header_bytes}, data {table.size})")
    assert size < MAX_BYTES, "train.bin must stay under 1.5 MB"


if __name__ == "__main__":
    main()
