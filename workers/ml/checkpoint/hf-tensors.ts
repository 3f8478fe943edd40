// The Hugging Face state-dict names and shapes of a Llama-family model, derived from its config alone.
import type { TModelConfig } from "../model/config";
import { loadCheckpoint, type TExpectedTensor, type TLoadedCheckpoint } from "./load-checkpoint";

/** Every learned tensor of `*ForCausalLM` (`lm_head.weight` only when untied), in layer order. */
export function hfTensorSpecs(c: TModelConfig): TExpectedTensor[] {
  const q = c.numAttentionHeads * c.headDim;
  const kv = c.numKeyValueHeads * c.headDim;
  const H = c.hiddenSize;
  const specs: TExpectedTensor[] = [{ name: "model.embed_tokens.weight", shape: [c.vocabSize, H] }];
  for (let l = 0; l < c.numHiddenLayers; l++) {
    const p = `model.layers.${l}`;
    specs.push(
      { name: `${p}.input_layernorm.weight`, shape: [H] },
      { name: `${p}.self_attn.q_proj.weight`, shape: [q, H] },
      { name: `${p}.self_attn.k_proj.weight`, shape: [kv, H] },
      { name: `${p}.self_attn.v_proj.weight`, shape: [kv, H] },
      { name: `${p}.self_attn.o_proj.weight`, shape: [H, q] },
    );
    if (c.hasQkvBias) {
      specs.push(
        { name: `${p}.self_attn.q_proj.bias`, shape: [q] },
        { name: `${p}.self_attn.k_proj.bias`, shape: [kv] },
        { name: `${p}.self_attn.v_proj.bias`, shape: [kv] },
      );
    }
    if (c.hasOBias) specs.push({ name: `${p}.self_attn.o_proj.bias`, shape: [H] });
    if (c.hasQkNorm) {
      specs.push(
        { name: `${p}.self_attn.q_norm.weight`, shape: [c.headDim] },
        { name: `${p}.self_attn.k_norm.weight`, shape: [c.headDim] },
      );
    }
    specs.push(
      { name: `${p}.post_attention_layernorm.weight`, shape: [H] },
      { name: `${p}.mlp.gate_proj.weight`, shape: [c.intermediateSize, H] },
      { name: `${p}.mlp.up_proj.weight`, shape: [c.intermediateSize, H] },
      { name: `${p}.mlp.down_proj.weight`, shape: [H, c.intermediateSize] },
    );
  }
  specs.push({ name: "model.norm.weight", shape: [H] });
  if (!c.tieWordEmbeddings) specs.push({ name: "lm_head.weight", shape: [c.vocabSize, H] });
  return specs;
}

/** Opens a checkpoint of `config`'s model; a tied model ignores an `lm_head.weight` saved anyway, as HF does. */
export function loadModelCheckpoint(dir: string, config: TModelConfig): TLoadedCheckpoint {
  return loadCheckpoint(dir, hfTensorSpecs(config), { ignore: config.tieWordEmbeddings ? ["lm_head.weight"] : [] });
}
