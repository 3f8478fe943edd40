// A Hugging Face `config.json` of the Llama family parsed into a validated TModelConfig; not the model itself.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

export const MODEL_TYPES = ["llama", "mistral", "qwen2", "qwen3"] as const;
export type TModelType = (typeof MODEL_TYPES)[number];
export type TTorchDtype = "float32" | "float16" | "bfloat16";

/** The architecture as config fields: the model definition reads these, never `modelType`, to vary. */
export interface TModelConfig {
  modelType: TModelType;
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  numKeyValueHeads: number;
  headDim: number;
  rmsNormEps: number;
  ropeTheta: number;
  /** `rope_scaling` (or transformers 5's `rope_parameters`) when its type is not "default". */
  ropeScaling: TRopeScaling | null;
  maxPositionEmbeddings: number;
  tieWordEmbeddings: boolean;
  /** Biases on q_proj, k_proj and v_proj. */
  hasQkvBias: boolean;
  /** Bias on o_proj. */
  hasOBias: boolean;
  /** RMSNorm over head_dim on q and k, per head, before RoPE (`q_norm`, `k_norm`). */
  hasQkNorm: boolean;
  bosTokenId: number | null;
  eosTokenIds: number[];
  padTokenId: number | null;
  torchDtype: TTorchDtype | null;
}

/** RoPE scaling as Hugging Face's `modeling_rope_utils` computes it (rope.ts applies it). */
export type TRopeScaling =
  /** inv_freq / factor (positions divided by factor). */
  | { type: "linear"; factor: number }
  /** NTK: base * ((factor * L / original) - (factor - 1)) ^ (D / (D - 2)) once L exceeds the original context. */
  | { type: "dynamic"; factor: number; originalMaxPositionEmbeddings: number }
  /** Llama 3.1's smoothing between inv_freq / factor (long wavelengths) and inv_freq (short ones). */
  | {
      type: "llama3";
      factor: number;
      lowFreqFactor: number;
      highFreqFactor: number;
      originalMaxPositionEmbeddings: number;
    };
export const ROPE_SCALING_TYPES = ["default", "linear", "dynamic", "llama3"] as const;

const int = z.number().int();
const positive = int.positive();
const tokenId = int.nonnegative().nullish();
const ropeParams = z.looseObject({
  rope_type: z.string().optional(),
  type: z.string().optional(),
  factor: z.number().optional(),
  low_freq_factor: z.number().optional(),
  high_freq_factor: z.number().optional(),
  original_max_position_embeddings: positive.optional(),
});

const ZHfConfig = z.looseObject({
  model_type: z.enum(MODEL_TYPES),
  vocab_size: positive,
  hidden_size: positive,
  intermediate_size: positive,
  num_hidden_layers: positive,
  num_attention_heads: positive,
  num_key_value_heads: positive.nullish(),
  head_dim: positive.nullish(),
  rms_norm_eps: z.number().positive(),
  rope_theta: z.number().positive().nullish(),
  rope_scaling: ropeParams.nullish(),
  // transformers >= 5 writes rope_theta and the scaling type together here.
  rope_parameters: ropeParams.extend({ rope_theta: z.number().positive().optional() }).nullish(),
  rope_interleaved: z.boolean().nullish(),
  max_position_embeddings: positive,
  tie_word_embeddings: z.boolean().nullish(),
  attention_bias: z.boolean().nullish(),
  mlp_bias: z.boolean().nullish(),
  hidden_act: z.string().nullish(),
  sliding_window: int.nullish(),
  use_sliding_window: z.boolean().nullish(),
  layer_types: z.array(z.string()).nullish(),
  bos_token_id: tokenId,
  eos_token_id: z.union([int.nonnegative(), z.array(int.nonnegative())]).nullish(),
  pad_token_id: tokenId,
  torch_dtype: z.enum(["float32", "float16", "bfloat16"]).nullish(),
  dtype: z.enum(["float32", "float16", "bfloat16"]).nullish(),
});
type THfConfig = z.infer<typeof ZHfConfig>;

// HF's attention modules: Llama and Qwen3 put `attention_bias` on all four projections; Qwen2
// hard-codes biases on q/k/v and none on o_proj; Mistral has none.
const ATTENTION: Record<TModelType, (c: THfConfig) => { qkv: boolean; o: boolean; qkNorm: boolean }> = {
  llama: (c) => ({ qkv: c.attention_bias ?? false, o: c.attention_bias ?? false, qkNorm: false }),
  mistral: () => ({ qkv: false, o: false, qkNorm: false }),
  qwen2: () => ({ qkv: true, o: false, qkNorm: false }),
  qwen3: (c) => ({ qkv: c.attention_bias ?? false, o: c.attention_bias ?? false, qkNorm: true }),
};

function fail(message: string): never {
  throw new Error(`config.json: ${message}`);
}

function isModelType(s: string): s is TModelType {
  return (MODEL_TYPES as readonly string[]).includes(s);
}

/** Guards for features the engine does not implement: each names the field and its value. */
function rejectUnsupported(c: THfConfig, modelType: TModelType): void {
  if (c.rope_interleaved)
    fail("rope_interleaved: true is not supported (RoPE here is the half-split rotate_half form)");
  if (c.hidden_act != null && c.hidden_act !== "silu")
    fail(`hidden_act '${c.hidden_act}' is not supported (only silu)`);
  if (c.mlp_bias) fail("mlp_bias: true is not supported yet");
  const slidingUsed =
    modelType === "mistral" ? c.sliding_window != null : modelType !== "llama" && c.use_sliding_window === true;
  if (slidingUsed || c.layer_types?.includes("sliding_attention")) {
    fail(`sliding-window attention (sliding_window ${c.sliding_window ?? "?"}) is not supported`);
  }
}

/** The scaling of `rope_scaling` or `rope_parameters` (HF's names and rules); unknown types are refused by name. */
function ropeScaling(c: THfConfig): TRopeScaling | null {
  let found: TRopeScaling | null = null;
  for (const [field, p] of [
    ["rope_scaling", c.rope_scaling],
    ["rope_parameters", c.rope_parameters],
  ] as const) {
    const type = p?.rope_type ?? p?.type ?? "default";
    if (!p || type === "default") continue;
    if (!(ROPE_SCALING_TYPES as readonly string[]).includes(type))
      fail(`${field} type '${type}' is not supported (supported: ${ROPE_SCALING_TYPES.join(", ")})`);
    const need = (
      key: "factor" | "low_freq_factor" | "high_freq_factor" | "original_max_position_embeddings",
    ): number => {
      const v = p[key];
      if (typeof v !== "number") fail(`${field} type '${type}' needs '${key}'`);
      return v;
    };
    const factor = need("factor");
    if (!(factor >= 1)) fail(`${field}.factor must be >= 1 (got ${factor})`);
    if (type === "linear") found = { type, factor };
    else if (type === "dynamic")
      found = {
        type,
        factor,
        originalMaxPositionEmbeddings: p.original_max_position_embeddings ?? c.max_position_embeddings,
      };
    else {
      const lowFreqFactor = need("low_freq_factor");
      const highFreqFactor = need("high_freq_factor");
      if (!(highFreqFactor > lowFreqFactor))
        fail(`${field}: high_freq_factor ${highFreqFactor} must exceed low_freq_factor ${lowFreqFactor}`);
      found = {
        type: "llama3",
        factor,
        lowFreqFactor,
        highFreqFactor,
        originalMaxPositionEmbeddings: need("original_max_position_embeddings"),
      };
    }
  }
  return found;
}

/** Validates a parsed config.json; throws one error naming the field for anything unsupported. */
export function parseModelConfig(json: unknown): TModelConfig {
  // model_type first: a config of another family would otherwise fail on its missing fields.
  const modelType =
    typeof json === "object" && json !== null ? (json as Record<string, unknown>).model_type : undefined;
  if (typeof modelType !== "string") fail("model_type is missing");
  if (!isModelType(modelType))
    fail(`model_type '${modelType}' is not supported (supported: ${MODEL_TYPES.join(", ")})`);
  const parsed = ZHfConfig.safeParse(json);
  if (!parsed.success) fail(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const c = parsed.data;
  rejectUnsupported(c, c.model_type);
  const numKeyValueHeads = c.num_key_value_heads ?? c.num_attention_heads;
  if (c.num_attention_heads % numKeyValueHeads !== 0) {
    fail(`num_attention_heads ${c.num_attention_heads} is not a multiple of num_key_value_heads ${numKeyValueHeads}`);
  }
  if (c.head_dim == null && c.hidden_size % c.num_attention_heads !== 0) {
    fail(
      `hidden_size ${c.hidden_size} is not divisible by num_attention_heads ${c.num_attention_heads} and head_dim is absent`,
    );
  }
  const attention = ATTENTION[c.model_type](c);
  const eos = c.eos_token_id;
  return {
    modelType: c.model_type,
    vocabSize: c.vocab_size,
    hiddenSize: c.hidden_size,
    intermediateSize: c.intermediate_size,
    numHiddenLayers: c.num_hidden_layers,
    numAttentionHeads: c.num_attention_heads,
    numKeyValueHeads,
    headDim: c.head_dim ?? c.hidden_size / c.num_attention_heads,
    rmsNormEps: c.rms_norm_eps,
    ropeTheta: c.rope_parameters?.rope_theta ?? c.rope_theta ?? 10000,
    ropeScaling: ropeScaling(c),
    maxPositionEmbeddings: c.max_position_embeddings,
    tieWordEmbeddings: c.tie_word_embeddings ?? false,
    hasQkvBias: attention.qkv,
    hasOBias: attention.o,
    hasQkNorm: attention.qkNorm,
    bosTokenId: c.bos_token_id ?? null,
    eosTokenIds: eos == null ? [] : Array.isArray(eos) ? eos : [eos],
    padTokenId: c.pad_token_id ?? null,
    torchDtype: c.torch_dtype ?? c.dtype ?? null,
  };
}

/** Reads and validates `<dir>/config.json`. */
export function loadModelConfig(dir: string): TModelConfig {
  const file = path.join(dir, "config.json");
  if (!fs.existsSync(file)) throw new Error(`no config.json in ${dir}`);
  return parseModelConfig(JSON.parse(fs.readFileSync(file, "utf8")));
}
