// Tests of PEFT adapters on disk (config fields, keys, bit-exact round trip, refusals) and of merging.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { SafetensorsFile } from "../../checkpoint/safetensors-read";
import { writeSafetensors } from "../../checkpoint/safetensors-write";
import { tensor, type Tensor } from "../../ir";
import { parseModelConfig } from "../../model/config";
import { loadModelWeights } from "../../model/weights";
import { expectClose, Rng } from "../../testing";
import { DEFAULT_LORA_CONFIG, initLora, loraModules, parseLoraConfig, peftKeyOf, type TLoraConfig } from "../lora";
import {
  ADAPTER_CONFIG_FILE,
  ADAPTER_WEIGHTS_FILE,
  AdapterMismatchError,
  loadAdapter,
  mergeAdapter,
  peftAdapterConfig,
  saveAdapter,
  type TAdapter,
} from "./adapter";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-adapter-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let count = 0;
const freshDir = () => path.join(root, `a${count++}`);

const goldenDir = (name: string) => path.join(__dirname, "../../fixtures/golden", name);
const gqa = parseModelConfig(JSON.parse(fs.readFileSync(path.join(goldenDir("llama-gqa"), "config.json"), "utf8")));

/** initLora, then B filled with seeded normals too, so the round trip and the merge see non-zero B. */
function trainedLike(lora: TLoraConfig, seed: number): Map<string, Tensor<"float32">> {
  const rng = new Rng(seed);
  const t = initLora(loraModules(gqa, lora), lora, seed);
  for (const [name, x] of t) if (name.endsWith("lora_B.weight")) x.data.set(rng.normals(x.data.length, 0.05));
  return t;
}

const bytesEqual = (a: Tensor<"float32">, b: Tensor<"float32">) =>
  Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(
    Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength),
  );

describe("adapter_config.json", () => {
  it("has every field PEFT 0.21's LoraConfig.to_dict() writes, keys sorted, as PEFT saves it", () => {
    const dir = freshDir();
    const lora = parseLoraConfig({ r: 8, alpha: 16, dropout: 0.05, targetModules: ["v_proj", "q_proj", "down_proj"] });
    saveAdapter(dir, {
      lora,
      taskType: "CAUSAL_LM",
      baseModel: "HuggingFaceTB/SmolLM2-135M",
      tensors: trainedLike(lora, 1),
    });
    const text = fs.readFileSync(path.join(dir, ADAPTER_CONFIG_FILE), "utf8");
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(json).toEqual({
      alora_invocation_tokens: null,
      alpha_pattern: {},
      arrow_config: null,
      auto_mapping: null,
      base_model_name_or_path: "HuggingFaceTB/SmolLM2-135M",
      bias: "none",
      corda_config: null,
      ensure_weight_tying: false,
      eva_config: null,
      exclude_modules: null,
      fan_in_fan_out: false,
      inference_mode: true,
      init_lora_weights: true,
      kasa_config: null,
      layer_replication: null,
      layers_pattern: null,
      layers_to_transform: null,
      loftq_config: {},
      lora_alpha: 16,
      lora_bias: false,
      lora_dropout: 0.05,
      lora_ga_config: null,
      megatron_config: null,
      megatron_core: "megatron.core",
      modules_to_save: null,
      monteclora_config: null,
      peft_type: "LORA",
      peft_version: "0.21.0",
      qalora_group_size: 16,
      r: 8,
      rank_pattern: {},
      revision: null,
      target_modules: ["down_proj", "q_proj", "v_proj"],
      target_parameters: null,
      task_type: "CAUSAL_LM",
      trainable_token_indices: null,
      use_bdlora: null,
      use_dora: false,
      use_qalora: false,
      use_rslora: false,
      velora_config: null,
    });
    const keys = Object.keys(json);
    expect(keys).toEqual([...keys].sort());
    expect(text.startsWith('{\n  "alora_invocation_tokens": null,')).toBe(true);
  });

  it("lists score in modules_to_save for a reward model, with SEQ_CLS", () => {
    const c = peftAdapterConfig({
      lora: DEFAULT_LORA_CONFIG,
      taskType: "SEQ_CLS",
      baseModel: null,
      hasScoreHead: true,
    });
    expect(c).toMatchObject({
      task_type: "SEQ_CLS",
      modules_to_save: ["score"],
      base_model_name_or_path: null,
      r: 16,
      lora_alpha: 32,
    });
  });
});

describe("saveAdapter / loadAdapter", () => {
  it("writes both files through a temp file that is fsynced before it is renamed into place", () => {
    const dir = freshDir();
    const events: string[] = [];
    const [realFsync, realRename] = [fs.fsyncSync.bind(fs), fs.renameSync.bind(fs)];
    const fsync = vi.spyOn(fs, "fsyncSync").mockImplementation((fd) => {
      events.push("fsync");
      realFsync(fd);
    });
    const rename = vi.spyOn(fs, "renameSync").mockImplementation((from, to) => {
      events.push(`rename ${path.basename(String(to))}`);
      realRename(from, to);
    });
    try {
      saveAdapter(dir, {
        lora: DEFAULT_LORA_CONFIG,
        taskType: "CAUSAL_LM",
        baseModel: null,
        tensors: trainedLike(DEFAULT_LORA_CONFIG, 3),
      });
    } finally {
      fsync.mockRestore();
      rename.mockRestore();
    }
    expect(events).toEqual([`fsync`, `rename ${ADAPTER_WEIGHTS_FILE}`, "fsync", `rename ${ADAPTER_CONFIG_FILE}`]);
  });

  it("round-trips bit-exactly under PEFT keys, float32, metadata {format: pt}", () => {
    const dir = freshDir();
    const tensors = trainedLike(DEFAULT_LORA_CONFIG, 2);
    expect(
      saveAdapter(dir, { lora: DEFAULT_LORA_CONFIG, taskType: "CAUSAL_LM", baseModel: "/models/base", tensors }),
    ).toEqual([ADAPTER_WEIGHTS_FILE, ADAPTER_CONFIG_FILE]);
    const file = SafetensorsFile.open(path.join(dir, ADAPTER_WEIGHTS_FILE));
    expect(file.metadata).toEqual({ format: "pt" });
    expect([...file.entries.keys()].sort()).toEqual([...tensors.keys()].map(peftKeyOf).sort());
    expect([...file.entries.values()].every((e) => e.dtype === "F32")).toBe(true);
    file.close();

    const back = loadAdapter(dir, gqa);
    expect(back.lora).toEqual(DEFAULT_LORA_CONFIG);
    expect(back.taskType).toBe("CAUSAL_LM");
    expect(back.baseModel).toBe("/models/base");
    expect(back.scoreHead).toBeUndefined();
    expect([...back.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) {
      expect(back.tensors.get(name)!.shape).toEqual(t.shape);
      expect(bytesEqual(back.tensors.get(name)!, t)).toBe(true);
    }
    // Saving what was loaded gives the same files.
    const again = freshDir();
    saveAdapter(again, back);
    for (const f of [ADAPTER_WEIGHTS_FILE, ADAPTER_CONFIG_FILE])
      expect(fs.readFileSync(path.join(again, f)).equals(fs.readFileSync(path.join(dir, f)))).toBe(true);
  });

  it("round-trips a reward-model adapter with its score head", () => {
    const dir = freshDir();
    const lora = parseLoraConfig({ r: 4, alpha: 8, targetModules: ["q_proj", "v_proj"] });
    const scoreHead = tensor("float32", [1, 48], Float32Array.from(new Rng(5).normals(48)));
    saveAdapter(dir, { lora, taskType: "SEQ_CLS", baseModel: null, tensors: trainedLike(lora, 3), scoreHead });
    const file = SafetensorsFile.open(path.join(dir, ADAPTER_WEIGHTS_FILE));
    expect(file.entries.get("base_model.model.score.weight")?.shape).toEqual([1, 48]);
    file.close();
    const back = loadAdapter(dir, gqa);
    expect(back.taskType).toBe("SEQ_CLS");
    expect(bytesEqual(back.scoreHead!, scoreHead)).toBe(true);
    expect(back.tensors.size).toBe(8);
  });

  it("widens F16/BF16 adapters, accepts target_modules all-linear and the modules_to_save a real PEFT SEQ_CLS save has", () => {
    const dir = freshDir();
    const lora = parseLoraConfig({ r: 2, alpha: 4 });
    const tensors = trainedLike(lora, 4);
    const scoreHead = tensor("float32", [1, 48], new Float32Array(48).fill(0.5));
    saveAdapter(dir, { lora, taskType: "SEQ_CLS", baseModel: null, tensors, scoreHead });
    writeSafetensors(
      path.join(dir, ADAPTER_WEIGHTS_FILE),
      [...tensors, ["score.weight", scoreHead] as const].map(([n, t]) => ({
        name: peftKeyOf(n),
        shape: t.shape,
        dtype: "BF16" as const,
        data: t.data,
      })),
    );
    const cfgFile = path.join(dir, ADAPTER_CONFIG_FILE);
    const cfg = JSON.parse(fs.readFileSync(cfgFile, "utf8")) as Record<string, unknown>;
    fs.writeFileSync(
      cfgFile,
      JSON.stringify({ ...cfg, target_modules: "all-linear", modules_to_save: ["score", "classifier", "score"] }),
    ); // PEFT 0.21 appends classifier and score to ["score"]
    const back = loadAdapter(dir, gqa);
    expect(back.lora.targetModules).toEqual(DEFAULT_LORA_CONFIG.targetModules);
    const q = "model.layers.0.self_attn.q_proj.lora_A.weight";
    expectClose(back.tensors.get(q)!, tensors.get(q)!, { atol: 0, rtol: 2 ** -8 }, q);
    expect(back.scoreHead!.data[0]).toBe(0.5);
  });

  it("names every missing, unknown and misshapen tensor in one error", () => {
    const dir = freshDir();
    const tensors = trainedLike(DEFAULT_LORA_CONFIG, 6);
    saveAdapter(dir, { lora: DEFAULT_LORA_CONFIG, taskType: "CAUSAL_LM", baseModel: null, tensors });
    const entries = [...tensors].map(([n, t]) => ({
      name: peftKeyOf(n),
      shape: t.shape,
      dtype: "F32" as const,
      data: t.data,
    }));
    const kept = entries.filter((e) => !e.name.includes("layers.1.mlp.up_proj.lora_B"));
    const bad = kept.map((e) =>
      e.name.includes("layers.0.self_attn.k_proj.lora_A") ? { ...e, shape: [16, 24, 2] } : e,
    );
    bad.push({
      name: "base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight",
      shape: [16, 48],
      dtype: "F32",
      data: new Float32Array(16 * 48),
    });
    writeSafetensors(path.join(dir, ADAPTER_WEIGHTS_FILE), bad, { format: "pt" });
    let err: unknown;
    try {
      loadAdapter(dir, gqa);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AdapterMismatchError);
    const e = err as AdapterMismatchError;
    expect(e.missing).toEqual(["base_model.model.model.layers.1.mlp.up_proj.lora_B.weight"]);
    expect(e.unknown).toEqual(["base_model.model.model.layers.0.self_attn.q_proj.lora_A.default.weight"]);
    expect(e.misshapen).toEqual([
      "base_model.model.model.layers.0.self_attn.k_proj.lora_A.weight: expected [16, 48], found [16, 24, 2]",
    ]);
    expect(e.message).toMatch(/missing \(1\):\n {2}base_model\.model\.model\.layers\.1\.mlp\.up_proj\.lora_B\.weight/);
    expect(e.message).toMatch(/hint: keys with an adapter name/);
  });

  it("catches a rank that differs from the config and a model of another size", () => {
    const dir = freshDir();
    saveAdapter(dir, {
      lora: DEFAULT_LORA_CONFIG,
      taskType: "CAUSAL_LM",
      baseModel: null,
      tensors: trainedLike(DEFAULT_LORA_CONFIG, 7),
    });
    const cfgFile = path.join(dir, ADAPTER_CONFIG_FILE);
    fs.writeFileSync(cfgFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(cfgFile, "utf8")), r: 8 }));
    expect(() => loadAdapter(dir, gqa)).toThrow(
      /shape or dtype mismatch \(28\):\n {2}base_model\.model\.model\.layers\.0\.self_attn\.q_proj\.lora_A\.weight: expected \[8, 48\], found \[16, 48\]/,
    );
    const other = freshDir();
    saveAdapter(other, {
      lora: DEFAULT_LORA_CONFIG,
      taskType: "CAUSAL_LM",
      baseModel: null,
      tensors: trainedLike(DEFAULT_LORA_CONFIG, 7),
    });
    expect(() => loadAdapter(other, { ...gqa, numHiddenLayers: 3 })).toThrow(/missing \(14\)/);
  });

  it("refuses unsupported configs with every problem named", () => {
    const dir = freshDir();
    saveAdapter(dir, {
      lora: DEFAULT_LORA_CONFIG,
      taskType: "CAUSAL_LM",
      baseModel: null,
      tensors: trainedLike(DEFAULT_LORA_CONFIG, 8),
    });
    const cfgFile = path.join(dir, ADAPTER_CONFIG_FILE);
    const base = JSON.parse(fs.readFileSync(cfgFile, "utf8")) as Record<string, unknown>;
    const withConfig = (patch: Record<string, unknown>) => {
      fs.writeFileSync(cfgFile, JSON.stringify({ ...base, ...patch }));
      return () => loadAdapter(dir, gqa);
    };
    expect(withConfig({ use_dora: true, fan_in_fan_out: true })).toThrow(
      /unsupported adapter:\n {2}use_dora: true \(DoRA\) is not supported\n {2}fan_in_fan_out: true/,
    );
    expect(withConfig({ use_rslora: true })).toThrow(/use_rslora: true/);
    expect(withConfig({ bias: "lora_only" })).toThrow(/bias 'lora_only'/);
    expect(withConfig({ rank_pattern: { q_proj: 4 } })).toThrow(/rank_pattern \{"q_proj":4\}/);
    expect(withConfig({ layers_to_transform: [0] })).toThrow(/layers_to_transform \[0\] is not supported/);
    expect(withConfig({ init_lora_weights: "pissa_niter_4" })).toThrow(
      /init_lora_weights 'pissa_niter_4'.*modified base model/,
    );
    expect(withConfig({ target_modules: ["q_proj", "lm_head", "embed_tokens"] })).toThrow(
      /target_modules 'lm_head', 'embed_tokens': not supported/,
    );
    expect(withConfig({ target_modules: ".*proj" })).toThrow(/regular expression/);
    expect(withConfig({ modules_to_save: ["lm_head"] })).toThrow(/modules_to_save 'lm_head'/);
    expect(withConfig({ peft_type: "IA3", task_type: null })).toThrow(/peft_type 'IA3'.*\n.*task_type null/);
    expect(withConfig({ r: "16" })).toThrow(/adapter_config\.json: r:/);
    fs.writeFileSync(cfgFile, JSON.stringify(base));
    expect(() => loadAdapter(dir, gqa)).not.toThrow();
    fs.rmSync(path.join(dir, ADAPTER_WEIGHTS_FILE));
    fs.writeFileSync(path.join(dir, "adapter_model.bin"), "");
    expect(() => loadAdapter(dir, gqa)).toThrow(/no adapter_model\.safetensors \(adapter_model\.bin is a pickle/);
  });

  it("refuses to save inconsistent adapters, naming each problem", () => {
    const lora = parseLoraConfig({ r: 4, targetModules: ["q_proj", "v_proj"] });
    const tensors = trainedLike(lora, 9);
    tensors.delete("model.layers.0.self_attn.q_proj.lora_B.weight");
    tensors.set("model.layers.0.self_attn.k_proj.lora_A.weight", tensor("float32", [3, 48], new Float32Array(144)));
    tensors.set("model.layers.0.self_attn.k_proj.lora_B.weight", tensor("float32", [24, 4], new Float32Array(96)));
    tensors.set("model.norm.weight", tensor("float32", [48], new Float32Array(48)));
    expect(() => saveAdapter(freshDir(), { lora, taskType: "SEQ_CLS", baseModel: null, tensors })).toThrow(
      new RegExp(
        [
          "'model.layers.0.self_attn.k_proj.lora_A.weight': module 'k_proj' is not in target_modules",
          "'model.norm.weight' is not a LoRA tensor name",
          "'model.layers.0.self_attn.q_proj.lora_B.weight' is missing",
          "lora_A.weight' has shape \\[3, 48\\], expected \\[r = 4, in\\]",
          "a SEQ_CLS adapter needs the score head",
        ]
          .map((s) => s.replaceAll(".", "\\."))
          .join("[\\s\\S]*"),
      ),
    );
    const ok = trainedLike(lora, 9);
    const score = tensor("float32", [1, 48], new Float32Array(48));
    expect(() =>
      saveAdapter(freshDir(), { lora, taskType: "CAUSAL_LM", baseModel: null, tensors: ok, scoreHead: score }),
    ).toThrow(/score head belongs to a SEQ_CLS adapter/);
    expect(() =>
      saveAdapter(freshDir(), {
        lora: parseLoraConfig({ r: 4, targetModules: ["q_proj", "v_proj", "o_proj"] }),
        taskType: "CAUSAL_LM",
        baseModel: null,
        tensors: ok,
      }),
    ).toThrow(/target_modules o_proj have no tensors/);
  });
});

describe("mergeAdapter", () => {
  it("equals x @ W^T + s * (x @ A^T) @ B^T on random data (float64 reference)", () => {
    const rng = new Rng(11);
    const [outF, inF, r, n] = [24, 40, 6, 5];
    const lora = parseLoraConfig({ r, alpha: 12, targetModules: ["k_proj"] });
    const s = 2;
    const W = tensor("float32", [outF, inF], Float32Array.from(rng.normals(outF * inF)));
    const A = tensor("float32", [r, inF], Float32Array.from(rng.normals(r * inF, 0.3)));
    const B = tensor("float32", [outF, r], Float32Array.from(rng.normals(outF * r, 0.3)));
    const x = rng.normals(n * inF);
    const other = tensor("float32", [3], Float32Array.of(1, 2, 3));
    const weights = new Map([
      ["model.layers.0.self_attn.k_proj.weight", W],
      ["model.norm.weight", other],
    ]);
    const adapter: Pick<TAdapter, "lora" | "tensors"> = {
      lora,
      tensors: new Map([
        ["model.layers.0.self_attn.k_proj.lora_A.weight", A],
        ["model.layers.0.self_attn.k_proj.lora_B.weight", B],
      ]),
    };
    const merged = mergeAdapter(weights, adapter);
    const Wm = merged.get("model.layers.0.self_attn.k_proj.weight")!;
    expect(merged.get("model.norm.weight")).toBe(other);
    expect(weights.get("model.layers.0.self_attn.k_proj.weight")).toBe(W); // input untouched
    const get = (t: Tensor<"float32">, i: number) => t.data[i] ?? NaN;
    const xi = (b: number, i: number) => x[b * inF + i] ?? NaN;
    const yMerged: number[] = [];
    const yLora: number[] = [];
    for (let b = 0; b < n; b++) {
      const xa = Array.from({ length: r }, (_, k) =>
        Array.from({ length: inF }, (_, i) => xi(b, i) * get(A, k * inF + i)).reduce((p, q) => p + q, 0),
      );
      for (let o = 0; o < outF; o++) {
        let base = 0;
        let m = 0;
        for (let i = 0; i < inF; i++) {
          base += xi(b, i) * get(W, o * inF + i);
          m += xi(b, i) * get(Wm, o * inF + i);
        }
        yMerged.push(m);
        yLora.push(base + s * xa.reduce((p, v, k) => p + v * get(B, o * r + k), 0));
      }
    }
    // The only error is the one float32 rounding of each merged weight (|W'| ~ 1.5, eps 6e-8, 40 terms).
    expectClose(yMerged, yLora, { atol: 2e-6, rtol: 1e-6 }, "merged vs LoRA forward");
    // And each merged weight is the float32 rounding of the float64 value.
    for (let o = 0; o < outF; o++) {
      for (let i = 0; i < inF; i++) {
        let d = 0;
        for (let k = 0; k < r; k++) d += get(B, o * r + k) * get(A, k * inF + i);
        expect(get(Wm, o * inF + i)).toBe(Math.fround(get(W, o * inF + i) + s * d));
      }
    }
  });

  it("leaves the golden model unchanged with B = 0, replaces the score head, and refuses mismatches", () => {
    const { weights } = loadModelWeights(goldenDir("llama-gqa"), gqa);
    const fresh = initLora(loraModules(gqa, DEFAULT_LORA_CONFIG), DEFAULT_LORA_CONFIG, 3);
    const merged = mergeAdapter(weights, { lora: DEFAULT_LORA_CONFIG, tensors: fresh });
    for (const [name, t] of weights) expect(bytesEqual(merged.get(name)!, t)).toBe(true);
    const head = tensor("float32", [1, 48], new Float32Array(48).fill(1));
    expect(
      mergeAdapter(weights, { lora: DEFAULT_LORA_CONFIG, tensors: new Map(), scoreHead: head }).get("score.weight"),
    ).toBe(head);
    expect(() =>
      mergeAdapter(weights, {
        lora: DEFAULT_LORA_CONFIG,
        tensors: new Map(),
        scoreHead: tensor("float32", [1, 4], new Float32Array(4)),
      }),
    ).toThrow(/score head \[1, 4\]/);
    expect(() => mergeAdapter(weights, { lora: parseLoraConfig({ r: 8 }), tensors: fresh })).toThrow(
      /expected \[8, 48\] and \[48, 8\]/,
    );
    const missingB = new Map([...fresh].filter(([n]) => !n.includes("layers.0.self_attn.q_proj.lora_B")));
    expect(() => mergeAdapter(weights, { lora: DEFAULT_LORA_CONFIG, tensors: missingB })).toThrow(
      /q_proj' lacks lora_B/,
    );
    const noW = new Map(weights);
    noW.delete("model.layers.1.mlp.down_proj.weight");
    expect(() => mergeAdapter(noW, { lora: DEFAULT_LORA_CONFIG, tensors: fresh })).toThrow(
      /no 'model\.layers\.1\.mlp\.down_proj\.weight'/,
    );
  });
});
