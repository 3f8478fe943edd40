"""The keys PEFT 0.21 writes to adapter_model.safetensors for a LoRA adapter on the Llama family, derived
from peft/utils/save_and_load.py (get_peft_model_state_dict): the model's state-dict names under the
PeftModel ("base_model.model." + HF name); for LoRA only the lora_A / lora_B weights of each targeted
module, with the adapter name (".default") removed; for a modules_to_save module (the reward head "score",
wrapped in ModulesToSaveWrapper) the trained copy's state dict under the module's own name, i.e.
"base_model.model.score.weight" (not ".modules_to_save.default." and not ".original_module."). No biases
(bias="none"), no embeddings (not targeted, vocabulary unchanged). make_peft_keys.py checks this list
against a real PEFT run.
"""

TARGET_MODULES = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
ATTN = ("q_proj", "k_proj", "v_proj", "o_proj")


def module_paths(cfg):
    """HF module paths of every LoRA-targeted linear layer, in layer then TARGET_MODULES order."""
    out = []
    for l in range(cfg["num_hidden_layers"]):
        for m in TARGET_MODULES:
            out.append(f"model.layers.{l}.{'self_attn' if m in ATTN else 'mlp'}.{m}")
    return out


def derived_peft_keys(cfg, score):
    keys = []
    for path in module_paths(cfg):
        keys.append(f"base_model.model.{path}.lora_A.weight")
        keys.append(f"base_model.model.{path}.lora_B.weight")
    if score:
        keys.append("base_model.model.score.weight")
    return sorted(keys)
