// Tests of checkpoint directories: HF tensor lists, single and sharded saves, BF16/F16 precision, mismatch reports.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { parseModelConfig, type TModelConfig } from "../model/config";
import { INDEX_FILE, SINGLE_FILE, openCheckpoint, saveCheckpoint } from "./checkpoint-dir";
import { hfTensorSpecs, loadModelCheckpoint } from "./hf-tensors";
import { CheckpointMismatchError, loadCheckpoint, type TExpectedTensor } from "./load-checkpoint";
import { numel } from "./safetensors-read";
import type { TTensorToWrite } from "./safetensors-write";

/** The index file as saveCheckpoint writes it. */
const ZWrittenIndex = z.object({
  metadata: z.object({ total_size: z.number() }),
  weight_map: z.record(z.string(), z.string()),
});

const root = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-ckpt-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = () => path.join(root, `c${dirCount++}`);

const tiny = (extra: Record<string, unknown> = {}): TModelConfig =>
  parseModelConfig({
    model_type: "qwen2",
    vocab_size: 64,
    hidden_size: 16,
    intermediate_size: 24,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    num_key_value_heads: 2,
    rms_norm_eps: 1e-6,
    max_position_embeddings: 32,
    tie_word_embeddings: false,
    ...extra,
  });

/** Seeded values over many binades (2^-12 .. 2^8), so rounding is exercised at every scale. */
function randomTensors(specs: readonly TExpectedTensor[], seed: number): Map<string, Float32Array> {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return new Map(
    specs.map((t) => [
      t.name,
      Float32Array.from({ length: numel(t.shape) }, () => (2 * next() - 1) * 2 ** Math.floor(next() * 21 - 12)),
    ]),
  );
}

const toWrite = (
  specs: readonly TExpectedTensor[],
  data: Map<string, Float32Array>,
  dtype: "F32" | "F16" | "BF16",
): TTensorToWrite[] => specs.map((t) => ({ name: t.name, shape: t.shape, dtype, data: data.get(t.name)! }));

/** Largest violation of |actual - expected| <= atol + rtol * |expected| over all tensors, with where. */
function worst(expected: Map<string, Float32Array>, read: (name: string) => Float32Array, rtol: number, atol: number) {
  let result = { excess: 0, name: "", index: -1, compared: 0 };
  for (const [name, e] of expected) {
    const a = read(name);
    if (a.length !== e.length) throw new Error(`${name}: ${a.length} values, expected ${e.length}`);
    e.forEach((ev, i) => {
      const av = a[i] ?? NaN;
      const excess = Number.isFinite(av) ? Math.abs(av - ev) - (atol + rtol * Math.abs(ev)) : Infinity;
      if (excess > result.excess) result = { ...result, excess, name, index: i };
    });
    result.compared += e.length;
  }
  return result;
}

describe("hfTensorSpecs", () => {
  const count = (c: TModelConfig) => hfTensorSpecs(c).reduce((n, t) => n + numel(t.shape), 0);
  const base = { vocab_size: 151936, rms_norm_eps: 1e-6, rope_theta: 1e6, tie_word_embeddings: true };
  it("gives the published parameter counts of SmolLM2-135M, Qwen2-0.5B and Qwen3-0.6B", () => {
    const smol = {
      model_type: "llama",
      vocab_size: 49152,
      hidden_size: 576,
      intermediate_size: 1536,
      num_hidden_layers: 30,
      num_attention_heads: 9,
      num_key_value_heads: 3,
      rms_norm_eps: 1e-5,
      max_position_embeddings: 8192,
      tie_word_embeddings: true,
    };
    const qwen2 = {
      ...base,
      model_type: "qwen2",
      hidden_size: 896,
      intermediate_size: 4864,
      num_hidden_layers: 24,
      num_attention_heads: 14,
      num_key_value_heads: 2,
      max_position_embeddings: 131072,
    };
    const qwen3 = {
      ...base,
      model_type: "qwen3",
      head_dim: 128,
      hidden_size: 1024,
      intermediate_size: 3072,
      num_hidden_layers: 28,
      num_attention_heads: 16,
      num_key_value_heads: 8,
      max_position_embeddings: 40960,
    };
    expect([smol, qwen2, qwen3].map((c) => count(parseModelConfig(c)))).toEqual([
      134_515_008, 494_032_768, 596_049_920,
    ]);
    expect(hfTensorSpecs(parseModelConfig(qwen3)).filter((t) => t.name.startsWith("model.layers.0."))).toContainEqual({
      name: "model.layers.0.self_attn.q_norm.weight",
      shape: [128],
    });
  });
  it("lists lm_head only when untied, and q/k/v biases for Qwen2", () => {
    const names = hfTensorSpecs(tiny()).map((t) => t.name);
    expect(names.filter((n) => !n.startsWith("model.layers.1."))).toEqual([
      "model.embed_tokens.weight",
      ...[
        "input_layernorm.weight",
        "self_attn.q_proj.weight",
        "self_attn.k_proj.weight",
        "self_attn.v_proj.weight",
        "self_attn.o_proj.weight",
        "self_attn.q_proj.bias",
        "self_attn.k_proj.bias",
        "self_attn.v_proj.bias",
        "post_attention_layernorm.weight",
        "mlp.gate_proj.weight",
        "mlp.up_proj.weight",
        "mlp.down_proj.weight",
      ].map((n) => `model.layers.0.${n}`),
      "model.norm.weight",
      "lm_head.weight",
    ]);
    expect(hfTensorSpecs(tiny({ tie_word_embeddings: true })).map((t) => t.name)).not.toContain("lm_head.weight");
  });
});

describe("checkpoint precision: F32 original saved as BF16 and F16", () => {
  const config = tiny();
  const specs = hfTensorSpecs(config);
  const original = randomTensors(specs, 42);
  it.each<["F32" | "F16" | "BF16", number, number]>([
    ["F32", 0, 0],
    ["BF16", 2 ** -8, 0],
    ["F16", 2 ** -11, 2 ** -25], // NOTE: F16 subnormals (below 2^-14) carry an absolute error up to half of 2^-24
  ])("%s loads within relative %f", (dtype, rtol, atol) => {
    const dir = freshDir();
    saveCheckpoint(dir, toWrite(specs, original, dtype));
    const ckpt = loadModelCheckpoint(dir, config);
    expect(ckpt.dtypeOf("model.layers.1.mlp.up_proj.weight")).toBe(dtype);
    const w = worst(original, (n) => ckpt.readFloat32(n), rtol, atol);
    expect(w).toEqual({ excess: 0, name: "", index: -1, compared: 6032 });
    // The narrow files really lost precision: half the tolerance is exceeded somewhere.
    if (dtype !== "F32")
      expect(worst(original, (n) => ckpt.readFloat32(n), rtol / 2, atol / 2).excess).toBeGreaterThan(0);
    ckpt.close();
  });
});

describe("sharded checkpoints", () => {
  const config = tiny();
  const specs = hfTensorSpecs(config);
  const original = randomTensors(specs, 7);
  it("saves two shards and an index as save_pretrained names them, and loads them back exactly", () => {
    const dir = freshDir();
    const names = saveCheckpoint(dir, toWrite(specs, original, "F32"), { maxShardBytes: 13_000 });
    expect(names).toEqual(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]);
    const index = ZWrittenIndex.parse(JSON.parse(fs.readFileSync(path.join(dir, INDEX_FILE), "utf8")));
    expect(index.metadata.total_size).toBe(6032 * 4);
    expect(new Set(Object.values(index.weight_map))).toEqual(new Set(names));
    expect(Object.keys(index.weight_map)).toHaveLength(specs.length);
    expect(fs.existsSync(path.join(dir, SINGLE_FILE))).toBe(false);
    const ckpt = loadModelCheckpoint(dir, config);
    expect(worst(original, (n) => ckpt.readFloat32(n), 0, 0).excess).toBe(0);
    ckpt.close();
  });
  it("replaces the files of an earlier save with another sharding", () => {
    const dir = freshDir();
    saveCheckpoint(dir, toWrite(specs, original, "F32"), { maxShardBytes: 13_000 });
    saveCheckpoint(dir, toWrite(specs, original, "BF16"));
    expect(fs.readdirSync(dir)).toEqual([SINGLE_FILE]);
  });
  it("rejects an index that disagrees with its shards", () => {
    const dir = freshDir();
    saveCheckpoint(dir, toWrite(specs, original, "F32"), { maxShardBytes: 13_000 });
    const indexPath = path.join(dir, INDEX_FILE);
    const index = ZWrittenIndex.parse(JSON.parse(fs.readFileSync(indexPath, "utf8")));
    index.weight_map["model.norm.weight"] = "model-00001-of-00002.safetensors";
    fs.writeFileSync(indexPath, JSON.stringify(index));
    expect(() => openCheckpoint(dir)).toThrow(
      "tensor 'model.norm.weight' is in model-00002-of-00002.safetensors but the index says model-00001-of-00002.safetensors",
    );
    index.weight_map["extra.weight"] = "model-00001-of-00002.safetensors";
    delete index.weight_map["model.norm.weight"];
    fs.writeFileSync(indexPath, JSON.stringify(index));
    expect(() => openCheckpoint(dir)).toThrow(
      "tensor 'model.norm.weight' is in model-00002-of-00002.safetensors but the index says nothing",
    );
  });
});

describe("matching a checkpoint against the model", () => {
  const config = tiny();
  const specs = hfTensorSpecs(config);
  const original = randomTensors(specs, 3);
  const save = (tensors: TTensorToWrite[]) => {
    const dir = freshDir();
    saveCheckpoint(dir, tensors);
    return dir;
  };
  it("reports missing, unknown and misshapen tensors by name in one error", () => {
    const tensors = toWrite(specs, original, "F32")
      .filter((t) => t.name !== "model.layers.1.self_attn.k_proj.bias" && t.name !== "lm_head.weight")
      .map((t) => (t.name === "model.norm.weight" ? { ...t, shape: [4, 4] } : t));
    tensors.push({ name: "model.layers.0.mlp.gate_proj.bias", shape: [24], dtype: "F32", data: new Float32Array(24) });
    const dir = save(tensors);
    expect(() => loadModelCheckpoint(dir, config)).toThrow(
      new CheckpointMismatchError(dir, [], [], []).message.split("\n")[0] +
        [
          "",
          "missing (2):",
          "  model.layers.1.self_attn.k_proj.bias",
          "  lm_head.weight",
          "unknown (1):",
          "  model.layers.0.mlp.gate_proj.bias",
          "shape mismatch (1):",
          "  model.norm.weight: expected [16], found [4, 4]",
        ].join("\n"),
    );
  });
  it("keeps the report short when a whole other model is given", () => {
    const expected = Array.from({ length: 60 }, (_, i) => ({ name: `t${i}`, shape: [1] }));
    const dir = save(toWrite(specs.slice(0, 1), original, "F32"));
    try {
      loadCheckpoint(dir, expected);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CheckpointMismatchError);
      const err = e as CheckpointMismatchError;
      expect([err.missing.length, err.unknown]).toEqual([60, ["model.embed_tokens.weight"]]);
      expect(err.message).toContain("  t49\n  ... and 10 more\nunknown (1):");
    }
  });
  it("accepts keys without the `model.` prefix (a base-model save)", () => {
    const dir = save(toWrite(specs, original, "F32").map((t) => ({ ...t, name: t.name.replace(/^model\./, "") })));
    const ckpt = loadModelCheckpoint(dir, config);
    expect(ckpt.readFloat32("model.norm.weight")).toEqual(original.get("model.norm.weight"));
    expect(ckpt.readFloat32("lm_head.weight")).toEqual(original.get("lm_head.weight"));
    ckpt.close();
  });
  it("a tied model loads with lm_head.weight absent or present, and ignores rotary inv_freq buffers", () => {
    const tied = tiny({ tie_word_embeddings: true });
    const withHead = toWrite(specs, original, "F32");
    withHead.push({
      name: "model.layers.0.self_attn.rotary_emb.inv_freq",
      shape: [2],
      dtype: "F32",
      data: new Float32Array(2),
    });
    loadModelCheckpoint(save(withHead), tied).close();
    loadModelCheckpoint(save(withHead.filter((t) => t.name !== "lm_head.weight")), tied).close();
    expect(() => loadModelCheckpoint(save(withHead.filter((t) => t.name !== "lm_head.weight")), config)).toThrow(
      "missing (1):\n  lm_head.weight",
    );
  });
  it("refuses to read a name the model did not expect", () => {
    const ckpt = loadModelCheckpoint(save(toWrite(specs, original, "F32")), config);
    expect(() => ckpt.readFloat32("model.embed_tokens")).toThrow(
      "tensor 'model.embed_tokens' is not among the expected tensors",
    );
    ckpt.close();
  });
  it("names what a directory holds when it has no safetensors checkpoint", () => {
    const dir = freshDir();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "pytorch_model.bin"), "");
    expect(() => openCheckpoint(dir)).toThrow(
      `${dir}: neither model.safetensors nor model.safetensors.index.json (found: pytorch_model.bin)`,
    );
  });
});
