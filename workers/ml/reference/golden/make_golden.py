"""Generates the golden fixture of the model engine: tiny random HF checkpoints plus float64 logits and
greedy continuations for fixed inputs. It is the independent reference, not the engine; it asserts its own
consistency (causality, padding invariance, fp32 vs fp64) so that a bug here fails generation.

Run with Debian's PyTorch:  /usr/bin/python3 workers/ml/reference/golden/make_golden.py
Output: workers/ml/fixtures/golden/<config>/{config.json,model.safetensors} and golden.bin (README.md).
"""
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the working tree

import json  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402

import torch  # noqa: E402

from llama_reference import derived, forward, parameter_shapes  # noqa: E402
from naive_reference import naive_logits  # noqa: E402
from safetensors_io import read_safetensors, write_safetensors  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
OUT_DIR = os.path.join(REPO, "workers", "ml", "fixtures", "golden")
REGENERATE = "/usr/bin/python3 workers/ml/reference/golden/make_golden.py"

MAGIC = b"PFGOLD\x00\x00"
VERSION = 1
SEED = 20240611
MAX_NEW_TOKENS = 8
SINGLE_LENGTH = 7
BATCH_LENGTHS = [5, 8, 3]  # longest not first, so a row-indexing bug shows
PAD_ID, BOS_ID = 0, 1
MIN_GREEDY_MARGIN = 1e-3  # top-1 minus top-2 logit at every greedy step, far above fp32 error
MIN_DISTINCT_GREEDY = 3  # random tiny models like to repeat one token; that would test little
FP32_RTOL = 1e-5  # the reference's own fp32 forward must sit well inside the engine's 1e-4 budget
EXACT = 1e-10  # float64 invariances (causality, padding) hold to this relative error


def llama_config(**over):
    base = {
        "architectures": ["LlamaForCausalLM"],
        "attention_bias": False,
        "attention_dropout": 0.0,
        "bos_token_id": BOS_ID,
        "eos_token_id": None,  # chosen after greedy decoding, see choose_eos
        "pad_token_id": PAD_ID,
        "hidden_act": "silu",
        "initializer_range": 0.02,
        "max_position_embeddings": 64,
        "mlp_bias": False,
        "model_type": "llama",
        "num_hidden_layers": 2,
        "pretraining_tp": 1,
        "rms_norm_eps": 1e-5,
        "rope_scaling": None,
        "rope_theta": 10000.0,
        "torch_dtype": "float32",
        "transformers_version": "4.51.0",
        "use_cache": True,
    }
    base.update(over)
    return base


def qwen_config(model_type, **over):
    base = {
        "architectures": ["Qwen2ForCausalLM" if model_type == "qwen2" else "Qwen3ForCausalLM"],
        "attention_dropout": 0.0,
        "bos_token_id": BOS_ID,
        "eos_token_id": None,
        "pad_token_id": PAD_ID,
        "hidden_act": "silu",
        "initializer_range": 0.02,
        "max_position_embeddings": 64,
        "max_window_layers": 2,
        "model_type": model_type,
        "num_hidden_layers": 2,
        "rms_norm_eps": 1e-6,
        "rope_scaling": None,
        "rope_theta": 1000000.0,
        "sliding_window": None,
        "torch_dtype": "float32",
        "transformers_version": "4.51.0",
        "use_cache": True,
        "use_sliding_window": False,
    }
    if model_type == "qwen3":
        base["attention_bias"] = False
    base.update(over)
    return base


CONFIGS = [
    {
        "name": "llama-gqa",
        "covers": ["llama", "gqa 4/2", "untied embeddings", "rope_theta 10000"],
        "config": llama_config(hidden_size=48, intermediate_size=96, num_attention_heads=4,
                               num_key_value_heads=2, vocab_size=192, tie_word_embeddings=False),
    },
    {
        "name": "llama-tied",
        "covers": ["llama", "multi-query 4/1", "tied embeddings", "rope_theta 500000", "rms_norm_eps 1e-6"],
        "config": llama_config(hidden_size=32, intermediate_size=64, num_attention_heads=4,
                               num_key_value_heads=1, vocab_size=128, tie_word_embeddings=True,
                               rope_theta=500000.0, rms_norm_eps=1e-6),
    },
    {
        "name": "qwen2-bias",
        "covers": ["qwen2", "q/k/v biases", "gqa 6/2", "tied embeddings", "rope_theta 1e6"],
        "config": qwen_config("qwen2", hidden_size=48, intermediate_size=96, num_attention_heads=6,
                              num_key_value_heads=2, vocab_size=160, tie_word_embeddings=True),
    },
    {
        "name": "qwen3-qknorm",
        "covers": ["qwen3", "q/k norms", "head_dim 16 != hidden/heads 8", "gqa 4/2", "untied embeddings",
                   "rope_theta 1e6"],
        "config": qwen_config("qwen3", hidden_size=32, intermediate_size=64, num_attention_heads=4,
                              num_key_value_heads=2, head_dim=16, vocab_size=144, tie_word_embeddings=False),
    },
]


def init_params(cfg, gen):
    """Random float32 weights scaled for logits of order one to ten: linear layers ~ 1/sqrt(fan_in),
    embeddings ~ 1 (0.5 when tied, since they are also the output head), norm weights around 1."""
    tied = derived(cfg)["tied"]
    params = {}
    for name, shape in sorted(parameter_shapes(cfg).items()):
        z = torch.randn(shape, generator=gen, dtype=torch.float64)
        if name.endswith("norm.weight"):
            w = 1.0 + 0.2 * z
        elif name.endswith(".bias"):
            w = 0.3 * z
        elif name == "model.embed_tokens.weight":
            w = (0.25 if tied else 1.0) * z
        elif name.endswith(("o_proj.weight", "down_proj.weight")):
            w = 2.0 * z / shape[1] ** 0.5
        else:
            w = z / shape[1] ** 0.5
        params[name] = w.to(torch.float32)
    return params


def position_ids_for(mask):
    # HF generate's convention: cumsum(mask) - 1, and pad positions set to 1 (masked_fill(mask == 0, 1)).
    pos = mask.long().cumsum(-1) - 1
    return pos.masked_fill(mask == 0, 1)


def left_pad(seqs, pad_id):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), T), dtype=torch.long)
    for b, s in enumerate(seqs):
        ids[b, T - len(s):] = torch.tensor(s)
        mask[b, T - len(s):] = 1
    return ids, mask


def greedy(cfg, params, ids, mask, dtype):
    """Argmax continuation of MAX_NEW_TOKENS tokens, recomputing the whole sequence each step (no cache,
    no EOS stop). Returns new ids [B, N] and each step's top-1 minus top-2 logit [B, N]."""
    new_ids, margins = [], []
    for _ in range(MAX_NEW_TOKENS):
        last = forward(cfg, params, ids, mask, position_ids_for(mask), dtype)[:, -1]  # B,V
        top2 = last.topk(2, dim=-1)
        nxt = top2.indices[:, 0]  # B
        new_ids.append(nxt)
        margins.append(top2.values[:, 0] - top2.values[:, 1])
        ids = torch.cat([ids, nxt[:, None]], dim=1)
        mask = torch.cat([mask, torch.ones_like(nxt)[:, None]], dim=1)
    return torch.stack(new_ids, dim=1), torch.stack(margins, dim=1).to(torch.float64)


def rel_err(a, b):
    """Largest |a - b| over the largest |b|."""
    return ((a - b).abs().max() / b.abs().max()).item()


def run_case(cfg, params, seqs):
    """Logits (float64, NaN at pads) and greedy continuation for one left-padded batch, with self-checks."""
    ids, mask = left_pad(seqs, PAD_ID)
    pos = position_ids_for(mask)
    logits = forward(cfg, params, ids, mask, pos, torch.float64)  # B,T,V
    real = mask.bool()
    # Padding invariance: each row equals the sequence run alone, at its real positions.
    for b, s in enumerate(seqs):
        alone_ids = torch.tensor([s])
        alone_mask = torch.ones_like(alone_ids)
        alone = forward(cfg, params, alone_ids, alone_mask, position_ids_for(alone_mask), torch.float64)[0]
        assert rel_err(logits[b][real[b]], alone) < EXACT, "batched row differs from the sequence alone"
        assert rel_err(naive_logits(cfg, params, s), alone) < EXACT, "vectorised and naive forwards differ"
    # Pad token ids and pad positions must not matter either.
    other = forward(cfg, params, ids.masked_fill(~real, 7), mask, pos.masked_fill(~real, 0), torch.float64)
    assert rel_err(other[real], logits[real]) < EXACT, "pad ids or pad positions leak into real positions"
    # Causality: changing the tokens after position t leaves logits at 0..t unchanged.
    T = ids.shape[1]
    for t in range(T - 1):
        changed = ids.clone()
        changed[:, t + 1:] = (changed[:, t + 1:] * 7 + 3) % cfg["vocab_size"]
        later = forward(cfg, params, changed, mask, pos, torch.float64)
        assert rel_err(later[:, : t + 1][real[:, : t + 1]], logits[:, : t + 1][real[:, : t + 1]]) < EXACT, (
            f"causality broken at t={t}")
    # The same forward in float32 is within the engine's budget: the tolerance is reachable.
    logits32 = forward(cfg, params, ids, mask, pos, torch.float32).to(torch.float64)
    fp32_rel = rel_err(logits32[real], logits[real])
    assert fp32_rel < FP32_RTOL, f"fp32 forward differs by {fp32_rel:.2e} of max |logit|"
    new64, margins = greedy(cfg, params, ids, mask, torch.float64)
    new32, _ = greedy(cfg, params, ids, mask, torch.float32)
    assert torch.equal(new64, new32), "fp32 and fp64 greedy continuations differ"
    for b, s in enumerate(seqs):
        alone_ids = torch.tensor([s])
        alone_new, _ = greedy(cfg, params, alone_ids, torch.ones_like(alone_ids), torch.float64)
        assert torch.equal(alone_new[0], new64[b]), "batched greedy row differs from the sequence alone"
    return {
        "ids": ids, "mask": mask, "pos": pos,
        "logits": logits.masked_fill(~real[:, :, None], float("nan")),
        "greedy": new64, "margins": margins,
        "fp32_max_abs_diff": (logits32[real] - logits[real]).abs().max().item(),
        "logits_max_abs": logits[real].abs().max().item(),
        "logits_std": logits[real].std().item(),
    }


def make_cases(cfg, params, gen):
    """Draws prompts (BOS then ids >= 3) until every greedy step has a clear top-1 margin."""
    V = cfg["vocab_size"]
    for attempt in range(50):
        def draw(n):
            return [BOS_ID] + torch.randint(3, V, (n - 1,), generator=gen).tolist()
        single = run_case(cfg, params, [draw(SINGLE_LENGTH)])
        batch = run_case(cfg, params, [draw(n) for n in BATCH_LENGTHS])
        problem = greedy_problem(single) or greedy_problem(batch)
        if problem is None:
            return {"single": single, "batch": batch}
        print(f"  attempt {attempt}: {problem}; drawing new prompts")
    raise RuntimeError("no prompts with clear, varied greedy continuations")


def greedy_problem(case):
    """Why a case's greedy continuation makes a weak test, or None: a near tie (fp32 could flip it), a
    special token (a test might mistake it for padding), or a row stuck on one or two tokens."""
    if case["margins"].min().item() < MIN_GREEDY_MARGIN:
        return f"a greedy margin under {MIN_GREEDY_MARGIN}"
    if any(t in (PAD_ID, BOS_ID) for t in case["greedy"].flatten().tolist()):
        return "a greedy token is PAD or BOS"
    if any(len(set(row)) < MIN_DISTINCT_GREEDY for row in case["greedy"].tolist()):
        return f"a greedy row with fewer than {MIN_DISTINCT_GREEDY} distinct tokens"
    return None


def choose_eos(cases):
    """An EOS id that neither the prompts nor the greedy continuations contain, so a generator that stops
    at EOS produces exactly MAX_NEW_TOKENS tokens."""
    used = set()
    for c in cases.values():
        used |= set(c["ids"].flatten().tolist()) | set(c["greedy"].flatten().tolist())
    return next(i for i in range(2, 10_000) if i not in used)


class TensorTable:
    """Collects little-endian arrays, 8-byte aligned, and their table entries for the JSON header."""

    def __init__(self):
        self.entries, self.chunks, self.size = {}, [], 0

    def add(self, key, t):
        assert t.dtype in (torch.float64, torch.float32), key
        fmt, dtype = ("<f8", "float64") if t.dtype == torch.float64 else ("<f4", "float32")
        data = t.contiguous().numpy().astype(fmt, copy=False).tobytes()
        pad = (-self.size) % 8
        self.chunks.append(b"\x00" * pad + data)
        self.size += pad
        self.entries[key] = {"dtype": dtype, "shape": list(t.shape), "offset": self.size, "byteLength": len(data)}
        self.size += len(data)
        return key


def write_golden(path, entries, table):
    header = {
        "format": "prefloop-golden",
        "version": VERSION,
        "regenerate": REGENERATE,
        "torch": torch.__version__,
        "seed": SEED,
        "maxNewTokens": MAX_NEW_TOKENS,
        "padTokenId": PAD_ID,
        "minGreedyMargin": MIN_GREEDY_MARGIN,
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


def main():
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)  # same summation order on every machine that regenerates
    os.makedirs(OUT_DIR, exist_ok=True)
    table, entries = TensorTable(), []
    for index, spec in enumerate(CONFIGS):
        name, cfg = spec["name"], dict(spec["config"])
        print(f"{name}: {spec['covers']}")
        gen = torch.Generator().manual_seed(SEED + 1000 * index)
        params = init_params(cfg, gen)
        cases = make_cases(cfg, params, gen)
        cfg["eos_token_id"] = choose_eos(cases)
        cfg_dir = os.path.join(OUT_DIR, name)
        os.makedirs(cfg_dir, exist_ok=True)
        with open(os.path.join(cfg_dir, "config.json"), "w") as f:
            json.dump(cfg, f, indent=2, sort_keys=True)
            f.write("\n")
        st_path = os.path.join(cfg_dir, "model.safetensors")
        write_safetensors(st_path, params)
        back = read_safetensors(st_path)
        assert sorted(back) == sorted(params) and all(torch.equal(back[k], params[k]) for k in params)
        case_entries = []
        for case_name, c in cases.items():
            print(f"  {case_name}: logits max |x| {c['logits_max_abs']:.3f} std {c['logits_std']:.3f}, "
                  f"fp32 max abs diff {c['fp32_max_abs_diff']:.2e}, min greedy margin {c['margins'].min():.4f}, "
                  f"greedy {c['greedy'].tolist()}")
            case_entries.append({
                "name": case_name,
                "inputIds": c["ids"].tolist(),
                "attentionMask": c["mask"].tolist(),
                "positionIds": c["pos"].tolist(),
                "greedy": c["greedy"].tolist(),
                "greedyMargins": c["margins"].tolist(),
                "fp32MaxAbsDiff": c["fp32_max_abs_diff"],
                "logitsMaxAbs": c["logits_max_abs"],
                "logits": table.add(f"{name}/{case_name}/logits", c["logits"]),
            })
        entries.append({
            "name": name,
            "dir": name,
            "covers": spec["covers"],
            "parameterCount": sum(p.numel() for p in params.values()),
            "tensorNames": sorted(params),
            "cases": case_entries,
        })
    path = os.path.join(OUT_DIR, "golden.bin")
    write_golden(path, entries, table)
    # train.bin and peft-keys.json belong to make_train_golden.py, which checks its own size.
    total = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(OUT_DIR) for f in fs if f not in ("train.bin", "peft-keys.json"))
    print(f"wrote {os.path.relpath(path, REPO)} ({os.path.getsize(path)} bytes); fixture folder {total} bytes")
    assert total < 2_000_000, "the golden fixture must stay small"


if __name__ == "__main__":
    main()
