// Tests of saveHfCheckpoint: golden models through loadModelWeights -> save -> load, dtypes, tied heads,
// the score head, tokenizer files, atomic replacement, and an adapter merged then loaded with loadModel.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCheckpoint } from "../../checkpoint/checkpoint-dir";
import { bf16ToF32, f32ToBf16 } from "../../checkpoint/dtype";
import { tensor, type Tensor } from "../../ir";
import { CausalLM, loadModel } from "../../model/causal-lm";
import { loadModelConfig, parseModelConfig } from "../../model/config";
import { leftPadBatch } from "../../model/text-batch";
import { writeCharTokenizer } from "../../model/test-fixtures";
import { loadModelWeights, type TModelWeights } from "../../model/weights";
import { Rng } from "../../testing";
import { initLora, loraModules, parseLoraConfig } from "../lora";
import { mergeAdapter } from "./adapter";
import { saveHfCheckpoint } from "./hf-checkpoint";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-hfsave-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = () => path.join(root, `m${count++}`);

const goldenDir = (name: string) => path.join(__dirname, "../../fixtures/golden", name);
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
const bytes = (t: Tensor<"float32">) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);

function expectSameWeights(actual: TModelWeights, expected: TModelWeights): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, t] of expected) {
    const a = actual.get(name)!;
    expect(a.shape, name).toEqual(t.shape);
    expect(bytes(a).equals(bytes(t)), name).toBe(true);
  }
}

describe("saveHfCheckpoint", () => {
  it("llama-tied: loadModelWeights -> save -> loadModelWeights gives identical tensors; no lm_head.weight, as HF saves", () => {
    const src = goldenDir("llama-tied");
    const configJson = readJson(path.join(src, "config.json"));
    const config = loadModelConfig(src);
    const before = loadModelWeights(src, config);
    const dir = freshDir();
    const saved = saveHfCheckpoint(dir, { configJson, weights: before.weights });
    expect(saved.files).toEqual(["config.json", "model.safetensors"]);
    expect(fs.readdirSync(dir).sort()).toEqual(["config.json", "model.safetensors"]);
    expect(fs.readdirSync(root).filter((f) => f.includes(".tmp-") || f.includes(".old-"))).toEqual([]);
    const ckpt = openCheckpoint(dir);
    expect(ckpt.entries.has("lm_head.weight")).toBe(false);
    expect(ckpt.entries.has("score.weight")).toBe(false); // loadModelWeights' random head is not saved by default
    expect([...ckpt.entries.values()].every((e) => e.dtype === "F32")).toBe(true);
    ckpt.close();
    expect(readJson(path.join(dir, "config.json"))).toEqual({ ...configJson, torch_dtype: "float32" });
    const after = loadModelWeights(dir, loadModelConfig(dir));
    expect(after.hasScoreHead).toBe(false);
    expectSameWeights(after.weights, before.weights);
    expect([...after.sourceDtypes.values()].every((d) => d === "F32")).toBe(true);
  });

  it("llama-gqa (untied) keeps lm_head.weight; a trained score head is saved when asked and read back", () => {
    const src = goldenDir("llama-gqa");
    const config = loadModelConfig(src);
    const { weights } = loadModelWeights(src, config);
    const trained = new Map(weights).set(
      "score.weight",
      tensor("float32", [1, 48], Float32Array.from(new Rng(1).normals(48))),
    );
    const dir = freshDir();
    saveHfCheckpoint(dir, {
      configJson: readJson(path.join(src, "config.json")),
      weights: trained,
      includeScoreHead: true,
    });
    const ckpt = openCheckpoint(dir);
    expect(ckpt.entries.has("lm_head.weight")).toBe(true);
    ckpt.close();
    const after = loadModelWeights(dir, config);
    expect(after.hasScoreHead).toBe(true);
    expectSameWeights(after.weights, trained);
  });

  it("BF16 and F16: torch_dtype set, values rounded to nearest even and read back as such; shards load too", () => {
    const src = goldenDir("qwen3-qknorm");
    const configJson = readJson(path.join(src, "config.json"));
    const config = loadModelConfig(src);
    const { weights } = loadModelWeights(src, config);
    const dir = freshDir();
    saveHfCheckpoint(dir, {
      configJson: { ...configJson, dtype: "float32" },
      weights,
      dtype: "BF16",
      maxShardBytes: 4096,
    });
    const cfg = readJson(path.join(dir, "config.json"));
    expect([cfg.torch_dtype, cfg.dtype]).toEqual(["bfloat16", "bfloat16"]);
    expect(fs.existsSync(path.join(dir, "model.safetensors.index.json"))).toBe(true);
    const after = loadModelWeights(dir, loadModelConfig(dir));
    expect(new Set(after.sourceDtypes.values())).toEqual(new Set(["BF16"]));
    for (const [name, t] of weights) {
      if (name === "score.weight") continue;
      const half = new Uint16Array(t.data.length);
      f32ToBf16(t.data, half);
      const expected = new Float32Array(t.data.length);
      bf16ToF32(half, expected);
      expect(Buffer.from(after.weights.get(name)!.data.buffer).equals(Buffer.from(expected.buffer)), name).toBe(true);
    }
    const f16 = freshDir();
    saveHfCheckpoint(f16, { configJson, weights, dtype: "F16" });
    expect(readJson(path.join(f16, "config.json")).torch_dtype).toBe("float16");
    expect("dtype" in readJson(path.join(f16, "config.json"))).toBe(false);
    expect(new Set(loadModelWeights(f16, config).sourceDtypes.values())).toEqual(new Set(["F16"]));
  });

  it("copies tokenizer files, and loadModel runs the saved merged model exactly like the merged weights in memory", async () => {
    const src = goldenDir("llama-gqa");
    const config = loadModelConfig(src);
    const { weights } = loadModelWeights(src, config);
    const tok = freshDir();
    fs.mkdirSync(tok);
    writeCharTokenizer(tok, config.vocabSize);
    fs.writeFileSync(path.join(tok, "generation_config.json"), JSON.stringify({ bos_token_id: 1, eos_token_id: 2 }));
    fs.writeFileSync(path.join(tok, "unrelated.txt"), "not copied");

    const lora = parseLoraConfig({ r: 4, alpha: 8 });
    const adapter = initLora(loraModules(config, lora), lora, 5);
    const rng = new Rng(5);
    for (const [name, t] of adapter) if (name.endsWith("lora_B.weight")) t.data.set(rng.normals(t.data.length, 0.2));
    const merged = mergeAdapter(weights, { lora, tensors: adapter });
    expect(
      bytes(merged.get("model.layers.0.self_attn.q_proj.weight")!).equals(
        bytes(weights.get("model.layers.0.self_attn.q_proj.weight")!),
      ),
    ).toBe(false);

    const dir = freshDir();
    const saved = saveHfCheckpoint(dir, {
      configJson: readJson(path.join(src, "config.json")),
      weights: merged,
      tokenizerDir: tok,
    });
    expect(saved.files).toEqual([
      "config.json",
      "model.safetensors",
      "tokenizer.json",
      "tokenizer_config.json",
      "generation_config.json",
    ]);
    expect(
      fs.readFileSync(path.join(dir, "tokenizer.json")).equals(fs.readFileSync(path.join(tok, "tokenizer.json"))),
    ).toBe(true);

    const fromDisk = loadModel(dir, { session: { provider: "cpu", intraOpThreads: 1 } });
    expect(fromDisk.tokenizer).not.toBeNull();
    const inMemory = new CausalLM("merged", config, merged, null, { provider: "cpu", intraOpThreads: 1 });
    try {
      const batch = leftPadBatch(
        [
          [1, 5, 9, 13],
          [1, 7],
        ],
        0,
      );
      const [a, b] = [await fromDisk.decode(batch, null, "all"), await inMemory.decode(batch, null, "all")];
      expect(Buffer.from(a.logits.data.buffer).equals(Buffer.from(b.logits.data.buffer))).toBe(true);
    } finally {
      await fromDisk.dispose();
      await inMemory.dispose();
    }
  });

  it("refuses mismatched weights (naming each) and leaves nothing behind", () => {
    const src = goldenDir("llama-tied");
    const configJson = readJson(path.join(src, "config.json"));
    const { weights } = loadModelWeights(src, parseModelConfig(configJson));
    const bad = new Map(weights);
    bad.delete("model.norm.weight");
    bad.set("model.layers.0.mlp.up_proj.weight", tensor("float32", [2, 2], new Float32Array(4)));
    bad.set("model.layers.9.mlp.up_proj.weight", tensor("float32", [1], new Float32Array(1)));
    const dir = freshDir();
    expect(() => saveHfCheckpoint(dir, { configJson, weights: bad })).toThrow(
      /weights do not match config\.json:\nmissing \(1\):\n {2}model\.norm\.weight\nunknown \(1\):\n {2}model\.layers\.9\.mlp\.up_proj\.weight\nshape mismatch \(1\):\n {2}model\.layers\.0\.mlp\.up_proj\.weight: expected \[64, 32\], found \[2, 2\]/,
    );
    expect(() => saveHfCheckpoint(dir, { configJson: { ...configJson, model_type: "gpt2" }, weights })).toThrow(
      /model_type 'gpt2'/,
    );
    expect(() =>
      saveHfCheckpoint(dir, { configJson, weights, includeScoreHead: true, tokenizerDir: path.join(root, "nope") }),
    ).toThrow(/tokenizer directory .* does not exist/);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(root).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });

  it("replaces an existing model directory only with overwrite, atomically (no .tmp or .old left)", () => {
    const src = goldenDir("llama-tied");
    const configJson = readJson(path.join(src, "config.json"));
    const config = parseModelConfig(configJson);
    const { weights } = loadModelWeights(src, config);
    const dir = freshDir();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "stale.txt"), "old");
    expect(() => saveHfCheckpoint(dir, { configJson, weights })).toThrow(
      /exists and is not empty \(pass overwrite: true/,
    );
    expect(fs.readdirSync(dir)).toEqual(["stale.txt"]);
    saveHfCheckpoint(dir, { configJson, weights, overwrite: true, dtype: "BF16" });
    expect(fs.readdirSync(dir).sort()).toEqual(["config.json", "model.safetensors"]);
    expect(fs.readdirSync(root).filter((f) => f.includes(".tmp-") || f.includes(".old-"))).toEqual([]);
    // A failing save keeps the previous model as it was.
    const before = fs.readFileSync(path.join(dir, "model.safetensors"));
    expect(() => saveHfCheckpoint(dir, { configJson, weights: new Map(), overwrite: true })).toThrow(/missing/);
    expect(fs.readFileSync(path.join(dir, "model.safetensors")).equals(before)).toBe(true);
    const empty = freshDir();
    fs.mkdirSync(empty);
    saveHfCheckpoint(empty, { configJson, weights });
    expect(fs.readdirSync(empty).sort()).toEqual(["config.json", "model.safetensors"]);
  });
});
