"""Optional cross-check of train.bin against Hugging Face transformers + real PEFT (not Debian's torch 1.13:
run it in the venv of make_peft_keys.py). Loads each checkpoint in float64 with eager attention, puts the
fixture's LoRA A/B and score head into a PEFT model, and compares the token log-probabilities, rewards and
the gradients of the pretrain, sft and bt cases with the fixture. HF computes RMSNorm and RoPE in float32
even in a float64 model, so agreement is about 1e-6 relative, not 1e-12.

    /tmp/peftenv/bin/python workers/ml/reference/golden/crosscheck_hf.py
"""
import sys

sys.dont_write_bytecode = True

import json  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
GOLDEN = os.path.join(REPO, "workers", "ml", "fixtures", "golden")
TOL = 1e-4  # relative to the largest |value| of the compared tensor


def read_train():
    blob = open(os.path.join(GOLDEN, "train.bin"), "rb").read()
    assert blob[:8] == b"PFTRAIN\x00"
    _, n = struct.unpack_from("<II", blob, 8)
    header = json.loads(blob[16:16 + n])
    start = 16 + n

    def tensor(key):
        e = header["tensors"][key]
        arr = np.frombuffer(blob[start + e["offset"]: start + e["offset"] + e["byteLength"]], dtype="<f4")
        return torch.from_numpy(arr.copy()).reshape(e["shape"]).double()

    return header, tensor


def rel(a, b):
    return ((a - b).abs().max() / b.abs().max()).item()


def peft_model(cls, cfg_dir, header, tensor, entry, task, score):
    model = cls.from_pretrained(cfg_dir, dtype=torch.float64, attn_implementation="eager",
                                **({"num_labels": 1} if score else {}))
    lora = header["lora"]
    pm = get_peft_model(model, LoraConfig(r=lora["r"], lora_alpha=lora["alpha"], target_modules=lora["targetModules"],
                                          task_type=task, modules_to_save=["score"] if score else None))
    named = dict(pm.named_parameters())
    with torch.no_grad():
        for name, key in entry["loraTensors"].items():
            a_or_b = ".lora_A.weight" if name.endswith(".lora_A.weight") else ".lora_B.weight"
            target = "base_model.model." + name.removesuffix(a_or_b) + a_or_b.replace(".weight", ".default.weight")
            named[target].copy_(tensor(key))
        if score:
            named["base_model.model.score.modules_to_save.default.weight"].copy_(tensor(entry["scoreHead"]))
    return pm


def token_logps(logits, ids, temperature):
    lp = torch.log_softmax(logits[:, :-1] / temperature, -1).gather(-1, ids[:, 1:, None])[..., 0]
    return torch.cat([torch.zeros_like(lp[:, :1]), lp], 1)


def main():
    header, tensor = read_train()
    worst = 0.0
    for entry in header["configs"]:
        cfg_dir = os.path.join(GOLDEN, entry["dir"])
        cases = {c["name"]: c for c in entry["cases"]}

        def batch(c):
            i = c["inputs"]
            return (torch.tensor(i["inputIds"]), torch.tensor(i["attentionMask"]), torch.tensor(i["positionIds"]))

        def check(what, a, b):
            nonlocal worst
            e = rel(a, b)
            worst = max(worst, e)
            assert e < TOL, f"{entry['name']} {what}: relative difference {e:.2e}"

        # pretrain: full-parameter gradients of the plain HF model.
        c = cases["pretrain"]
        ids, mask, pos = batch(c)
        model = transformers.AutoModelForCausalLM.from_pretrained(cfg_dir, dtype=torch.float64, attn_implementation="eager")
        logits = model(input_ids=ids, attention_mask=mask, position_ids=pos).logits
        lp = token_logps(logits, ids, 1.0)
        scored = torch.zeros_like(mask)
        scored[:, 1:] = mask[:, 1:] * mask[:, :-1]
        loss = -(lp * scored).sum() / scored.sum()
        loss.backward()
        check("pretrain loss", loss.detach(), torch.tensor(c["loss"]))
        for n, p in model.named_parameters():
            check(f"pretrain grad {n}", p.grad, tensor(c["gradients"][n]))

        # LoRA cases through a PEFT causal LM: token log-probs of every case, gradients of sft.
        pm = peft_model(transformers.AutoModelForCausalLM, cfg_dir, header, tensor, entry, "CAUSAL_LM", False)
        for name in ["sft", "dpo_sigmoid", "rloo", "grpo"]:
            c = cases[name]
            ids, mask, pos = batch(c)
            temperature = c["settings"].get("temperature", 1.0)
            pm.zero_grad()
            lp = token_logps(pm(input_ids=ids, attention_mask=mask, position_ids=pos).logits, ids, temperature)
            comp = torch.tensor(c["inputs"]["completionMask"])
            check(f"{name} token logps", lp.detach() * comp, torch.tensor(c["outputs"]["tokenLogps"]))
            if name == "sft":
                loss = -(lp * comp).sum() / comp.sum()
                loss.backward()
                check("sft loss", loss.detach(), torch.tensor(c["loss"]))
                named = dict(pm.named_parameters())
                for n, key in c["gradients"].items():
                    a_or_b = ".lora_A.weight" if n.endswith(".lora_A.weight") else ".lora_B.weight"
                    target = "base_model.model." + n.removesuffix(a_or_b) + a_or_b.replace(".weight", ".default.weight")
                    check(f"sft grad {n}", named[target].grad, tensor(key))
        # DPO reference log-probs: the same PEFT model with the adapter disabled.
        c = cases["dpo_sigmoid"]
        ids, mask, pos = batch(c)
        comp = torch.tensor(c["inputs"]["completionMask"])
        with pm.disable_adapter(), torch.no_grad():
            ref = (token_logps(pm(input_ids=ids, attention_mask=mask, position_ids=pos).logits, ids, 1.0) * comp).sum(-1)
        check("dpo reference logps", torch.stack([ref[0], ref[1]]), torch.tensor(c["inputs"]["refChosenLogps"]))

        # Reward model: PEFT sequence classifier (HF picks the last non-pad token), BT loss and gradients.
        rm = peft_model(transformers.AutoModelForSequenceClassification, cfg_dir, header, tensor, entry, "SEQ_CLS", True)
        rm.config.pad_token_id = header["padTokenId"]
        c = cases["bt"]
        ids, mask, pos = batch(c)
        r = rm(input_ids=ids, attention_mask=mask, position_ids=pos).logits[:, 0]
        check("bt rewards", r.detach(), torch.tensor(c["outputs"]["rewards"]))
        coef = c["settings"]["centerRewardsCoefficient"]
        per_prompt = []
        for gi in range(len(c["inputs"]["groups"])):
            ps = [q for q in c["inputs"]["pairs"] if q["group"] == gi]
            terms = [-torch.nn.functional.logsigmoid(r[q["better"]] - r[q["worse"]] - q["margin"])
                     + coef * (r[q["better"]] + r[q["worse"]]) ** 2 for q in ps]
            per_prompt.append(torch.stack(terms).mean())
        loss = torch.stack(per_prompt).mean()
        loss.backward()
        check("bt loss", loss.detach(), torch.tensor(c["loss"]))
        named = dict(rm.named_parameters())
        check("bt grad score.weight", named["base_model.model.score.modules_to_save.default.weight"].grad,
              tensor(c["gradients"]["score.weight"]))
        for n, key in c["gradients"].items():
            if n == "score.weight":
                continue
            a_or_b = ".lora_A.weight" if n.endswith(".lora_A.weight") else ".lora_B.weight"
            target = "base_model.model." + n.removesuffix(a_or_b) + a_or_b.replace(".weight", ".default.weight")
            check(f"bt grad {n}", named[target].grad, tensor(key))
        print(f"{entry['name']}: HF transformers {transformers.__version__} + PEFT agree with train.bin")
    print(f"worst relative difference {worst:.2e} (tolerance {TOL})")


if __name__ == "__main__":
    main()
