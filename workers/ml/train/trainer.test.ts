// The loop's own rules: how many steps a run has (epochs, accumulation, max steps), that accumulated
// micro-batches equal one large batch, the early stop on a non-finite loss or gradient (step and tensor named,
// update not applied), the refusal to resume a different run or one with changed hyper-parameters (each named),
// and the checkpoint's trainer_state.json replaced atomically (temp file, fsync, rename).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { loadModel, type CausalLM } from "../model";
import type { TLmExample } from "./data/tokenize";
import { pretrainFeeds } from "./feeds";
import { StepRunner } from "./step-runner";
import { TrainableModel } from "./trainable";
import { DEFAULT_TRAINING_ARGS, NonFiniteError, train, type TTrainingArgs } from "./trainer";

const DIR = path.join(import.meta.dirname, "../fixtures/golden/llama-tied");
const SESSION = { intraOpThreads: 1 };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-trainer-test-"));
const models: CausalLM[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function base(): CausalLM {
  const m = loadModel(DIR, { session: SESSION, tokenizer: false });
  models.push(m);
  return m;
}

const texts: TLmExample[] = Array.from({ length: 10 }, (_, i) => ({
  line: i + 1,
  ids: Array.from({ length: 4 + (i % 5) }, (_, t) => 3 + ((i * 7 + t * 13) % 120)),
}));
const args = (over: Partial<TTrainingArgs>): TTrainingArgs => ({
  ...DEFAULT_TRAINING_ARGS,
  learningRate: 1e-3,
  ...over,
});

async function runWith(over: Partial<TTrainingArgs>, mutate?: (m: TrainableModel) => void) {
  const m = base();
  const model = new TrainableModel(m.config, m.weights, { body: "full", head: false, seed: 0 });
  mutate?.(model);
  const runner = await StepRunner.create(model, { kind: "pretrain" }, SESSION);
  try {
    return {
      result: await train({
        runner,
        train: texts,
        args: args(over),
        hooks: { toBatch: (x) => pretrainFeeds(x, 0) },
        outputDir: null,
      }),
      model,
    };
  } finally {
    await runner.dispose();
  }
}

describe("trainer", () => {
  it("counts steps from epochs, batch size and accumulation (a short last step per epoch), or from max steps", async () => {
    expect(
      (await runWith({ numTrainEpochs: 2, perDeviceTrainBatchSize: 3, gradientAccumulationSteps: 2 })).result
        .totalSteps,
    ).toBe(4); // 4 micro-batches -> 2 steps per epoch
    expect((await runWith({ maxSteps: 3, perDeviceTrainBatchSize: 4 })).result.log.map((e) => e.step)).toEqual([
      1, 2, 3,
    ]);
  });

  it("accumulating micro-batches gives the same update as one batch of all of them", async () => {
    const one = await runWith({ maxSteps: 1, perDeviceTrainBatchSize: 10, gradientAccumulationSteps: 1 });
    const acc = await runWith({ maxSteps: 1, perDeviceTrainBatchSize: 2, gradientAccumulationSteps: 5 });
    expect(acc.result.log[0]?.loss).toBeCloseTo(one.result.log[0]?.loss ?? NaN, 5);
    expect(acc.result.log[0]?.grad_norm).toBeCloseTo(one.result.log[0]?.grad_norm ?? NaN, 5);
    let worst = 0;
    for (const [name, t] of one.model.tensors) {
      const other = acc.model.tensors.get(name)?.data ?? new Float32Array();
      for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs((t.data[i] ?? 0) - (other[i] ?? NaN)));
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("stops at a non-finite loss, naming the step, without applying the update", async () => {
    let before: Float32Array | null = null;
    let model: TrainableModel | null = null;
    const run = runWith({ maxSteps: 2, perDeviceTrainBatchSize: 10 }, (m) => {
      const norm = m.tensors.get("model.norm.weight");
      if (!norm) throw new Error("no norm");
      norm.data[0] = Number.POSITIVE_INFINITY;
      before = Float32Array.from(m.tensors.get("model.layers.0.mlp.up_proj.weight")?.data ?? []);
      model = m;
    });
    await expect(run).rejects.toThrow(new NonFiniteError(1, "the loss"));
    expect(
      Array.from((model as TrainableModel | null)?.tensors.get("model.layers.0.mlp.up_proj.weight")?.data ?? []),
    ).toEqual(Array.from(before ?? []));
  });

  it("stops at a non-finite gradient, naming the tensor and element", async () => {
    const m = base();
    const model = new TrainableModel(m.config, m.weights, { body: "full", head: false, seed: 0 });
    const real = await StepRunner.create(model, { kind: "pretrain" }, SESSION);
    // The real session, with one gradient element poisoned on its way out: what a NaN inside the graph gives.
    const poisoned = Object.create(real) as StepRunner;
    poisoned.run = async (feeds, withGrads) => {
      const r = await real.run(feeds, withGrads);
      const g = r.grads.get("model.layers.1.self_attn.o_proj.weight");
      if (g) g[5] = Number.NaN;
      return r;
    };
    try {
      await expect(
        train({
          runner: poisoned,
          train: texts,
          args: args({ maxSteps: 1 }),
          hooks: { toBatch: (x) => pretrainFeeds(x, 0) },
          outputDir: null,
        }),
      ).rejects.toThrow(
        "training stopped at step 1: the gradient of 'model.layers.1.self_attn.o_proj.weight' (element 5) is not finite (the update was not applied)",
      );
    } finally {
      await real.dispose();
    }
  });

  it("refuses to resume a checkpoint of a different run", async () => {
    const m = base();
    const model = new TrainableModel(m.config, m.weights, { body: "full", head: false, seed: 0 });
    const runner = await StepRunner.create(model, { kind: "pretrain" }, SESSION);
    const out = path.join(tmp, "run");
    try {
      await train({
        runner,
        train: texts,
        args: args({ maxSteps: 2, saveSteps: 1, perDeviceTrainBatchSize: 5 }),
        hooks: { toBatch: (x) => pretrainFeeds(x, 0) },
        outputDir: out,
      });
      await expect(
        train({
          runner,
          train: texts.slice(0, 8),
          args: args({ maxSteps: 2, perDeviceTrainBatchSize: 5 }),
          hooks: { toBatch: (x) => pretrainFeeds(x, 0) },
          outputDir: out,
          resumeFrom: path.join(out, "checkpoint-1"),
        }),
      ).rejects.toThrow("it was a run of 2 steps over 10 examples with seed 42; this one has 2, 8, 42");
    } finally {
      await runner.dispose();
    }
  });
});

describe("resuming", () => {
  const toBatch = (x: readonly TLmExample[]) => pretrainFeeds(x, 0);
  async function checkpointed(name: string, over: Partial<TTrainingArgs>, hyperParameters = {}) {
    const m = base();
    const model = new TrainableModel(m.config, m.weights, { body: "full", head: false, seed: 0 });
    const runner = await StepRunner.create(model, { kind: "pretrain" }, SESSION);
    const out = path.join(tmp, name);
    await train({ runner, train: texts, args: args(over), hooks: { toBatch }, outputDir: out, hyperParameters });
    return { runner, out, checkpoint: path.join(out, "checkpoint-1") };
  }
  const SAVED = { maxSteps: 2, saveSteps: 1, perDeviceTrainBatchSize: 5 };

  it("refuses changed hyper-parameters, naming each with its old and new value", async () => {
    const { runner, out, checkpoint } = await checkpointed("hp", SAVED, { maxLength: 64 });
    try {
      const resume = (over: Partial<TTrainingArgs>, hyperParameters: Record<string, number> = { maxLength: 64 }) =>
        train({
          runner,
          train: texts,
          args: args({ ...SAVED, ...over }),
          hooks: { toBatch },
          outputDir: out,
          resumeFrom: checkpoint,
          hyperParameters,
        });
      await expect(resume({ learningRate: 2e-3, gradientAccumulationSteps: 2, weightDecay: 0.1 })).rejects.toThrow(
        `cannot resume from ${checkpoint}: 3 hyper-parameters differ from the checkpoint's run: learningRate 0.001 -> 0.002; gradientAccumulationSteps 1 -> 2; weightDecay 0 -> 0.1`,
      );
      await expect(resume({ perDeviceTrainBatchSize: 4 })).rejects.toThrow(
        "a hyper-parameter differs from the checkpoint's run: perDeviceTrainBatchSize 5 -> 4",
      );
      await expect(resume({}, { maxLength: 128 })).rejects.toThrow("maxLength 64 -> 128");
      // When to log, evaluate and save may change; the run then continues from step 1.
      const r = await resume({ loggingSteps: 2, saveSteps: 0 });
      expect(r.steps).toBe(1);
    } finally {
      await runner.dispose();
    }
  });

  it("refuses a checkpoint without recorded hyper-parameters (an older trainer's) or without trainer state", async () => {
    const { runner, out, checkpoint } = await checkpointed("old", SAVED);
    try {
      const file = path.join(checkpoint, "trainer_state.json");
      const state = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>;
      fs.writeFileSync(file, JSON.stringify({ ...state, version: 1, hyperParameters: undefined }));
      const resume = (from: string) =>
        train({ runner, train: texts, args: args(SAVED), hooks: { toBatch }, outputDir: out, resumeFrom: from });
      await expect(resume(checkpoint)).rejects.toThrow(
        `cannot resume from ${checkpoint}: trainer_state.json is not a checkpoint of this trainer version`,
      );
      await expect(resume(out)).rejects.toThrow(`cannot resume from ${out}: it has no trainer_state.json`);
    } finally {
      await runner.dispose();
    }
  });

  it("refuses another objective or LoRA config of the same arguments", async () => {
    const { runner, out, checkpoint } = await checkpointed("objective", SAVED);
    await runner.dispose();
    const m = base();
    const lora = { r: 2, alpha: 4, dropout: 0, targetModules: ["q_proj"] };
    const model = new TrainableModel(m.config, m.weights, { body: "lora", lora, head: false, seed: 0 });
    const sft = await StepRunner.create(model, { kind: "sft" }, SESSION);
    try {
      await expect(
        train({
          runner: sft,
          train: texts,
          args: args(SAVED),
          hooks: { toBatch },
          outputDir: out,
          resumeFrom: checkpoint,
        }),
      ).rejects.toThrow(
        `kind "pretrain" -> "sft"; body "full" -> "lora"; lora.r (unset) -> 2; lora.alpha (unset) -> 4; lora.dropout (unset) -> 0; lora.targetModules (unset) -> "q_proj"`,
      );
    } finally {
      await sft.dispose();
    }
  });

  it("writes trainer_state.json through a fsynced temp file renamed into place", async () => {
    const rename = vi.spyOn(fs, "renameSync");
    const fsync = vi.spyOn(fs, "fsyncSync");
    try {
      const { runner, checkpoint } = await checkpointed("atomic", SAVED);
      await runner.dispose();
      const renamed = rename.mock.calls.map(
        ([from, to]) => `${path.basename(String(from)).replace(/\d+$/, "N")} -> ${path.basename(String(to))}`,
      );
      expect(renamed).toContain("trainer_state.json.tmp-N -> trainer_state.json");
      expect(fsync.mock.calls.length).toBeGreaterThanOrEqual(renamed.length);
      const state = JSON.parse(fs.readFileSync(path.join(checkpoint, "trainer_state.json"), "utf8")) as object;
      expect(state).toMatchObject({
        version: 2,
        globalStep: 1,
        hyperParameters: { learningRate: 1e-3, kind: "pretrain" },
      });
      expect(fs.readdirSync(checkpoint).filter((f) => f.includes(".tmp-"))).toEqual([]);
    } finally {
      rename.mockRestore();
      fsync.mockRestore();
    }
  });
});
