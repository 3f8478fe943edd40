// Tests of the LoRA config (PEFT defaults), adapted modules, PEFT key names and the seeded initialisation.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseModelConfig } from "../model/config";
import {
  DEFAULT_LORA_CONFIG,
  engineNameOf,
  initLora,
  LoraRng,
  loraModules,
  loraScaling,
  parseLoraConfig,
  peftKeyOf,
} from "./lora";

const golden = (name: string) =>
  parseModelConfig(
    JSON.parse(fs.readFileSync(path.join(__dirname, "../fixtures/golden", name, "config.json"), "utf8")),
  );
const gqa = golden("llama-gqa"); // hidden 48, 4 heads of 12, 2 kv heads, intermediate 96, 2 layers

describe("LoRA config", () => {
  it("has this product's PEFT defaults: r 16, alpha 32, dropout 0, all seven projections, scaling alpha / r", () => {
    expect(DEFAULT_LORA_CONFIG).toEqual({
      r: 16,
      alpha: 32,
      dropout: 0,
      useRslora: false,
      targetModules: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
    });
    expect(loraScaling(DEFAULT_LORA_CONFIG)).toBe(2);
    expect(loraScaling(parseLoraConfig({ r: 8, alpha: 16 }))).toBe(2);
    expect(loraScaling(parseLoraConfig({ r: 64, alpha: 16 }))).toBe(0.25);
  });

  it("refuses, naming the field: a zero rank, rsLoRA, unknown or repeated targets, unknown keys", () => {
    expect(() => parseLoraConfig({ r: 0 })).toThrow(/^LoRA config: r:/);
    expect(() => parseLoraConfig({ r: 2.5 })).toThrow(/r:/);
    expect(() => parseLoraConfig({ useRslora: true })).toThrow(/useRslora: use_rslora .* not supported/);
    expect(() => parseLoraConfig({ targetModules: ["q_proj", "lm_head"] })).toThrow(
      /target module 'lm_head' is not one of/,
    );
    expect(() => parseLoraConfig({ targetModules: ["q_proj", "q_proj"] })).toThrow(/must not repeat/);
    expect(() => parseLoraConfig({ targetModules: [] })).toThrow(/targetModules/);
    expect(() => parseLoraConfig({ dropout: 1 })).toThrow(/dropout/);
    expect(() => parseLoraConfig({ rank: 8 })).toThrow(/rank/);
  });
});

describe("loraModules and PEFT keys", () => {
  it("lists the adapted modules of llama-gqa with in and out features, layer by layer", () => {
    const mods = loraModules(gqa, DEFAULT_LORA_CONFIG);
    expect(mods).toHaveLength(14);
    expect(mods.slice(0, 7).map((m) => [m.path, m.inFeatures, m.outFeatures])).toEqual([
      ["model.layers.0.self_attn.q_proj", 48, 48],
      ["model.layers.0.self_attn.k_proj", 48, 24],
      ["model.layers.0.self_attn.v_proj", 48, 24],
      ["model.layers.0.self_attn.o_proj", 48, 48],
      ["model.layers.0.mlp.gate_proj", 48, 96],
      ["model.layers.0.mlp.up_proj", 48, 96],
      ["model.layers.0.mlp.down_proj", 96, 48],
    ]);
    expect(mods[7]).toMatchObject({ path: "model.layers.1.self_attn.q_proj", layer: 1, target: "q_proj" });
    const qv = loraModules(gqa, parseLoraConfig({ targetModules: ["v_proj", "q_proj"] }));
    expect(qv.map((m) => m.path)).toEqual([
      "model.layers.0.self_attn.q_proj",
      "model.layers.0.self_attn.v_proj",
      "model.layers.1.self_attn.q_proj",
      "model.layers.1.self_attn.v_proj",
    ]);
  });

  it("gives exactly PEFT's saved keys for llama-gqa (base_model.model. + module + .lora_A.weight, no adapter name)", () => {
    const keys = [...initLora(loraModules(gqa, DEFAULT_LORA_CONFIG), DEFAULT_LORA_CONFIG, 0).keys()].map(peftKeyOf);
    expect(keys).toEqual([
      "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
      "base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight",
      "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight",
      "base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.o_proj.lora_B.weight",
      "base_model.model.model.layers.0.mlp.gate_proj.lora_A.weight",
      "base_model.model.model.layers.0.mlp.gate_proj.lora_B.weight",
      "base_model.model.model.layers.0.mlp.up_proj.lora_A.weight",
      "base_model.model.model.layers.0.mlp.up_proj.lora_B.weight",
      "base_model.model.model.layers.0.mlp.down_proj.lora_A.weight",
      "base_model.model.model.layers.0.mlp.down_proj.lora_B.weight",
      "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight",
      "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight",
      "base_model.model.model.layers.1.self_attn.k_proj.lora_A.weight",
      "base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight",
      "base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight",
      "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight",
      "base_model.model.model.layers.1.self_attn.o_proj.lora_A.weight",
      "base_model.model.model.layers.1.self_attn.o_proj.lora_B.weight",
      "base_model.model.model.layers.1.mlp.gate_proj.lora_A.weight",
      "base_model.model.model.layers.1.mlp.gate_proj.lora_B.weight",
      "base_model.model.model.layers.1.mlp.up_proj.lora_A.weight",
      "base_model.model.model.layers.1.mlp.up_proj.lora_B.weight",
      "base_model.model.model.layers.1.mlp.down_proj.lora_A.weight",
      "base_model.model.model.layers.1.mlp.down_proj.lora_B.weight",
    ]);
    expect(keys.map(engineNameOf)).toEqual([
      ...initLora(loraModules(gqa, DEFAULT_LORA_CONFIG), DEFAULT_LORA_CONFIG, 0).keys(),
    ]);
  });

  it("maps the reward head to PEFT's modules_to_save key and refuses every other name", () => {
    expect(peftKeyOf("score.weight")).toBe("base_model.model.score.weight");
    expect(engineNameOf("base_model.model.score.weight")).toBe("score.weight");
    expect(() => peftKeyOf("model.layers.0.self_attn.q_proj.weight")).toThrow(/neither a LoRA tensor/);
    expect(() => engineNameOf("base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight")).toThrow(
      /neither a LoRA tensor/,
    );
    expect(() => engineNameOf("model.layers.0.self_attn.q_proj.lora_A.weight")).toThrow(
      /does not start with 'base_model.model.'/,
    );
    expect(() => engineNameOf("base_model.model.score.modules_to_save.default.weight")).toThrow(/neither/);
  });
});

describe("initLora", () => {
  const lora = parseLoraConfig({ r: 64 });
  const big = {
    ...gqa,
    hiddenSize: 256,
    intermediateSize: 512,
    numAttentionHeads: 4,
    numKeyValueHeads: 2,
    headDim: 64,
    numHiddenLayers: 1,
  };

  it("draws A from U(-1/sqrt(in), 1/sqrt(in)) (kaiming_uniform a=sqrt(5)) and sets B to zeros", () => {
    const mods = loraModules(big, lora);
    const t = initLora(mods, lora, 7);
    for (const m of mods) {
      const a = t.get(`${m.path}.lora_A.weight`)!;
      const b = t.get(`${m.path}.lora_B.weight`)!;
      expect(a.shape).toEqual([64, m.inFeatures]);
      expect(b.shape).toEqual([m.outFeatures, 64]);
      expect(b.data.every((v) => v === 0)).toBe(true);
      const bound = 1 / Math.sqrt(m.inFeatures);
      let [min, max, sum, sq] = [Infinity, -Infinity, 0, 0];
      for (const v of a.data) {
        [min, max, sum, sq] = [Math.min(min, v), Math.max(max, v), sum + v, sq + v * v];
      }
      const n = a.data.length; // 16384 or 32768
      expect(max).toBeLessThanOrEqual(Math.fround(bound));
      expect(min).toBeGreaterThanOrEqual(-Math.fround(bound));
      expect(max).toBeGreaterThan(0.995 * bound);
      expect(min).toBeLessThan(-0.995 * bound);
      // U(-b, b): mean 0 (sd b / sqrt(3n)), variance b^2 / 3 (relative sd sqrt(0.8 / n) < 0.7 %).
      expect(Math.abs(sum / n)).toBeLessThan((5 * bound) / Math.sqrt(3 * n));
      expect(Math.abs(sq / n / ((bound * bound) / 3) - 1)).toBeLessThan(0.04);
    }
  });

  it("is deterministic per seed, differs across seeds and modules, and a module's A does not depend on the other targets", () => {
    const mods = loraModules(gqa, DEFAULT_LORA_CONFIG);
    const a1 = initLora(mods, DEFAULT_LORA_CONFIG, 1);
    const a1again = initLora(mods, DEFAULT_LORA_CONFIG, 1);
    const a2 = initLora(mods, DEFAULT_LORA_CONFIG, 2);
    const q0 = "model.layers.0.self_attn.q_proj.lora_A.weight";
    for (const [name, t] of a1)
      expect(Buffer.from(a1again.get(name)!.data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
    expect(Buffer.from(a2.get(q0)!.data.buffer).equals(Buffer.from(a1.get(q0)!.data.buffer))).toBe(false);
    expect(a1.get(q0)!.data).not.toEqual(a1.get("model.layers.1.self_attn.q_proj.lora_A.weight")!.data);
    const onlyQ = parseLoraConfig({ targetModules: ["q_proj"] });
    expect(initLora(loraModules(gqa, onlyQ), onlyQ, 1).get(q0)!.data).toEqual(a1.get(q0)!.data);
    expect(() => initLora(mods, DEFAULT_LORA_CONFIG, 0.5)).toThrow(/integer/);
  });

  it("LoraRng gives reproducible uniforms in [0, 1)", () => {
    const [x, y] = [new LoraRng(3, 9), new LoraRng(3, 9)];
    const xs = Array.from({ length: 1000 }, () => x.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => y.next()));
    expect(xs.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});
