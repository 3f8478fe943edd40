"""PyTorch autograd baseline for the training benchmark: one optimiser step of LoRA DPO, a reward model or
full pre-training, eager float32 on CPU.

Not the engine and not a test: bench-train.ts runs it (one process per config and workload, so that the peak
memory it reports belongs to that row) and prints its numbers beside the engine's. The forward pass follows
Hugging Face's modeling_llama.py order of operations (as torch_generate.py, without a cache); LoRA is PEFT's
(y = W x + scaling * B(A x), W frozen); the losses are workers/ml/train/README.md's as TRL computes them;
torch.nn.utils.clip_grad_norm_ and torch.optim.AdamW (HF Trainer's decay / no-decay groups). A step is
zero_grad + forward + loss + backward + clip + AdamW.step. Run with Debian's PyTorch:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 workers/ml/bench/torch_train.py \
        --model DIR --inputs INPUTS.json --threads 2

INPUTS.json is written by train-workloads.ts (token ids, row roles, optimiser settings, and the safetensors
file of the initial LoRA tensors and score head). Prints one JSON object on stdout.
Shape legend: B batch rows, T time, C hidden, V vocab, NH / NKV query / key-value heads, HS head_dim.
"""
import sys

sys.dont_write_bytecode = True  # importing torch_generate must not leave __pycache__ in the working tree

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from torch_generate import Llama, cpu_seconds, peak_rss_bytes, read_safetensors  # noqa: E402

NO_DECAY = [re.compile(p) for p in (r"bias", r"layernorm", r"rmsnorm", r"(?:^|\.)norm(?:$|\.)", r"_norm(?:$|\.)")]


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


class TrainLlama(Llama):
    """torch_generate's Llama without a cache and with PEFT LoRA on the projections (adapter on unless
    `adapter_on` is False, PEFT's disable_adapter())."""

    def __init__(self, cfg, weights, lora, scaling):
        super().__init__(cfg, weights)
        self.lora = lora or {}
        self.scaling = scaling
        self.adapter_on = True

    def linear(self, x, path):
        y = F.linear(x, self.w[path + ".weight"])
        a = self.lora.get(path + ".lora_A.weight")
        if a is not None and self.adapter_on:
            # NOTE: PEFT's Linear.forward: result + lora_B(lora_A(dropout(x))) * scaling, dropout 0 -> identity.
            y = y + F.linear(F.linear(x, a), self.lora[path + ".lora_B.weight"]) * self.scaling
        return y

    def attention(self, x, l, cos, sin, mask):
        B, T, _ = x.shape
        p = f"model.layers.{l}.self_attn."
        q = self.linear(x, p + "q_proj").view(B, T, self.NH, self.HS).transpose(1, 2)  # B,NH,T,HS
        k = self.linear(x, p + "k_proj").view(B, T, self.NKV, self.HS).transpose(1, 2)  # B,NKV,T,HS
        v = self.linear(x, p + "v_proj").view(B, T, self.NKV, self.HS).transpose(1, 2)
        q = q * cos + self.rotate_half(q) * sin
        k = k * cos + self.rotate_half(k) * sin
        rep = self.NH // self.NKV  # repeat_kv
        k = k[:, :, None].expand(B, self.NKV, rep, T, self.HS).reshape(B, self.NH, T, self.HS)
        v = v[:, :, None].expand(B, self.NKV, rep, T, self.HS).reshape(B, self.NH, T, self.HS)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.HS**-0.5 + mask  # B,NH,T,T
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        y = torch.matmul(probs, v).transpose(1, 2).reshape(B, T, self.NH * self.HS)  # B,T,NH*HS
        return self.linear(y, p + "o_proj")

    def mlp(self, x, l):
        p = f"model.layers.{l}.mlp."
        return self.linear(F.silu(self.linear(x, p + "gate_proj")) * self.linear(x, p + "up_proj"), p + "down_proj")

    def hidden(self, input_ids, attention_mask):
        """Final-norm hidden states B,T,C of right-padded rows (positions 0..T-1; every row here is full)."""
        B, T = input_ids.shape
        h = F.embedding(input_ids, self.w["model.embed_tokens.weight"])  # B,T,C
        cos, sin = self.rope(torch.arange(T).expand(B, T))
        lowest = torch.finfo(torch.float32).min
        allowed = torch.ones(T, T, dtype=torch.bool).tril()[None] & attention_mask.bool()[:, None, :]  # B,T,T
        mask = torch.zeros(B, 1, T, T).masked_fill(~allowed[:, None], lowest)  # B,1,T,T (HF's 4-D causal mask)
        for l in range(self.L):
            pre = f"model.layers.{l}."
            h = h + self.attention(self.rms_norm(h, self.w[pre + "input_layernorm.weight"]), l, cos, sin, mask)
            h = h + self.mlp(self.rms_norm(h, self.w[pre + "post_attention_layernorm.weight"]), l)
        return self.rms_norm(h, self.w["model.norm.weight"])

    def logits(self, input_ids, attention_mask):
        return F.linear(self.hidden(input_ids, attention_mask), self.lm_head)  # B,T,V (every position, training)


def selective_log_softmax(logits, index):
    """TRL's per-token log-probabilities without a [B, T, V] log_softmax: gather minus a row-wise logsumexp."""
    picked = torch.gather(logits, -1, index[..., None])[..., 0]  # B,T
    lse = torch.stack([torch.logsumexp(row, dim=-1) for row in logits])  # B,T
    return picked - lse


def sequence_logps(model, ids, completion, attention_mask):
    """TRL DPOTrainer.concatenated_forward: labels rolled left, scored where the rolled completion mask is 1,
    rolled back and summed per row. B."""
    logits = model.logits(ids, attention_mask)  # B,T,V
    labels = torch.roll(ids, shifts=-1, dims=1)
    scored = torch.roll(completion, shifts=-1, dims=1).bool()
    scored[:, -1] = False  # nothing follows the last position
    per_token = torch.where(scored, selective_log_softmax(logits, torch.where(scored, labels, 0)), torch.zeros(()))
    return torch.roll(per_token, shifts=1, dims=1).sum(-1)


def micro_loss(kind, model, inputs, micro):
    """-> a function giving (loss sum, metric sums) of one micro-batch; the step divides by the batch's count
    (pairs, prompts or scored tokens), as the README's contract and HF Trainer's num_items_in_batch do."""
    ids = torch.tensor(micro["inputIds"], dtype=torch.int64)  # B,T
    completion = torch.tensor(micro["completionMask"], dtype=torch.int64)
    attention_mask = torch.ones_like(ids)  # no row is padded
    better = torch.tensor(micro["better"])
    worse = torch.tensor(micro["worse"])
    if kind == "lora-dpo":
        beta = inputs["beta"]
        model.adapter_on = False  # the reference: the base model with the adapter off, scored once, not timed
        with torch.no_grad():
            ref = sequence_logps(model, ids, completion, attention_mask)
        model.adapter_on = True

        def dpo():
            seq = sequence_logps(model, ids, completion, attention_mask)
            logits = (seq[better] - seq[worse]) - (ref[better] - ref[worse])  # pairs
            return -F.logsigmoid(beta * logits).sum(), {"logps/chosen": seq[better].sum().item()}

        return dpo
    if kind == "reward-model":

        def bradley_terry():
            # LlamaForSequenceClassification: the score head on every position, pooled at the last real token.
            per_token = F.linear(model.hidden(ids, attention_mask), model.score)[..., 0]  # B,T
            rewards = per_token[torch.arange(ids.shape[0]), attention_mask.sum(-1) - 1]  # B
            diff = rewards[better] - rewards[worse]  # one pair per prompt
            return -F.logsigmoid(diff).sum(), {"accuracy": (diff > 0).float().sum().item(), "margin": diff.sum().item()}

        return bradley_terry
    labels = ids.masked_fill(attention_mask == 0, -100)
    shift = F.pad(labels, (0, 1), value=-100)[:, 1:]  # HF's ForCausalLMLoss: labels shifted left, -100 ignored

    def cross_entropy():
        logits = model.logits(ids, attention_mask).float()
        return F.cross_entropy(logits.view(-1, logits.shape[-1]), shift.reshape(-1), ignore_index=-100, reduction="sum"), {}

    return cross_entropy


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--threads", type=int, required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    with open(args.inputs) as f:
        inputs = json.load(f)
    kind = inputs["workload"]
    rss = []
    t = time.perf_counter()
    weights = read_safetensors(os.path.join(args.model, "model.safetensors"))
    init = read_safetensors(inputs["initFile"]) if inputs["initFile"] else {}
    rss.append(["model loaded", rss_bytes()])
    lora = {k: v.clone() for k, v in init.items() if ".lora_" in k}  # owned, trainable copies
    scaling = inputs["lora"]["alpha"] / inputs["lora"]["r"] if inputs["lora"] else 0.0
    model = TrainLlama(cfg, weights, lora, scaling)
    model.score = init["score.weight"].clone() if "score.weight" in init else None
    if kind == "full-pretrain":
        trained = dict(weights)  # every weight (the tied embedding once)
    else:
        trained = dict(lora)
        if model.score is not None:
            trained["score.weight"] = model.score
    for v in trained.values():
        v.requires_grad_(True)
    o = inputs["optimizer"]
    decay = [v for n, v in trained.items() if not any(p.search(n.lower()) for p in NO_DECAY)]
    no_decay = [v for n, v in trained.items() if any(p.search(n.lower()) for p in NO_DECAY)]
    groups = [g for g in ({"params": decay, "weight_decay": o["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}) if g["params"]]
    optimizer = torch.optim.AdamW(groups, lr=o["lr"], betas=tuple(o["betas"]), eps=o["eps"])
    params = list(trained.values())
    micro = [micro_loss(kind, model, inputs, m) for m in inputs["micro"]]
    count = inputs["count"]
    load_s = time.perf_counter() - t
    rss.append(["reference scored" if kind == "lora-dpo" else "ready", rss_bytes()])

    steps, seconds, phases = [], [], []
    total = inputs["warmupSteps"] + inputs["timedSteps"]
    for k in range(total):
        t0 = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss, metrics, forward, backward = 0.0, {}, 0.0, 0.0
        for fn in micro:  # gradient accumulation: .grad sums over the micro-batches
            ta = time.perf_counter()
            loss_sum, sums = fn()
            part = loss_sum / count
            tb = time.perf_counter()
            part.backward()
            forward, backward = forward + tb - ta, backward + time.perf_counter() - tb
            loss += part.item()
            for name, v in sums.items():
                metrics[name] = metrics.get(name, 0.0) + v / count
        t2 = time.perf_counter()
        norm = torch.nn.utils.clip_grad_norm_(params, o["maxGradNorm"])
        t3 = time.perf_counter()
        optimizer.step()
        t4 = time.perf_counter()
        steps.append({"loss": loss, "gradNorm": float(norm), "metrics": metrics})
        if k >= inputs["warmupSteps"]:
            seconds.append(t4 - t0)
            phases.append({"forward + loss": forward, "backward": backward, "clip": t3 - t2, "adamw": t4 - t3})
        if k == 0:
            rss.append(["after the first step", rss_bytes()])
    peak = peak_rss_bytes()
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "stepSeconds": statistics.median(seconds),
        "stepRuns": seconds,
        "loadSeconds": load_s,
        "first": steps[0],
        "secondLoss": steps[1]["loss"] if len(steps) > 1 else float("nan"),
        "peakRssBytes": peak,
        "rss": rss,
        "cpuSeconds": cpu_seconds(),
        "phases": {name: statistics.median(p[name] for p in phases) for name in phases[0]},
    }))


if __name__ == "__main__":
    main()
