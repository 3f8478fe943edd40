"""Records the exact keys real PEFT writes to adapter_model.safetensors for two golden checkpoints, so the
engine's PEFT saver can be compared against PEFT itself (workers/ml/fixtures/golden/peft-keys.json).

Needs real PEFT / transformers / torch 2 (Debian's torch 1.13 cannot import transformers 5), installed
offline from the local wheels into a throw-away virtual environment:

    /usr/bin/python3 -m venv --system-site-packages /tmp/peftenv
    /tmp/peftenv/bin/pip install --no-index --find-links /opt/pypi/files peft
    /tmp/peftenv/bin/python workers/ml/reference/golden/make_peft_keys.py

For each config it builds the model from the committed config.json and weights, wraps it with
LoraConfig(r=4, lora_alpha=8, all 7 projections) twice: as a causal LM (no modules_to_save) and as a
sequence classifier (num_labels=1) with modules_to_save=["score"], calls save_pretrained, and lists the
keys (with shapes and dtypes) of the adapter_model.safetensors it wrote. It also asserts that the keys equal
the list derived from peft/utils/save_and_load.py's get_peft_model_state_dict (adapter name "default"
removed; "base_model.model." prefix; a modules_to_save module saved under its own name, without
"modules_to_save.default."), which make_train_golden.py re-derives with Debian's torch.
"""
import sys

sys.dont_write_bytecode = True

import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402

import peft  # noqa: E402
import safetensors  # noqa: E402
import torch  # noqa: E402
import transformers  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402
from safetensors import safe_open  # noqa: E402

from peft_keys import TARGET_MODULES, derived_peft_keys  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
GOLDEN = os.path.join(REPO, "workers", "ml", "fixtures", "golden")
OUT = os.path.join(GOLDEN, "peft-keys.json")
CONFIGS = ["llama-gqa", "qwen2-bias"]
R, ALPHA = 4, 8


def saved_keys(model, lora):
    pm = get_peft_model(model, lora)
    with tempfile.TemporaryDirectory() as tmp:
        pm.save_pretrained(tmp)
        files = sorted(os.listdir(tmp))
        with safe_open(os.path.join(tmp, "adapter_model.safetensors"), "pt") as f:
            keys = sorted(f.keys())
            shapes = {k: list(f.get_slice(k).get_shape()) for k in keys}
            dtypes = {k: f.get_slice(k).get_dtype() for k in keys}
        with open(os.path.join(tmp, "adapter_config.json")) as f:
            adapter_config = json.load(f)
    # Two fields normalised so the file is reproducible: PEFT writes target_modules from a set (order varies
    # with PYTHONHASHSEED) and base_model_name_or_path as the absolute directory it loaded from.
    adapter_config["target_modules"] = sorted(adapter_config["target_modules"])
    adapter_config["base_model_name_or_path"] = os.path.relpath(adapter_config["base_model_name_or_path"], REPO)
    return {"files": files, "keys": keys, "shapes": shapes, "dtypes": dtypes, "adapterConfig": adapter_config}


def main():
    torch.manual_seed(0)
    out = {
        "format": "prefloop-peft-keys",
        "source": "peft 0.21.0 run",
        "versions": {"peft": peft.__version__, "transformers": transformers.__version__,
                     "torch": torch.__version__, "safetensors": safetensors.__version__},
        "regenerate": "/tmp/peftenv/bin/python workers/ml/reference/golden/make_peft_keys.py "
                      "(venv: /usr/bin/python3 -m venv --system-site-packages /tmp/peftenv && "
                      "/tmp/peftenv/bin/pip install --no-index --find-links /opt/pypi/files peft)",
        "lora": {"r": R, "lora_alpha": ALPHA, "target_modules": TARGET_MODULES},
        "configs": {},
    }
    for name in CONFIGS:
        cfg_dir = os.path.join(GOLDEN, name)
        entry = {}
        # Causal LM: target modules only.
        lm = transformers.AutoModelForCausalLM.from_pretrained(cfg_dir, dtype=torch.float32)
        entry["causalLm"] = {
            "modelClass": type(lm).__name__,
            "loraConfig": {"r": R, "lora_alpha": ALPHA, "target_modules": TARGET_MODULES, "task_type": "CAUSAL_LM"},
            **saved_keys(lm, LoraConfig(r=R, lora_alpha=ALPHA, target_modules=TARGET_MODULES, task_type="CAUSAL_LM")),
        }
        # Reward model: score head [1, hidden] saved as a module to save.
        rm = transformers.AutoModelForSequenceClassification.from_pretrained(cfg_dir, num_labels=1, dtype=torch.float32)
        entry["sequenceClassification"] = {
            "modelClass": type(rm).__name__,
            "loraConfig": {"r": R, "lora_alpha": ALPHA, "target_modules": TARGET_MODULES, "modules_to_save": ["score"],
                           "task_type": "SEQ_CLS"},
            **saved_keys(rm, LoraConfig(r=R, lora_alpha=ALPHA, target_modules=TARGET_MODULES, modules_to_save=["score"],
                                        task_type="SEQ_CLS")),
        }
        with open(os.path.join(cfg_dir, "config.json")) as f:
            cfg = json.load(f)
        assert entry["causalLm"]["keys"] == derived_peft_keys(cfg, score=False), name
        assert entry["sequenceClassification"]["keys"] == derived_peft_keys(cfg, score=True), name
        out["configs"][name] = entry
        print(f"{name}: {len(entry['causalLm']['keys'])} causal-LM keys, "
              f"{len(entry['sequenceClassification']['keys'])} reward-model keys; equal to the derived lists")
    with open(OUT, "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"wrote {os.path.relpath(OUT, REPO)}")


if __name__ == "__main__":
    main()
