"""PyTorch eager baseline for the generation benchmark: a Llama decoder with a KV cache, greedy, float32.

Not the engine and not a test: bench-generate.ts runs it (one process per config and batch, so that the
peak memory it reports belongs to that row) and prints its numbers beside the engine's. It follows Hugging
Face's modeling_llama.py order of operations (eager attention, DynamicCache-style torch.cat growth of the
cache, logits of the last position only as generate() asks for them) and needs no transformers or
safetensors package. Run with Debian's PyTorch:

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 workers/ml/bench/torch_generate.py \
        --model DIR --prompts PROMPTS.json --threads 2 --new-tokens 64 --runs 3

(bench-generate.ts also sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and OMP_WAIT_POLICY=PASSIVE; see torch-runner.ts.)

PROMPTS.json is a list of equal-length token-id lists (the batch). Prints one JSON object on stdout.
Shape legend: B batch, T new positions, P past positions, C hidden, NH query heads, NKV key/value heads,
HS head_dim, V vocab.
"""
import argparse
import json
import os
import resource
import statistics
import struct
import sys
import time

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
ITEMSIZE = {"F32": 4, "F16": 2, "BF16": 2}  # torch 1.13 dtypes have no .itemsize


def read_safetensors(path):
    """Tensors of one .safetensors file, as views over a single buffer read from disk (one copy in memory)."""
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_len))
        data = bytearray(os.fstat(f.fileno()).st_size - 8 - header_len)
        if f.readinto(data) != len(data):
            raise ValueError(f"{path}: file shorter than its header says")
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        if entry["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {entry['dtype']}; this script reads {sorted(DTYPES)}")
        start, end = entry["data_offsets"]
        dtype = DTYPES[entry["dtype"]]
        flat = torch.frombuffer(data, dtype=dtype, count=(end - start) // ITEMSIZE[entry["dtype"]], offset=start) if end > start else torch.empty(0, dtype=dtype)
        tensors[name] = flat.view(entry["shape"]).float()
    return tensors


class Llama:
    def __init__(self, cfg, weights):
        self.w = weights
        self.L = cfg["num_hidden_layers"]
        self.NH = cfg["num_attention_heads"]
        self.NKV = cfg.get("num_key_value_heads") or self.NH
        self.HS = cfg.get("head_dim") or cfg["hidden_size"] // self.NH
        self.eps = cfg["rms_norm_eps"]
        self.lm_head = weights["model.embed_tokens.weight"] if cfg.get("tie_word_embeddings") else weights["lm_head.weight"]
        theta = float(cfg.get("rope_theta", 10000.0))
        self.inv_freq = 1.0 / (theta ** (torch.arange(0, self.HS, 2, dtype=torch.int64).float() / self.HS))  # HS/2

    def rms_norm(self, x, weight):
        # NOTE: HF's LlamaRMSNorm: float32 variance, rsqrt, cast back, then the weight.
        xf = x.to(torch.float32)
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return weight * xf.to(x.dtype)

    def rope(self, position_ids):
        freqs = (self.inv_freq[None, :, None] @ position_ids[:, None, :].float()).transpose(1, 2)  # B,T,HS/2
        emb = torch.cat((freqs, freqs), dim=-1)  # B,T,HS
        return emb.cos()[:, None], emb.sin()[:, None]  # B,1,T,HS

    @staticmethod
    def rotate_half(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), dim=-1)

    def attention(self, x, l, cos, sin, cache, mask):
        B, T, _ = x.shape
        p = f"model.layers.{l}.self_attn."
        q = F.linear(x, self.w[p + "q_proj.weight"]).view(B, T, self.NH, self.HS).transpose(1, 2)  # B,NH,T,HS
        k = F.linear(x, self.w[p + "k_proj.weight"]).view(B, T, self.NKV, self.HS).transpose(1, 2)  # B,NKV,T,HS
        v = F.linear(x, self.w[p + "v_proj.weight"]).view(B, T, self.NKV, self.HS).transpose(1, 2)  # B,NKV,T,HS
        q = q * cos + self.rotate_half(q) * sin
        k = k * cos + self.rotate_half(k) * sin
        if cache[l] is not None:  # NOTE: DynamicCache.update: concatenate along the time axis
            k = torch.cat((cache[l][0], k), dim=-2)  # B,NKV,P+T,HS
            v = torch.cat((cache[l][1], v), dim=-2)
        cache[l] = (k, v)
        rep = self.NH // self.NKV  # repeat_kv: expand then reshape, as HF does
        S = k.shape[-2]
        k = k[:, :, None].expand(B, self.NKV, rep, S, self.HS).reshape(B, self.NH, S, self.HS)
        v = v[:, :, None].expand(B, self.NKV, rep, S, self.HS).reshape(B, self.NH, S, self.HS)
        scores = torch.matmul(q, k.transpose(2, 3)) * self.HS**-0.5  # B,NH,T,S
        if mask is not None:
            scores = scores + mask
        probs = torch.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        y = torch.matmul(probs, v).transpose(1, 2).reshape(B, T, self.NH * self.HS)  # B,T,NH*HS
        return F.linear(y, self.w[p + "o_proj.weight"])  # B,T,C

    def mlp(self, x, l):
        p = f"model.layers.{l}.mlp."
        return F.linear(F.silu(F.linear(x, self.w[p + "gate_proj.weight"])) * F.linear(x, self.w[p + "up_proj.weight"]), self.w[p + "down_proj.weight"])

    def forward(self, input_ids, position_ids, cache):
        """Logits of the last position, B,V; `cache` (one (k, v) per layer, or None) is updated in place."""
        B, T = input_ids.shape
        h = F.embedding(input_ids, self.w["model.embed_tokens.weight"])  # B,T,C
        cos, sin = self.rope(position_ids)
        mask = None
        if T > 1:  # prompts are unpadded and of equal length: a causal mask (past is empty at prefill)
            mask = torch.full((T, T), torch.finfo(torch.float32).min).triu(1)[None, None]  # 1,1,T,T
        for l in range(self.L):
            pre = f"model.layers.{l}."
            h = h + self.attention(self.rms_norm(h, self.w[pre + "input_layernorm.weight"]), l, cos, sin, cache, mask)
            h = h + self.mlp(self.rms_norm(h, self.w[pre + "post_attention_layernorm.weight"]), l)
        h = self.rms_norm(h[:, -1:, :], self.w["model.norm.weight"])  # NOTE: generate() keeps one position's logits
        return F.linear(h, self.lm_head)[:, -1, :]  # B,V


def generate(model, prompts, new_tokens):
    """Greedy, ignoring EOS; returns (prefill seconds, decode seconds, generated ids B x new_tokens)."""
    ids = torch.tensor(prompts, dtype=torch.int64)  # B,T
    B, T = ids.shape
    cache = [None] * model.L
    t0 = time.perf_counter()
    nxt = model.forward(ids, torch.arange(T).expand(B, T), cache).argmax(-1)  # B
    t1 = time.perf_counter()
    out = [nxt]
    for step in range(1, new_tokens):
        pos = torch.full((B, 1), T + step - 1, dtype=torch.int64)
        nxt = model.forward(nxt[:, None], pos, cache).argmax(-1)
        out.append(nxt)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1, torch.stack(out, dim=1).tolist()


def peak_rss_bytes():
    """VmHWM of this process. NOTE: not ru_maxrss, which on Linux keeps the high-water mark of the forked
    parent's image from before exec (a large parent would show up as this process's peak)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024  # kB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def cpu_seconds():
    """User + system CPU time of every thread of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", required=True)
    ap.add_argument("--prompts", required=True)
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if args.new_tokens < 2:
        sys.exit("--new-tokens must be at least 2 (one from prefill, the rest decode steps)")
    torch.set_num_threads(args.threads)
    with open(os.path.join(args.model, "config.json")) as f:
        cfg = json.load(f)
    with open(args.prompts) as f:
        prompts = json.load(f)
    if len({len(p) for p in prompts}) != 1:
        sys.exit("prompts must all have the same length (this baseline does not pad)")
    t = time.perf_counter()
    model = Llama(cfg, read_safetensors(os.path.join(args.model, "model.safetensors")))
    load_s = time.perf_counter() - t
    B, T = len(prompts), len(prompts[0])
    with torch.inference_mode():
        generate(model, prompts, args.new_tokens)  # warm-up: allocator, thread pool, first-call paths
        runs = [generate(model, prompts, args.new_tokens) for _ in range(args.runs)]
    prefill = [B * T / r[0] for r in runs]
    decode = [B * (args.new_tokens - 1) / r[1] for r in runs]
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch": B,
        "promptTokens": T,
        "newTokens": args.new_tokens,
        "loadSeconds": load_s,
        "prefillTokPerS": statistics.median(prefill),
        "decodeTokPerS": statistics.median(decode),
        "prefillRuns": prefill,
        "decodeRuns": decode,
        "peakRssBytes": peak_rss_bytes(),
        "cpuSeconds": cpu_seconds(),
        "tokens": runs[-1][2],
    }))


if __name__ == "__main__":
    main()
