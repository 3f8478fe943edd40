// The two benchmark architectures as Hugging Face config.json objects, and the byte counts derived from them.
// Not weights: make-bench-checkpoints.ts writes those.
import { hfTensorSpecs } from "../checkpoint/hf-tensors";
import { parseModelConfig, type TModelConfig } from "../model/config";
import type { TQuantizeMode } from "../model/quantize";
import { QUANTIZED_LINEAR } from "../model/quantize-reference";

export const BENCH_CONFIG_NAMES = ["small-5m", "smollm2-135m"] as const;
export type TBenchConfigName = (typeof BENCH_CONFIG_NAMES)[number];

/** HF's default init std for Linear and Embedding weights (`initializer_range`). */
export const INIT_STD = 0.02;

const COMMON = {
  architectures: ["LlamaForCausalLM"],
  model_type: "llama",
  hidden_act: "silu",
  attention_bias: false,
  attention_dropout: 0.0,
  mlp_bias: false,
  initializer_range: INIT_STD,
  rms_norm_eps: 1e-5,
  rope_scaling: null,
  pretraining_tp: 1,
  use_cache: true,
  torch_dtype: "float32",
  bos_token_id: 0,
  eos_token_id: 0,
} as const;

/** config.json contents by benchmark name. */
export const BENCH_CONFIGS: Record<TBenchConfigName, Record<string, unknown>> = {
  // About 5.0M parameters: 2.1M in the tied embedding, 0.73M per layer.
  "small-5m": {
    ...COMMON,
    hidden_size: 256,
    intermediate_size: 688,
    num_hidden_layers: 4,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    vocab_size: 8192,
    max_position_embeddings: 2048,
    rope_theta: 10000,
    tie_word_embeddings: true,
  },
  // The shape of HuggingFaceTB/SmolLM2-135M (its weights are not used): about 134.5M parameters.
  "smollm2-135m": {
    ...COMMON,
    hidden_size: 576,
    intermediate_size: 1536,
    num_hidden_layers: 30,
    num_attention_heads: 9,
    num_key_value_heads: 3,
    vocab_size: 49152,
    max_position_embeddings: 8192,
    rope_theta: 100000,
    tie_word_embeddings: true,
  },
};

/** Timed runs per process relative to --runs: the small model's runs are short, so it gets more against noise. */
export const RUNS_FACTOR: Record<TBenchConfigName, number> = { "small-5m": 3, "smollm2-135m": 1 };

export function benchModelConfig(name: TBenchConfigName): TModelConfig {
  return parseModelConfig(BENCH_CONFIGS[name]);
}

export function parameterCount(c: TModelConfig): number {
  return hfTensorSpecs(c).reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
}

/** Bytes a weight of the quantized layers takes: float32, or 8 / 4 bits plus a float32 scale per block of 32. */
export const BYTES_PER_WEIGHT: Record<TQuantizeMode, number> = { none: 4, q8: 1 + 4 / 32, q4: 0.5 + 4 / 32 };

/**
 * Weight bytes one single-sequence decode step must read: every layer weight and norm once, the final norm,
 * the LM head once (the embedding matrix itself when tied), and one row of the embedding for the lookup (an
 * untied embedding is otherwise not touched). float32 (4 bytes a parameter) unless `mode` quantizes the linear
 * layers and the LM head (`BYTES_PER_WEIGHT`; norms, biases and the embedding row stay float32). The KV cache
 * is not a weight and is left out (here under 5 MB a step at the benchmark's lengths, against ~540 MB of
 * weights).
 */
export function weightBytesPerToken(c: TModelConfig, mode: TQuantizeMode = "none"): number {
  const vocabRows = c.vocabSize * c.hiddenSize;
  const linear = hfTensorSpecs(c)
    .filter((t) => QUANTIZED_LINEAR.test(t.name))
    .reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
  const rest = parameterCount(c) - linear - vocabRows * (c.tieWordEmbeddings ? 1 : 2);
  const embeddingRow = c.hiddenSize;
  return 4 * (rest + embeddingRow) + BYTES_PER_WEIGHT[mode] * (linear + vocabRows);
}
