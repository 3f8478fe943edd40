// Tests of the committed golden fixture and its reader: format checks, checkpoints whose safetensors
// headers list exactly the tensors their config implies, and internal consistency of every case.
// On a magic/version error: regenerate with `/usr/bin/python3 workers/ml/reference/golden/make_golden.py`.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  GOLDEN_DIR,
  GOLDEN_VERSION,
  decodeGoldenFile,
  isRealPosition,
  loadGoldenFixture,
  logitsAt,
  type TGoldenHfConfig,
} from "./golden-fixture";

const fixture = loadGoldenFixture();
const goldenBytes = fs.readFileSync(path.join(GOLDEN_DIR, "golden.bin"));

/** State-dict names and shapes implied by a config, derived here independently of the Python script. */
function expectedTensors(c: TGoldenHfConfig): Map<string, number[]> {
  const C = c.hidden_size;
  const HS = c.head_dim ?? C / c.num_attention_heads;
  const Q = c.num_attention_heads * HS;
  const KV = c.num_key_value_heads * HS;
  const I = c.intermediate_size;
  const out = new Map<string, number[]>([
    ["model.embed_tokens.weight", [c.vocab_size, C]],
    ["model.norm.weight", [C]],
  ]);
  if (!c.tie_word_embeddings) out.set("lm_head.weight", [c.vocab_size, C]);
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `model.layers.${l}.`;
    out.set(`${p}input_layernorm.weight`, [C]).set(`${p}post_attention_layernorm.weight`, [C]);
    out.set(`${p}self_attn.q_proj.weight`, [Q, C]).set(`${p}self_attn.k_proj.weight`, [KV, C]);
    out.set(`${p}self_attn.v_proj.weight`, [KV, C]).set(`${p}self_attn.o_proj.weight`, [C, Q]);
    if (c.model_type === "qwen2") {
      out
        .set(`${p}self_attn.q_proj.bias`, [Q])
        .set(`${p}self_attn.k_proj.bias`, [KV])
        .set(`${p}self_attn.v_proj.bias`, [KV]);
    }
    if (c.model_type === "qwen3") out.set(`${p}self_attn.q_norm.weight`, [HS]).set(`${p}self_attn.k_norm.weight`, [HS]);
    out
      .set(`${p}mlp.gate_proj.weight`, [I, C])
      .set(`${p}mlp.up_proj.weight`, [I, C])
      .set(`${p}mlp.down_proj.weight`, [C, I]);
  }
  return out;
}

interface SafetensorsEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function readSafetensorsHeader(file: string): {
  headerBytes: number;
  fileBytes: number;
  entries: Map<string, SafetensorsEntry>;
} {
  const bytes = fs.readFileSync(file);
  const headerBytes = Number(bytes.readBigUInt64LE(0));
  const json = JSON.parse(bytes.subarray(8, 8 + headerBytes).toString("utf8")) as Record<string, unknown>;
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, value] of Object.entries(json))
    if (name !== "__metadata__") entries.set(name, value as SafetensorsEntry);
  return { headerBytes, fileBytes: bytes.byteLength, entries };
}

function withUint32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

describe("golden fixture file", () => {
  it("has the current version and covers the model family's variations", () => {
    expect(fixture.version).toBe(GOLDEN_VERSION);
    expect(fixture.configs.map((c) => c.name)).toEqual(["llama-gqa", "llama-tied", "qwen2-bias", "qwen3-qknorm"]);
    for (const c of fixture.configs) expect(c.cases.map((k) => k.name)).toEqual(["single", "batch"]);
    const configs = fixture.configs.map((c) => c.config);
    expect(configs.some((c) => c.num_key_value_heads < c.num_attention_heads && c.num_key_value_heads > 1)).toBe(true);
    expect(configs.some((c) => c.num_key_value_heads === 1)).toBe(true);
    expect(configs.some((c) => c.tie_word_embeddings)).toBe(true);
    expect(configs.some((c) => !c.tie_word_embeddings)).toBe(true);
    expect(configs.some((c) => c.model_type === "qwen2")).toBe(true);
    expect(configs.some((c) => c.model_type === "qwen3" && c.head_dim !== c.hidden_size / c.num_attention_heads)).toBe(
      true,
    );
    expect(configs.some((c) => c.rope_theta !== 10000)).toBe(true);
  });

  it("rejects a wrong magic, a wrong version and a truncated file, naming the regenerate command", () => {
    const badMagic = Uint8Array.from(goldenBytes);
    badMagic[0] = 0x58;
    expect(() => decodeGoldenFile(badMagic)).toThrow(/bad magic.*make_golden\.py/);
    expect(() => decodeGoldenFile(withUint32(goldenBytes, 8, GOLDEN_VERSION + 1))).toThrow(
      /version 2.*make_golden\.py/,
    );
    expect(() => decodeGoldenFile(goldenBytes.subarray(0, goldenBytes.byteLength - 8))).toThrow(
      /size.*make_golden\.py/,
    );
    expect(() => decodeGoldenFile(goldenBytes.subarray(0, 10))).toThrow(/too short/);
  });
});

describe.each(fixture.configs.map((c) => [c.name, c] as const))("golden config %s", (_name, entry) => {
  const { config } = entry;

  it("is a checkpoint directory whose safetensors header lists exactly the tensors its config implies", () => {
    const expected = expectedTensors(config);
    const { headerBytes, fileBytes, entries } = readSafetensorsHeader(path.join(entry.dir, "model.safetensors"));
    expect([...entries.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(entry.tensorNames).toEqual([...expected.keys()].sort());
    expect((8 + headerBytes) % 8).toBe(0);
    let end = 0;
    let parameters = 0;
    for (const name of [...entries.keys()].sort()) {
      const e = entries.get(name);
      expect(e?.dtype, name).toBe("F32");
      expect(e?.shape, name).toEqual(expected.get(name));
      const count = (e?.shape ?? []).reduce((a, b) => a * b, 1);
      expect(e?.data_offsets, name).toEqual([end, end + 4 * count]);
      end += 4 * count;
      parameters += count;
    }
    expect(fileBytes).toBe(8 + headerBytes + end);
    expect(parameters).toBe(entry.parameterCount);
  });

  it("has special tokens that stay out of the way: EOS never in prompts or greedy output", () => {
    expect(config.pad_token_id).toBe(fixture.padTokenId);
    for (const c of entry.cases) {
      expect(c.inputIds.flat()).not.toContain(config.eos_token_id);
      expect(c.greedy.flat()).not.toContain(config.eos_token_id);
    }
  });

  it.each(entry.cases.map((c) => [c.name, c] as const))("case %s is consistent", (_case, c) => {
    const [B, T, V] = c.logitsShape;
    expect(V).toBe(config.vocab_size);
    expect(c.logits.length).toBe(B * T * V);
    for (const rows of [c.inputIds, c.attentionMask, c.positionIds]) {
      expect(rows).toHaveLength(B);
      for (const row of rows) expect(row).toHaveLength(T);
    }
    for (let b = 0; b < B; b++) {
      const mask = c.attentionMask[b] ?? [];
      const firstReal = mask.indexOf(1);
      expect(firstReal, "every row has a token").toBeGreaterThanOrEqual(0);
      expect(mask, "left padding").toEqual(mask.map((_, t) => (t < firstReal ? 0 : 1)));
      expect(c.inputIds[b]?.slice(firstReal)[0], "rows start with BOS").toBe(config.bos_token_id);
      for (let t = 0; t < T; t++) {
        const row = logitsAt(c, b, t);
        if (isRealPosition(c, b, t)) {
          expect(c.positionIds[b]?.[t]).toBe(t - firstReal);
          expect(c.inputIds[b]?.[t]).toBeLessThan(V);
          expect(row.every(Number.isFinite), `logits finite at (${b}, ${t})`).toBe(true);
        } else {
          expect(c.inputIds[b]?.[t]).toBe(fixture.padTokenId);
          expect(row.every(Number.isNaN), `logits NaN at pad (${b}, ${t})`).toBe(true);
        }
      }
    }
    expect(c.greedy).toHaveLength(B);
    expect(c.greedyMargins).toHaveLength(B);
    for (let b = 0; b < B; b++) {
      const ids = c.greedy[b] ?? [];
      expect(ids).toHaveLength(fixture.maxNewTokens);
      expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < V)).toBe(true);
      expect(Math.min(...(c.greedyMargins[b] ?? []))).toBeGreaterThanOrEqual(fixture.minGreedyMargin);
    }
    // The first greedy token is the argmax of the stored logits at the last (always real) position.
    for (let b = 0; b < B; b++) {
      const last = logitsAt(c, b, T - 1);
      expect(last.indexOf(Math.max(...last))).toBe(c.greedy[b]?.[0]);
    }
    // Non-trivial logits: spread out, neither near zero nor saturating, and fp32 can reach 1e-4.
    expect(c.logitsMaxAbs).toBeGreaterThan(1);
    expect(c.logitsMaxAbs).toBeLessThan(50);
    expect(c.fp32MaxAbsDiff).toBeLessThan(1e-5 * c.logitsMaxAbs);
  });
});
