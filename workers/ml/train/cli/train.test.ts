// `npm run train` end to end on a tiny real checkpoint with a character tokenizer and TRL-format files: a
// reward model and a DPO adapter trained from preference rows report their held-out accuracy; the saved
// adapters carry exactly PEFT's key names (fixture written by real PEFT 0.21); GRPO scores its samples with the
// trained reward adapter; pre-training saves a checkpoint that loads; bad input fails with a clear message.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SafetensorsFile } from "../../checkpoint/safetensors-read";
import { loadModel } from "../../model";
import { copyModelDir, tempRoot, writeCharTokenizer } from "../../model/test-fixtures";
import { GOLDEN_DIR } from "../../reference/golden/golden-fixture";
import { loadPeftKeys } from "../../reference/golden/train-fixture";
import { runTrainCli } from "./train";

const root = tempRoot("prefloop-train-cli-");
const modelDir = root.fresh("model");
afterAll(() => root.remove());

beforeAll(() => {
  copyModelDir(path.join(GOLDEN_DIR, "llama-gqa"), modelDir);
  writeCharTokenizer(modelDir, 192);
});

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz ";
const words = (r: () => number, n: number) =>
  Array.from({ length: n }, () => LETTERS[Math.floor(r() * LETTERS.length)]).join("");

/** Standard preference rows with an obvious rule: the chosen reply ends with a smile, the rejected one with a frown. */
function preferenceFile(name: string, n: number, seed: number): string {
  const r = rng(seed);
  const rows = Array.from({ length: n }, () =>
    JSON.stringify({
      prompt: `Q: ${words(r, 6)}\nA:`,
      chosen: ` ${words(r, 2 + Math.floor(r() * 4))} :)`,
      rejected: ` ${words(r, 2 + Math.floor(r() * 4))} :(`,
    }),
  );
  const file = path.join(root.dir, name);
  fs.writeFileSync(file, `${rows.join("\n")}\n`);
  return file;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTrainCli(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function headerKeys(file: string): Map<string, number[]> {
  const f = SafetensorsFile.open(file);
  try {
    return new Map([...f.entries.values()].map((e) => [e.name, [...e.shape]]));
  } finally {
    f.close();
  }
}

const peft = loadPeftKeys().configs["llama-gqa"];
const COMMON = ["--model", modelDir, "--threads", "1", "--quiet", "--lora-r", "4", "--lora-alpha", "8"];

describe("npm run train", () => {
  const rmOut = root.fresh("rm");

  it("trains a reward model from TRL preference rows and reports held-out accuracy above 95%", async () => {
    const data = preferenceFile("prefs.jsonl", 300, 1);
    const r = await cli([
      "--kind",
      "rm",
      "--data",
      data,
      "--out",
      rmOut,
      ...COMMON,
      "--lr",
      "2e-2",
      "--epochs",
      "4",
      "--batch-size",
      "16",
      "--warmup-ratio",
      "0.1",
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("300 preference examples (standard)");
    const accuracy = Number(/held-out accuracy ([\d.]+) on 30 examples/.exec(r.out)?.[1]);
    expect(accuracy, r.out).toBeGreaterThan(0.95);
    const lines = fs
      .readFileSync(path.join(rmOut, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines[0]).toMatchObject({
      step: 1,
      loss: expect.any(Number) as unknown,
      grad_norm: expect.any(Number) as unknown,
      learning_rate: expect.any(Number) as unknown,
      accuracy: expect.any(Number) as unknown,
      margin: expect.any(Number) as unknown,
    });
    expect(lines.at(-1)?.eval_accuracy).toBe(accuracy === 1 ? 1 : expect.closeTo(accuracy, 4));
  });

  it("saves the reward adapter with exactly the keys and shapes PEFT 0.21 writes (score as a module to save)", () => {
    if (!peft) throw new Error("peft-keys.json has no llama-gqa entry");
    const keys = headerKeys(path.join(rmOut, "adapter_model.safetensors"));
    expect([...keys.keys()].sort()).toEqual([...peft.sequenceClassification.keys].sort());
    for (const [k, shape] of keys) expect(shape, k).toEqual(peft.sequenceClassification.shapes[k]);
    const config = JSON.parse(fs.readFileSync(path.join(rmOut, "adapter_config.json"), "utf8")) as Record<
      string,
      unknown
    >;
    const want = peft.sequenceClassification.adapterConfig;
    for (const field of [
      "peft_type",
      "task_type",
      "r",
      "lora_alpha",
      "lora_dropout",
      "bias",
      "fan_in_fan_out",
      "use_rslora",
      "use_dora",
      "init_lora_weights",
      "inference_mode",
    ])
      expect(config[field], field).toEqual(want[field]);
    expect([...(config.target_modules as string[])].sort()).toEqual([...(want.target_modules as string[])].sort());
    expect(config.modules_to_save).toContain("score");
  });

  it("trains a DPO adapter and reports the held-out reward accuracy and margin", async () => {
    const out = root.fresh("dpo");
    const data = preferenceFile("prefs-dpo.jsonl", 200, 2);
    const r = await cli([
      "--kind",
      "dpo",
      "--data",
      data,
      "--out",
      out,
      ...COMMON,
      "--lr",
      "2e-2",
      "--epochs",
      "2",
      "--batch-size",
      "10",
      "--merge",
    ]);
    expect(r.code, r.err).toBe(0);
    const m = /held-out reward accuracy ([\d.]+), margin (-?[\d.]+) on 20 examples/.exec(r.out);
    expect(m, r.out).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(0.6);
    expect(Number(m?.[2])).toBeGreaterThan(0);
    // A fresh adapter is the reference: every pair's DPO loss starts at exactly ln 2 (a reference scored wrongly
    // would not), and the held-out DPO loss ends below it (a loss other than DPO's would not be near it at all).
    const log = fs
      .readFileSync(path.join(out, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(log[0]?.loss).toBeCloseTo(Math.LN2, 5);
    expect(log.at(-1)?.eval_loss).toBeLessThan(Math.LN2 - 0.05);
    const keys = headerKeys(path.join(out, "adapter_model.safetensors"));
    expect([...keys.keys()].sort()).toEqual([...(peft?.causalLm.keys ?? [])].sort());
    expect(r.out).toContain(`and the merged model in ${path.join(out, "model")}`);
    const merged = loadModel(path.join(out, "model"), { tokenizer: true });
    try {
      const q = merged.weights.get("model.layers.0.self_attn.q_proj.weight")?.data ?? new Float32Array();
      const original = loadModel(modelDir, { tokenizer: false });
      const q0 = original.weights.get("model.layers.0.self_attn.q_proj.weight")?.data ?? new Float32Array();
      await original.dispose();
      expect(q.length).toBe(q0.length);
      expect(q.some((v, i) => v !== q0[i])).toBe(true); // the trained update is in the merged weights
    } finally {
      await merged.dispose();
    }
  });

  it("runs GRPO on prompt-only rows, scoring samples with the trained reward adapter", async () => {
    const out = root.fresh("grpo");
    const file = path.join(root.dir, "prompts.jsonl");
    fs.writeFileSync(
      file,
      ["abc", "hello", "xyz", "what"].map((p) => JSON.stringify({ prompt: `Q: ${p}\nA:` })).join("\n"),
    );
    const r = await cli([
      "--kind",
      "grpo",
      "--data",
      file,
      "--out",
      out,
      ...COMMON,
      "--reward-model",
      rmOut,
      "--max-steps",
      "2",
      "--batch-size",
      "2",
      "--num-generations",
      "3",
      "--max-new-tokens",
      "4",
      "--beta",
      "0.04",
      "--lr",
      "1e-3",
    ]);
    expect(r.code, r.err).toBe(0);
    const lines = fs
      .readFileSync(path.join(out, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, number>);
    expect(lines.map((l) => l.step)).toEqual([1, 2]);
    for (const l of lines)
      for (const k of ["loss", "reward", "kl", "entropy", "clip_ratio", "completion_length"])
        expect(Number.isFinite(l[k]), `${k} in ${JSON.stringify(l)}`).toBe(true);
    expect(fs.existsSync(path.join(out, "adapter_model.safetensors"))).toBe(true);
  });

  it("pre-trains every weight from text rows and saves a Hugging Face checkpoint that loads", async () => {
    const out = root.fresh("pretrain");
    const file = path.join(root.dir, "text.jsonl");
    const r0 = rng(3);
    fs.writeFileSync(file, Array.from({ length: 12 }, () => JSON.stringify({ text: words(r0, 20) })).join("\n"));
    const r = await cli([
      "--kind",
      "pretrain",
      "--data",
      file,
      "--out",
      out,
      "--model",
      modelDir,
      "--threads",
      "1",
      "--quiet",
      "--max-steps",
      "3",
      "--batch-size",
      "4",
      "--lr",
      "1e-3",
    ]);
    expect(r.code, r.err).toBe(0);
    const saved = loadModel(path.join(out, "model"), { tokenizer: true });
    try {
      expect(saved.weights.get("model.norm.weight")?.shape).toEqual([48]);
      expect(saved.tokenizer?.encode("abc").length).toBeGreaterThan(0);
    } finally {
      await saved.dispose();
    }
  });

  it("refuses data of the wrong kind, a missing reward model and bad options with clear messages", async () => {
    const prefs = preferenceFile("prefs-small.jsonl", 4, 4);
    const wrong = await cli(["--kind", "sft", "--data", prefs, "--out", root.fresh("x"), ...COMMON]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain(
      "holds preference rows; --kind sft trains on prompt-completion or language-modeling rows",
    );
    const noRm = await cli(["--kind", "grpo", "--data", prefs, "--out", root.fresh("y"), ...COMMON]);
    expect(noRm.code).toBe(2);
    expect(noRm.err).toContain("--kind grpo needs --reward-model");
    const bad = await cli([
      "--kind",
      "dpo",
      "--data",
      prefs,
      "--out",
      root.fresh("z"),
      ...COMMON,
      "--loss-type",
      "kto",
    ]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--loss-type must be one of sigmoid, ipo, hinge, robust");
    const badLine = path.join(root.dir, "bad.jsonl");
    fs.writeFileSync(badLine, '{"prompt": "a", "chosen": "b", "rejected": "c"}\n{"prompt": 3}\n');
    const r = await cli(["--kind", "dpo", "--data", badLine, "--out", root.fresh("w"), ...COMMON]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("bad.jsonl:2");
  });
});
