// A fresh Llama-family checkpoint to pre-train from: config.json and HF-style initial weights
// (Linear and Embedding ~ N(0, 0.02), RMSNorm weights 1), seeded through the engine's random streams.
import fs from "node:fs";
import path from "node:path";
import { saveCheckpoint } from "../../ml/checkpoint/checkpoint-dir";
import { hfTensorSpecs } from "../../ml/checkpoint/hf-tensors";
import { createRng } from "../../ml/generate/rng";
import { parseModelConfig } from "../../ml/model/config";
import type { TProfile } from "./profiles";

export const INIT_STD = 0.02;

export function houseConfigJson(
  p: TProfile,
  vocabSize: number,
  ids: { pad: number; eos: number },
): Record<string, unknown> {
  return {
    architectures: ["LlamaForCausalLM"],
    model_type: "llama",
    hidden_act: "silu",
    attention_bias: false,
    attention_dropout: 0.0,
    mlp_bias: false,
    initializer_range: INIT_STD,
    rms_norm_eps: 1e-5,
    rope_scaling: null,
    rope_theta: 10000,
    pretraining_tp: 1,
    use_cache: true,
    torch_dtype: "float32",
    tie_word_embeddings: true,
    vocab_size: vocabSize,
    bos_token_id: null,
    eos_token_id: ids.eos,
    pad_token_id: ids.pad,
    ...p.model,
  };
}

/** Writes config.json and model.safetensors of a randomly initialised model into `dir`. */
export function writeInitialModel(dir: string, configJson: Record<string, unknown>, seed: number): void {
  const config = parseModelConfig(configJson);
  const root = createRng(seed);
  const tensors = hfTensorSpecs(config).map((spec, i) => {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (spec.shape.length === 1) data.fill(1);
    else {
      const r = root.fork(i);
      for (let j = 0; j < n; j += 2) {
        // Box-Muller: two normals from two uniforms; 1 - u keeps log() finite.
        const rad = Math.sqrt(-2 * Math.log(1 - r.nextFloat()));
        const t = 2 * Math.PI * r.nextFloat();
        data[j] = INIT_STD * rad * Math.cos(t);
        if (j + 1 < n) data[j + 1] = INIT_STD * rad * Math.sin(t);
      }
    }
    return { name: spec.name, shape: spec.shape, dtype: "F32" as const, data };
  });
  fs.mkdirSync(dir, { recursive: true });
  saveCheckpoint(dir, tensors, { metadata: { generator: "prefloop house", seed: String(seed) } });
  fs.writeFileSync(path.join(dir, "config.json"), `${JSON.stringify(configJson, null, 2)}\n`);
}
