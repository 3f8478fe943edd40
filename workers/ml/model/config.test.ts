// Tests of config.json parsing: four public configs written out as literals, then each rejection.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadModelConfig, parseModelConfig, type TModelConfig } from "./config";

// As published on the Hugging Face Hub (HuggingFaceTB/SmolLM2-135M, Qwen/Qwen2-0.5B, Qwen/Qwen3-0.6B,
// meta-llama/Llama-3.2-1B), fields irrelevant to the architecture included as they appear there.
const SMOLLM2_135M = {
  architectures: ["LlamaForCausalLM"],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 0,
  eos_token_id: 0,
  hidden_act: "silu",
  hidden_size: 576,
  initializer_range: 0.041666666666666664,
  intermediate_size: 1536,
  is_llama_config: true,
  max_position_embeddings: 8192,
  mlp_bias: false,
  model_type: "llama",
  num_attention_heads: 9,
  num_hidden_layers: 30,
  num_key_value_heads: 3,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_interleaved: false,
  rope_scaling: null,
  rope_theta: 100000,
  tie_word_embeddings: true,
  torch_dtype: "bfloat16",
  transformers_version: "4.40.1",
  use_cache: true,
  vocab_size: 49152,
};
const QWEN2_05B = {
  architectures: ["Qwen2ForCausalLM"],
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151643,
  hidden_act: "silu",
  hidden_size: 896,
  initializer_range: 0.02,
  intermediate_size: 4864,
  max_position_embeddings: 131072,
  max_window_layers: 24,
  model_type: "qwen2",
  num_attention_heads: 14,
  num_hidden_layers: 24,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1000000.0,
  sliding_window: 131072,
  tie_word_embeddings: true,
  torch_dtype: "bfloat16",
  transformers_version: "4.40.1",
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};
const QWEN3_06B = {
  architectures: ["Qwen3ForCausalLM"],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 151643,
  eos_token_id: 151645,
  head_dim: 128,
  hidden_act: "silu",
  hidden_size: 1024,
  initializer_range: 0.02,
  intermediate_size: 3072,
  max_position_embeddings: 40960,
  max_window_layers: 28,
  model_type: "qwen3",
  num_attention_heads: 16,
  num_hidden_layers: 28,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-6,
  rope_scaling: null,
  rope_theta: 1000000,
  sliding_window: null,
  tie_word_embeddings: true,
  torch_dtype: "bfloat16",
  transformers_version: "4.51.0",
  use_cache: true,
  use_sliding_window: false,
  vocab_size: 151936,
};
const LLAMA32_1B = {
  architectures: ["LlamaForCausalLM"],
  attention_bias: false,
  attention_dropout: 0.0,
  bos_token_id: 128000,
  eos_token_id: 128001,
  head_dim: 64,
  hidden_act: "silu",
  hidden_size: 2048,
  initializer_range: 0.02,
  intermediate_size: 8192,
  max_position_embeddings: 131072,
  mlp_bias: false,
  model_type: "llama",
  num_attention_heads: 32,
  num_hidden_layers: 16,
  num_key_value_heads: 8,
  pretraining_tp: 1,
  rms_norm_eps: 1e-5,
  rope_scaling: {
    factor: 32.0,
    high_freq_factor: 4.0,
    low_freq_factor: 1.0,
    original_max_position_embeddings: 8192,
    rope_type: "llama3",
  },
  rope_theta: 500000.0,
  tie_word_embeddings: true,
  torch_dtype: "bfloat16",
  transformers_version: "4.45.0.dev0",
  use_cache: true,
  vocab_size: 128256,
};
const MISTRAL_7B_V03 = {
  architectures: ["MistralForCausalLM"],
  attention_dropout: 0.0,
  bos_token_id: 1,
  eos_token_id: 2,
  hidden_act: "silu",
  hidden_size: 4096,
  initializer_range: 0.02,
  intermediate_size: 14336,
  max_position_embeddings: 32768,
  model_type: "mistral",
  num_attention_heads: 32,
  num_hidden_layers: 32,
  num_key_value_heads: 8,
  rms_norm_eps: 1e-5,
  rope_theta: 1000000.0,
  sliding_window: null,
  tie_word_embeddings: false,
  torch_dtype: "bfloat16",
  transformers_version: "4.42.0.dev0",
  use_cache: true,
  vocab_size: 32768,
};

describe("parseModelConfig on public configs", () => {
  it("SmolLM2-135M: GQA 9/3, tied, no biases", () => {
    expect(parseModelConfig(SMOLLM2_135M)).toEqual<TModelConfig>({
      modelType: "llama",
      vocabSize: 49152,
      hiddenSize: 576,
      intermediateSize: 1536,
      numHiddenLayers: 30,
      numAttentionHeads: 9,
      numKeyValueHeads: 3,
      headDim: 64,
      rmsNormEps: 1e-5,
      ropeTheta: 100000,
      ropeScaling: null,
      maxPositionEmbeddings: 8192,
      tieWordEmbeddings: true,
      hasQkvBias: false,
      hasOBias: false,
      hasQkNorm: false,
      bosTokenId: 0,
      eosTokenIds: [0],
      padTokenId: null,
      torchDtype: "bfloat16",
    });
  });

  it("Qwen2-0.5B: q/k/v biases without o_proj bias; an unused sliding window is accepted", () => {
    const c = parseModelConfig(QWEN2_05B);
    expect(c).toMatchObject({ modelType: "qwen2", headDim: 64, numKeyValueHeads: 2, ropeTheta: 1e6, rmsNormEps: 1e-6 });
    expect([c.hasQkvBias, c.hasOBias, c.hasQkNorm, c.tieWordEmbeddings]).toEqual([true, false, false, true]);
  });

  it("Qwen3-0.6B: head_dim from config (128, not 1024/16), q/k norms, no biases", () => {
    const c = parseModelConfig(QWEN3_06B);
    expect(c).toMatchObject({ modelType: "qwen3", headDim: 128, numAttentionHeads: 16, numKeyValueHeads: 8 });
    expect([c.hasQkvBias, c.hasOBias, c.hasQkNorm]).toEqual([false, false, true]);
    expect(c.eosTokenIds).toEqual([151645]);
  });

  it("Llama-3.2-1B: its llama3 rope_scaling is read (rope.test.ts checks the frequencies)", () => {
    expect(parseModelConfig(LLAMA32_1B).ropeScaling).toEqual({
      type: "llama3",
      factor: 32,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 8192,
    });
  });

  it("Llama-3.2-1B without rope_scaling, with the Instruct model's eos list", () => {
    const c = parseModelConfig({ ...LLAMA32_1B, rope_scaling: null, eos_token_id: [128001, 128008, 128009] });
    expect(c).toMatchObject({ headDim: 64, ropeTheta: 500000, vocabSize: 128256, bosTokenId: 128000 });
    expect(c.eosTokenIds).toEqual([128001, 128008, 128009]);
  });

  it("Mistral-7B-v0.3: Llama-shaped, untied, no sliding window", () => {
    expect(parseModelConfig(MISTRAL_7B_V03)).toMatchObject({
      modelType: "mistral",
      tieWordEmbeddings: false,
      hasQkvBias: false,
      headDim: 128,
    });
  });
});

describe("parseModelConfig defaults", () => {
  const minimal = {
    model_type: "llama",
    vocab_size: 100,
    hidden_size: 32,
    intermediate_size: 64,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    rms_norm_eps: 1e-6,
    max_position_embeddings: 128,
  };
  it("fills num_key_value_heads, head_dim, rope_theta, tie and token ids as HF does", () => {
    expect(parseModelConfig(minimal)).toMatchObject({
      numKeyValueHeads: 4,
      headDim: 8,
      ropeTheta: 10000,
      tieWordEmbeddings: false,
      bosTokenId: null,
      eosTokenIds: [],
      padTokenId: null,
      torchDtype: null,
    });
  });
  it("llama with attention_bias puts biases on q/k/v and o", () => {
    expect(parseModelConfig({ ...minimal, attention_bias: true })).toMatchObject({ hasQkvBias: true, hasOBias: true });
  });
  it("reads transformers 5's rope_parameters and dtype", () => {
    const c = parseModelConfig({
      ...minimal,
      rope_parameters: { rope_type: "default", rope_theta: 2e6 },
      dtype: "float16",
    });
    expect([c.ropeTheta, c.torchDtype]).toEqual([2e6, "float16"]);
  });
  it("loads <dir>/config.json", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-config-"));
    fs.writeFileSync(path.join(dir, "config.json"), JSON.stringify(QWEN3_06B));
    expect(loadModelConfig(dir).headDim).toBe(128);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("parseModelConfig rejections", () => {
  const base = SMOLLM2_135M;
  it.each<[string, Record<string, unknown>, string]>([
    [
      "unknown model_type",
      { ...base, model_type: "gpt2" },
      "model_type 'gpt2' is not supported (supported: llama, mistral, qwen2, qwen3)",
    ],
    ["missing model_type", { ...base, model_type: undefined }, "config.json: model_type is missing"],
    [
      "legacy rope_scaling key, an unsupported type",
      { ...base, rope_scaling: { type: "su", factor: 2 } },
      "rope_scaling type 'su' is not supported (supported: default, linear, dynamic, llama3)",
    ],
    [
      "v5 rope_parameters",
      { ...base, rope_parameters: { rope_type: "yarn", rope_theta: 1e4 } },
      "rope_parameters type 'yarn' is not supported (supported: default, linear, dynamic, llama3)",
    ],
    ["interleaved RoPE", { ...base, rope_interleaved: true }, "rope_interleaved: true is not supported"],
    ["another activation", { ...base, hidden_act: "gelu" }, "hidden_act 'gelu' is not supported"],
    ["MLP biases", { ...base, mlp_bias: true }, "mlp_bias: true is not supported yet"],
    [
      "Mistral-7B-v0.1's window",
      { ...MISTRAL_7B_V03, sliding_window: 4096 },
      "sliding-window attention (sliding_window 4096) is not supported",
    ],
    [
      "Qwen2 window switched on",
      { ...QWEN2_05B, use_sliding_window: true },
      "sliding-window attention (sliding_window 131072)",
    ],
    [
      "sliding layer_types",
      { ...QWEN3_06B, layer_types: ["full_attention", "sliding_attention"] },
      "sliding-window attention",
    ],
    [
      "heads not a multiple of kv heads",
      { ...base, num_key_value_heads: 4 },
      "num_attention_heads 9 is not a multiple of num_key_value_heads 4",
    ],
    [
      "hidden not divisible by heads",
      { ...base, hidden_size: 577 },
      "hidden_size 577 is not divisible by num_attention_heads 9",
    ],
    [
      "missing field",
      { ...base, vocab_size: undefined },
      "config.json: vocab_size: Invalid input: expected number, received undefined",
    ],
    ["bad field type", { ...base, hidden_size: "576" }, "hidden_size: Invalid input: expected number, received string"],
    ["negative eos", { ...base, eos_token_id: [2, -1] }, "eos_token_id.1: Too small: expected number to be >=0"],
    [
      "unknown dtype",
      { ...base, torch_dtype: "float8_e4m3fn" },
      'torch_dtype: Invalid option: expected one of "float32"|"float16"|"bfloat16"',
    ],
  ])("%s", (_label, json, message) => {
    expect(() => parseModelConfig(json)).toThrow(message);
  });
  it("rejects a non-object", () => {
    expect(() => parseModelConfig(null)).toThrow("config.json: model_type is missing");
  });
  it("names a missing config.json", () => {
    expect(() => loadModelConfig("/nonexistent-dir")).toThrow("no config.json in /nonexistent-dir");
  });
});
