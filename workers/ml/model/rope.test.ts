// RoPE scaling (linear, dynamic NTK, llama3): inv_freq against transformers' modeling_rope_utils written
// independently in numpy (reference/golden/rope_scaling_reference.py, its output below), the tables, the
// config rules, and the decoder with scaling against the decoder without it through real sessions.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tensor } from "../ir";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { expectClose } from "../testing";
import { loadModel, type CausalLM } from "./causal-lm";
import { parseModelConfig, type TModelConfig, type TRopeScaling } from "./config";
import { ropeInvFreq, ropeTables } from "./rope";
import { copyModelDir, tempRoot } from "./test-fixtures";
import type { TTextBatch } from "./text-batch";

// python3 workers/ml/reference/golden/rope_scaling_reference.py
const HF_INV_FREQ: Record<
  "llama3_3.2" | "llama3_small" | "linear_small" | "dynamic_small_at_32" | "dynamic_small_at_48",
  number[]
> = {
  "llama3_3.2": [
    1.0, 0.6636012376960885, 0.44036660267178046, 0.2922278225730151, 0.19392274474868576, 0.12868737343265052,
    0.08539710028576561, 0.056669621445291044, 0.03760603093086393, 0.024955408670558694, 0.016560440080994446,
    0.010989528534539826, 0.0072926647372171085, 0.004839421345719893, 0.0032114459947525913, 0.001290547928209264,
    0.00042955679655936815, 9.70828780262767e-5, 1.9461638184831125e-5, 1.291476718704739e-5, 8.570255489881478e-6,
    5.687232150457046e-6, 3.7740542941082826e-6, 2.5044671007024935e-6, 1.661967467795309e-6, 1.102883668639601e-6,
    7.318749675440419e-7, 4.856731343010108e-7, 3.2229329303788936e-7, 2.138742281610915e-7, 1.4192720251899592e-7,
    9.418306725434909e-8,
  ],
  llama3_small: [
    1.0, 0.12732395447351627, 0.025, 0.007905694150420948, 0.0025, 0.0007905694150420947, 0.00025, 7.905694150420948e-5,
  ],
  linear_small: [
    0.25, 0.07905694150420949, 0.025, 0.007905694150420948, 0.0025, 0.0007905694150420947, 0.00025,
    7.905694150420948e-5,
  ],
  dynamic_small_at_32: [
    1.0, 0.31622776601683794, 0.1, 0.03162277660168379, 0.01, 0.003162277660168379, 0.001, 0.00031622776601683794,
  ],
  dynamic_small_at_48: [
    1.0, 0.27029612569240363, 0.07305999556432365, 0.019747833744140873, 0.005337762951858991, 0.001442776645751933,
    0.000389976937586229, 0.00010540925533894597,
  ],
};

type TRopeCase = Pick<TModelConfig, "headDim" | "ropeTheta" | "maxPositionEmbeddings" | "ropeScaling">;
const small = (ropeScaling: TRopeScaling | null, maxPositionEmbeddings = 64): TRopeCase => ({
  headDim: 16,
  ropeTheta: 10000,
  maxPositionEmbeddings,
  ropeScaling,
});
const LLAMA3_SMALL: TRopeScaling = {
  type: "llama3",
  factor: 4,
  lowFreqFactor: 1,
  highFreqFactor: 4,
  originalMaxPositionEmbeddings: 32,
};

describe("ropeInvFreq against transformers' formulas", () => {
  const close = (got: Float64Array, want: number[]) => expectClose(got, want, { atol: 0, rtol: 1e-12 });

  it("llama3: Llama-3.2-1B's rope_scaling", () => {
    const c = parseModelConfig({ ...LLAMA32_1B_ARCH });
    close(ropeInvFreq(c), HF_INV_FREQ["llama3_3.2"]);
  });

  it("llama3: a small case with a kept, a smoothed and interpolated frequencies", () => {
    const got = ropeInvFreq(small(LLAMA3_SMALL));
    close(got, HF_INV_FREQ.llama3_small);
    const plain = ropeInvFreq(small(null));
    expect(got[0]).toBe(plain[0]); // wavelength 6.3 < 32 / 4: kept
    expect(got[1]).toBeLessThan(plain[1] ?? 0); // 19.9: smoothed, strictly between f / 4 and f
    expect(got[1]).toBeGreaterThan((plain[1] ?? 0) / 4);
    expect(got[2]).toBeCloseTo((plain[2] ?? 0) / 4, 15); // 62.8 > 32: divided by the factor
  });

  it("linear divides every frequency by the factor", () => {
    close(ropeInvFreq(small({ type: "linear", factor: 4 })), HF_INV_FREQ.linear_small);
  });

  it("dynamic: the original frequencies up to the original context, a larger base past it", () => {
    const d = small({ type: "dynamic", factor: 4, originalMaxPositionEmbeddings: 32 });
    close(ropeInvFreq(d, 32), HF_INV_FREQ.dynamic_small_at_32);
    close(ropeInvFreq(d, 10), HF_INV_FREQ.dynamic_small_at_32);
    close(ropeInvFreq(d, 48), HF_INV_FREQ.dynamic_small_at_48);
    close(ropeInvFreq(small(null)), HF_INV_FREQ.dynamic_small_at_32);
  });
});

describe("ropeTables with scaling", () => {
  const row = (t: ReturnType<typeof ropeTables>, p: number) => ({
    cos: Array.from(t.cos.data.subarray(p * 8, p * 8 + 8)),
    sin: Array.from(t.sin.data.subarray(p * 8, p * 8 + 8)),
  });
  const angles = (invFreq: number[], p: number) => ({
    cos: invFreq.map((f) => Math.fround(Math.cos(p * f))),
    sin: invFreq.map((f) => Math.fround(Math.sin(p * f))),
  });

  it("linear at position 2p is the unscaled table at p / 2 (positions divided by the factor)", () => {
    const linear = ropeTables(small({ type: "linear", factor: 2 }));
    const plain = ropeTables(small(null));
    for (const p of [0, 1, 7, 31]) expect(row(linear, 2 * p)).toEqual(row(plain, p));
  });

  it("dynamic: row p holds inv_freq at seq_len p + 1 past the original context, the plain one before", () => {
    const t = ropeTables(small({ type: "dynamic", factor: 4, originalMaxPositionEmbeddings: 32 }));
    const plain = ropeTables(small(null));
    for (const p of [0, 5, 31]) expect(row(t, p)).toEqual(row(plain, p));
    expect(row(t, 47)).toEqual(angles(HF_INV_FREQ.dynamic_small_at_48, 47));
    expect(row(t, 32)).not.toEqual(row(plain, 32));
  });

  it("llama3 with an original context shorter than every wavelength is linear scaling", () => {
    const llama3 = ropeTables(small({ ...LLAMA3_SMALL, originalMaxPositionEmbeddings: 1 }));
    expect(llama3).toEqual(ropeTables(small({ type: "linear", factor: 4 })));
  });
});

// Llama-3.2-1B's architecture fields (config.test.ts holds the whole published config).
const LLAMA32_1B_ARCH = {
  model_type: "llama",
  vocab_size: 128256,
  hidden_size: 2048,
  intermediate_size: 8192,
  num_hidden_layers: 16,
  num_attention_heads: 32,
  num_key_value_heads: 8,
  head_dim: 64,
  rms_norm_eps: 1e-5,
  max_position_embeddings: 131072,
  rope_theta: 500000.0,
  rope_scaling: {
    factor: 32.0,
    high_freq_factor: 4.0,
    low_freq_factor: 1.0,
    original_max_position_embeddings: 8192,
    rope_type: "llama3",
  },
};

describe("rope_scaling in config.json", () => {
  it("llama3 is read with its four parameters; transformers 5's rope_parameters too", () => {
    const want = {
      type: "llama3",
      factor: 32,
      lowFreqFactor: 1,
      highFreqFactor: 4,
      originalMaxPositionEmbeddings: 8192,
    };
    expect(parseModelConfig(LLAMA32_1B_ARCH).ropeScaling).toEqual(want);
    const v5 = { ...LLAMA32_1B_ARCH, rope_scaling: undefined, rope_theta: undefined };
    const c = parseModelConfig({ ...v5, rope_parameters: { ...LLAMA32_1B_ARCH.rope_scaling, rope_theta: 500000 } });
    expect([c.ropeScaling, c.ropeTheta]).toEqual([want, 500000]);
  });

  it("linear and dynamic (the original context defaults to max_position_embeddings); the old `type` key", () => {
    const base = { ...LLAMA32_1B_ARCH, max_position_embeddings: 4096 };
    expect(parseModelConfig({ ...base, rope_scaling: { type: "linear", factor: 2 } }).ropeScaling).toEqual({
      type: "linear",
      factor: 2,
    });
    expect(parseModelConfig({ ...base, rope_scaling: { rope_type: "dynamic", factor: 2 } }).ropeScaling).toEqual({
      type: "dynamic",
      factor: 2,
      originalMaxPositionEmbeddings: 4096,
    });
    expect(parseModelConfig({ ...base, rope_scaling: { rope_type: "default" } }).ropeScaling).toBeNull();
  });

  it("unsupported types and missing parameters are refused by name", () => {
    const withScaling = (rope_scaling: unknown) => () => parseModelConfig({ ...LLAMA32_1B_ARCH, rope_scaling });
    expect(withScaling({ rope_type: "yarn", factor: 4 })).toThrow(
      "config.json: rope_scaling type 'yarn' is not supported (supported: default, linear, dynamic, llama3)",
    );
    expect(withScaling({ rope_type: "longrope", factor: 4 })).toThrow("type 'longrope' is not supported");
    expect(withScaling({ rope_type: "linear" })).toThrow("rope_scaling type 'linear' needs 'factor'");
    expect(withScaling({ rope_type: "llama3", factor: 8, low_freq_factor: 1, high_freq_factor: 4 })).toThrow(
      "rope_scaling type 'llama3' needs 'original_max_position_embeddings'",
    );
    expect(withScaling({ rope_type: "linear", factor: 0.5 })).toThrow("rope_scaling.factor must be >= 1");
  });
});

describe("a decoder with RoPE scaling, through onnxruntime", () => {
  const g = loadGoldenFixture().configs.find((c) => c.name === "llama-gqa");
  if (!g) throw new Error("no llama-gqa golden config");
  const tmp = tempRoot("prefloop-rope-");
  const models: CausalLM[] = [];
  afterAll(async () => {
    await Promise.all(models.map((m) => m.dispose()));
    tmp.remove();
  });
  const load = (name: string, rope_scaling: unknown) => {
    const dir = copyModelDir(g.dir, path.join(tmp.dir, name), { rope_scaling });
    const m = loadModel(dir, { session: { intraOpThreads: 1 } });
    models.push(m);
    return m;
  };
  const T = 24;
  const ids = Array.from({ length: T }, (_, t) => 1 + ((t * 7) % (g.config.vocab_size - 1)));
  const batch = (positions: number[]): TTextBatch => ({
    inputIds: tensor("int64", [1, T], BigInt64Array.from(ids, BigInt)),
    attentionMask: tensor("int64", [1, T], new BigInt64Array(T).fill(1n)),
    positionIds: tensor("int64", [1, T], BigInt64Array.from(positions, BigInt)),
  });
  const logits = async (m: CausalLM, positions = ids.map((_, t) => t)) => {
    const out = await m.decode(batch(positions), null, "all");
    const V = out.logits.shape[2] ?? 0;
    return Array.from({ length: T }, (_, t) => Array.from(out.logits.data.subarray(t * V, (t + 1) * V)));
  };

  it("linear factor 2 at positions 0, 2, 4, ... gives the unscaled model's logits at 0, 1, 2, ...", async () => {
    const plain = await logits(load("plain", null));
    const linear = load("linear", { rope_type: "linear", factor: 2 });
    const doubled = await logits(
      linear,
      ids.map((_, t) => 2 * t),
    );
    for (let t = 0; t < T; t++) expectClose(doubled[t] ?? [], plain[t] ?? [], { atol: 1e-5, rtol: 1e-4 });
    const same = await logits(linear);
    expect(same[T - 1]).not.toEqual(plain[T - 1]);
  });

  it("dynamic: identical within the original context (16), different past it", async () => {
    const plain = await logits(load("plain2", null));
    const dyn = await logits(
      load("dynamic", { rope_type: "dynamic", factor: 4, original_max_position_embeddings: 16 }),
    );
    for (let t = 0; t < 16; t++) expect(dyn[t]).toEqual(plain[t]);
    for (let t = 16; t < T; t++) {
      const diff = Math.max(...(dyn[t] ?? []).map((x, v) => Math.abs(x - (plain[t]?.[v] ?? 0))));
      expect(diff).toBeGreaterThan(1e-4);
    }
  });

  it("llama3 runs, finite, and differs from the unscaled model (its long wavelengths are interpolated)", async () => {
    const plain = await logits(load("plain3", null));
    const l3 = await logits(
      load("llama3", {
        rope_type: "llama3",
        factor: 8,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 16,
      }),
    );
    expect(l3.flat().every(Number.isFinite)).toBe(true);
    const diff = Math.max(...(l3[T - 1] ?? []).map((x, v) => Math.abs(x - (plain[T - 1]?.[v] ?? 0))));
    expect(diff).toBeGreaterThan(1e-4);
  });
});
