// Behaviour of whole training runs on a tiny real checkpoint (the golden llama-tied model): a reward model
// learns an obvious rule, DPO raises the held-out chosen-over-rejected margin, a fresh LoRA adapter changes
// nothing, and a run resumed from a checkpoint continues the uninterrupted run's loss curve exactly.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../generate/generate";
import { leftPadBatch, loadModel, buildGraph, type CausalLM } from "../model";
import { serializeModel } from "../onnx";
import { createSession } from "../runtime";
import { Rng } from "../testing";
import { splitEval } from "./data/batch";
import type { TPreferenceExample } from "./data/tokenize";
import { dpoFeeds, precomputeReference, rewardFeeds, type TRewardExample } from "./feeds";
import { DEFAULT_LORA_CONFIG } from "./lora";
import { StepRunner } from "./step-runner";
import { TrainableModel } from "./trainable";
import { DEFAULT_TRAINING_ARGS, train, type TTrainingArgs } from "./trainer";

const DIR = path.join(import.meta.dirname, "../fixtures/golden/llama-tied");
const PAD = 0;
const SESSION = { intraOpThreads: 1 };
const models: CausalLM[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-train-test-"));
afterAll(async () => {
  await Promise.all(models.map((m) => m.dispose()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function base(): CausalLM {
  const m = loadModel(DIR, { session: SESSION, tokenizer: false });
  models.push(m);
  return m;
}

const randomIds = (rng: Rng, n: number) => Array.from({ length: n }, () => 3 + Math.floor(rng.next() * 120));

/** The rule: a completion that ends in one of 8 "good" tokens (4..11) beats one that ends in one of 8 "bad" ones (100..107). */
function rulePairs(n: number, seed: number): TPreferenceExample[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const tail = (first: number) => [
      ...randomIds(rng, 2 + Math.floor(rng.next() * 4)),
      first + Math.floor(rng.next() * 8),
    ];
    return { line: i + 1, promptIds: [1, ...randomIds(rng, 3)], chosenIds: tail(4), rejectedIds: tail(100) };
  });
}

const asRanking = (e: TPreferenceExample): TRewardExample => ({
  line: e.line,
  promptIds: e.promptIds,
  completions: [e.chosenIds, e.rejectedIds],
  tiers: [0, 1],
});

const args = (over: Partial<TTrainingArgs>): TTrainingArgs => ({ ...DEFAULT_TRAINING_ARGS, loggingSteps: 1, ...over });

describe("reward model", () => {
  it("learns an obvious rule: held-out accuracy above 95%", async () => {
    const m = base();
    const model = new TrainableModel(m.config, m.weights, {
      body: "lora",
      lora: { ...DEFAULT_LORA_CONFIG, r: 8, alpha: 16 },
      head: true,
      seed: 1,
    });
    const runner = await StepRunner.create(model, { kind: "rm", loss: "bradley_terry", centerCoefficient: 0 }, SESSION);
    const { train: tr, eval: ev } = splitEval(rulePairs(400, 7).map(asRanking), 100, 3);
    const result = await train({
      runner,
      train: tr,
      eval: ev,
      args: args({
        learningRate: 2e-2,
        numTrainEpochs: 4,
        perDeviceTrainBatchSize: 16,
        warmupRatio: 0.1,
        weightDecay: 0.01,
      }),
      hooks: { toBatch: (x) => rewardFeeds(x, PAD, "bradley_terry") },
      outputDir: null,
    });
    await runner.dispose();
    const first = result.log[0];
    expect(first?.accuracy).toBeLessThan(0.8);
    expect(result.lastEval?.eval_accuracy, JSON.stringify(result.lastEval)).toBeGreaterThan(0.95);
  });
});

/** Sequence log-probs of each pair's chosen and rejected completion under the model's score graph. */
async function pairLogps(m: CausalLM, pairs: readonly TPreferenceExample[]): Promise<{ c: number[]; r: number[] }> {
  const scorer = (batch: Parameters<CausalLM["score"]>[0], mask: Parameters<CausalLM["score"]>[1]) =>
    m.score(batch, mask);
  const { feeds } = await dpoFeeds(pairs, PAD, scorer, false);
  const ref = feeds.ref_logps?.data as Float32Array;
  return { c: pairs.map((_, p) => ref[p] ?? NaN), r: pairs.map((_, p) => ref[pairs.length + p] ?? NaN) };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const minus = (a: readonly number[], b: readonly number[]) => a.map((x, i) => x - (b[i] ?? NaN));
const logSigmoid = (x: number) => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));

describe("DPO", () => {
  it("pushes the rejected completions down (more than tokens it never saw), and its loss and implicit rewards follow beta and the reference", async () => {
    const m = base();
    const beta = 0.1;
    const model = new TrainableModel(m.config, m.weights, {
      body: "lora",
      lora: { ...DEFAULT_LORA_CONFIG, r: 8, alpha: 16 },
      head: false,
      seed: 2,
    });
    const runner = await StepRunner.create(
      model,
      { kind: "dpo", lossType: "sigmoid", beta, labelSmoothing: 0 },
      SESSION,
    );
    const { train: tr, eval: ev } = splitEval(rulePairs(240, 11), 60, 5);
    const reference = (batch: Parameters<CausalLM["score"]>[0], mask: Parameters<CausalLM["score"]>[1]) =>
      m.score(batch, mask);
    // Controls: each held-out rejected completion with its last ("bad") token swapped for one of 8 tokens
    // (110..117) that end no completion of the data. SFT on the chosen replies lowers both alike; DPO's rejected
    // term lowers the rejected ones.
    const control = ev.map((e, i) => ({ ...e, rejectedIds: [...e.rejectedIds.slice(0, -1), 110 + (i % 8)] }));
    const [before, controlBefore] = [await pairLogps(m, ev), await pairLogps(m, control)];
    const result = await train({
      runner,
      train: tr,
      eval: ev,
      args: args({ learningRate: 2e-2, numTrainEpochs: 3, perDeviceTrainBatchSize: 12 }),
      hooks: { toBatch: (x) => dpoFeeds(x, PAD, reference, false) },
      outputDir: null,
    });
    await runner.dispose();
    const trained = base();
    const merged = new (trained.constructor as typeof CausalLM)(DIR, m.config, model.mergedWeights(), null, SESSION);
    models.push(merged);
    const [after, controlAfter] = [await pairLogps(merged, ev), await pairLogps(merged, control)];
    const rejectedDrop = mean(minus(after.r, before.r));
    const controlDrop = mean(minus(controlAfter.r, controlBefore.r));
    const ev0: Record<string, number> = result.lastEval ?? {};
    const report = JSON.stringify({ rejectedDrop, controlDrop, ...ev0 });
    // The implicit rewards beta * (policy - reference), and the loss -logsigmoid(beta * margin), recomputed from
    // the trained and the reference model's own scores.
    const rc = minus(after.c, before.c).map((x) => beta * x);
    const rr = minus(after.r, before.r).map((x) => beta * x);
    const margins = minus(rc, rr);
    const close = (got: number | undefined, want: number, what: string) =>
      expect(Math.abs((got ?? NaN) - want), `${what}: ${got} vs ${want}; ${report}`).toBeLessThan(
        2e-3 * (1 + Math.abs(want)),
      );
    close(ev0["eval_rewards/chosen"], mean(rc), "rewards/chosen");
    close(ev0["eval_rewards/rejected"], mean(rr), "rewards/rejected");
    close(ev0["eval_rewards/margins"], mean(margins), "rewards/margins");
    close(ev0.eval_loss, mean(margins.map((x) => -logSigmoid(x))), "loss");
    expect(rejectedDrop, report).toBeLessThan(-0.4);
    expect(rejectedDrop - controlDrop, report).toBeLessThan(-0.8);
    expect(mean(minus(after.c, after.r)), report).toBeGreaterThan(mean(minus(before.c, before.r)) + 1);
    expect(ev0["eval_rewards/accuracies"], report).toBeGreaterThan(0.6); // chance is 0.5; the random prefixes add noise
  });
});

describe("DPO reference", () => {
  it("precomputed once (TRL's precompute_ref_log_probs) equals scoring it in every batch", async () => {
    const m = base();
    const pairs = rulePairs(10, 31);
    const reference = (batch: Parameters<CausalLM["score"]>[0], mask: Parameters<CausalLM["score"]>[1]) =>
      m.score(batch, mask);
    for (const isIpo of [false, true]) {
      const pre = await precomputeReference(pairs, PAD, reference, isIpo, 3);
      const batch = pre.slice(2, 8);
      const fromCache = (
        await dpoFeeds(batch, PAD, () => Promise.reject(new Error("the reference must not be scored again")), isIpo)
      ).feeds.ref_logps?.data as Float32Array;
      const scored = (await dpoFeeds(pairs.slice(2, 8), PAD, reference, isIpo)).feeds.ref_logps?.data as Float32Array;
      expect(fromCache.length).toBe(12);
      fromCache.forEach((v, i) => expect(v).toBeCloseTo(scored[i] ?? NaN, 4));
    }
  });
});

describe("LoRA dropout", () => {
  it("is off in evaluation (the loss of the no-dropout graph), draws new masks on every training run, and still learns", async () => {
    const m = base();
    const make = (dropout: number) =>
      new TrainableModel(m.config, m.weights, {
        body: "lora",
        lora: { ...DEFAULT_LORA_CONFIG, r: 4, alpha: 8, dropout },
        head: true,
        seed: 8,
      });
    const withDropout = make(0.3);
    const without = make(0);
    const rng = new Rng(29);
    for (const [n, t] of withDropout.tensors) {
      if (n.includes("lora_B")) for (let i = 0; i < t.data.length; i++) t.data[i] = 0.1 * (rng.next() - 0.5);
      without.tensors.get(n)?.data.set(t.data);
    }
    const objective = { kind: "rm", loss: "bradley_terry", centerCoefficient: 0 } as const;
    const [a, b] = [
      await StepRunner.create(withDropout, objective, SESSION),
      await StepRunner.create(without, objective, SESSION),
    ];
    expect([a.hasDropout, b.hasDropout]).toEqual([true, false]);
    const { feeds } = rewardFeeds(rulePairs(6, 41).map(asRanking), PAD, "bradley_terry");
    expect((await a.run(feeds, false)).lossSum).toBe((await b.run(feeds, false)).lossSum);
    const [t1, t2] = [await a.run(feeds), await a.run(feeds)];
    expect(t1.lossSum).not.toBe(t2.lossSum);
    expect(t1.lossSum).not.toBe((await b.run(feeds)).lossSum);
    await Promise.all([a.dispose(), b.dispose()]);

    const model = make(0.1);
    const runner = await StepRunner.create(model, objective, SESSION);
    const { train: tr, eval: ev } = splitEval(rulePairs(300, 43).map(asRanking), 60, 3);
    const result = await train({
      runner,
      train: tr,
      eval: ev,
      args: args({ learningRate: 2e-2, numTrainEpochs: 4, perDeviceTrainBatchSize: 16, warmupRatio: 0.1 }),
      hooks: { toBatch: (x) => rewardFeeds(x, PAD, "bradley_terry") },
      outputDir: null,
    });
    await runner.dispose();
    expect(result.lastEval?.eval_accuracy).toBeGreaterThan(0.95);
  });
});

describe("LoRA", () => {
  it("a fresh adapter (B = 0) leaves every logit unchanged", async () => {
    const m = base();
    const model = new TrainableModel(m.config, m.weights, {
      body: "lora",
      lora: DEFAULT_LORA_CONFIG,
      head: false,
      seed: 3,
    });
    const withAdapter = buildGraph("decode", { ...model.graphSource(), trainable: new Set() });
    expect(withAdapter.nodes.some((n) => n.name.includes("_lora"))).toBe(true);
    const session = await createSession(serializeModel(withAdapter).model, SESSION);
    const batch = leftPadBatch(
      [
        [1, 5, 9, 14, 20],
        [1, 7, 3],
      ],
      PAD,
    );
    const feeds = {
      input_ids: batch.inputIds,
      attention_mask: batch.attentionMask,
      position_ids: batch.positionIds,
      ...m.emptyPast(2),
    };
    const got = (await session.run(feeds)).logits?.data as Float32Array;
    await session.dispose();
    const want = (await m.decode(batch, null, "all")).logits.data;
    expect(got.length).toBe(want.length);
    let worst = 0;
    for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? NaN)));
    expect(worst).toBe(0);
  });
});

describe("LoRA on some projections of a fused group (q_proj and v_proj only)", () => {
  it("gives the merged model's logits, and gradients dB = s G A^T, dA = s B^T G from the merged weight's gradient G", async () => {
    const m = base();
    const lora = { ...DEFAULT_LORA_CONFIG, r: 4, alpha: 8, targetModules: ["q_proj", "v_proj"] };
    const model = new TrainableModel(m.config, m.weights, { body: "lora", lora, head: false, seed: 5 });
    const rng = new Rng(17);
    for (const [n, t] of model.tensors)
      if (n.includes("lora_B")) for (let i = 0; i < t.data.length; i++) t.data[i] = 0.05 * (rng.next() - 0.5);
    const batch = leftPadBatch(
      [
        [1, 5, 9, 14, 20],
        [1, 7, 3, 11, 4],
      ],
      PAD,
    );
    const text = { input_ids: batch.inputIds, attention_mask: batch.attentionMask, position_ids: batch.positionIds };
    const session = await createSession(
      serializeModel(buildGraph("decode", { ...model.graphSource(), trainable: new Set() })).model,
      SESSION,
    );
    const got = (await session.run({ ...text, ...m.emptyPast(2) })).logits?.data as Float32Array;
    await session.dispose();
    const merged = new TrainableModel(m.config, model.mergedWeights(), { body: "full", head: false, seed: 0 });
    const fullRunner = await StepRunner.create(merged, { kind: "pretrain" }, SESSION);
    const mergedModel = new (m.constructor as typeof CausalLM)(DIR, m.config, model.mergedWeights(), null, SESSION);
    models.push(mergedModel);
    const want = (await mergedModel.decode(batch, null, "all")).logits.data;
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want[i] ?? NaN)));
    expect(worst).toBeLessThan(1e-5);
    const loraRunner = await StepRunner.create(model, { kind: "pretrain" }, SESSION);
    const g = await fullRunner.run(text);
    const l = await loraRunner.run(text);
    await Promise.all([fullRunner.dispose(), loraRunner.dispose()]);
    expect([...l.grads.keys()].filter((n) => n.includes("k_proj"))).toEqual([]);
    const s = 8 / 4;
    for (const module of ["model.layers.0.self_attn.q_proj", "model.layers.1.self_attn.v_proj"]) {
      const G = g.grads.get(`${module}.weight`) as Float32Array; // [out, in]
      const A = model.tensors.get(`${module}.lora_A.weight`);
      const B = model.tensors.get(`${module}.lora_B.weight`);
      if (!A || !B) throw new Error(`no adapter on ${module}`);
      const [r, inF] = A.shape as [number, number];
      const outF = B.shape[0] as number;
      const dB = l.grads.get(`${module}.lora_B.weight`) as Float32Array;
      const dA = l.grads.get(`${module}.lora_A.weight`) as Float32Array;
      let scale = 0;
      for (const v of G) scale = Math.max(scale, Math.abs(v));
      for (let o = 0; o < outF; o++)
        for (let k = 0; k < r; k++) {
          let want = 0;
          for (let i = 0; i < inF; i++) want += s * (G[o * inF + i] ?? 0) * (A.data[k * inF + i] ?? 0);
          expect(Math.abs((dB[o * r + k] ?? NaN) - want), `${module} dB[${o}, ${k}]`).toBeLessThan(1e-4 * scale);
        }
      for (let k = 0; k < r; k++)
        for (let i = 0; i < inF; i++) {
          let want = 0;
          for (let o = 0; o < outF; o++) want += s * (B.data[o * r + k] ?? 0) * (G[o * inF + i] ?? 0);
          expect(Math.abs((dA[k * inF + i] ?? NaN) - want), `${module} dA[${k}, ${i}]`).toBeLessThan(1e-4 * scale);
        }
    }
  });
});

describe("a LoRA policy generating through live adapter inputs", () => {
  it("gives the merged model's greedy tokens and log-probs, and follows updates without new sessions", async () => {
    const m = base();
    const model = new TrainableModel(m.config, m.weights, {
      body: "lora",
      lora: { ...DEFAULT_LORA_CONFIG, r: 4, alpha: 8 },
      head: false,
      seed: 6,
    });
    const rng = new Rng(23);
    const perturb = () => {
      for (const [n, t] of model.tensors)
        if (n.includes("lora_B")) for (let i = 0; i < t.data.length; i++) t.data[i] = 0.2 * (rng.next() - 0.5);
    };
    const live = new (m.constructor as typeof CausalLM)(
      DIR,
      m.config,
      m.weights,
      null,
      SESSION,
      undefined,
      false,
      model.graphSource().lora ?? null,
    );
    models.push(live);
    const prompts = [
      [1, 5, 9],
      [1, 22, 7, 40],
    ];
    for (let round = 0; round < 2; round++) {
      perturb(); // what an optimiser step does to the buffers
      const merged = new (m.constructor as typeof CausalLM)(DIR, m.config, model.mergedWeights(), null, SESSION);
      models.push(merged);
      const a = await generate(live, { prompts, n: 1, maxNewTokens: 6, params: { temperature: 0 } });
      const b = await generate(merged, { prompts, n: 1, maxNewTokens: 6, params: { temperature: 0 } });
      expect(a.candidates.map((c) => c.tokenIds)).toEqual(b.candidates.map((c) => c.tokenIds));
      a.candidates.forEach((c, i) =>
        c.tokenLogprobs.forEach((lp, t) => expect(lp).toBeCloseTo(b.candidates[i]?.tokenLogprobs[t] ?? NaN, 4)),
      );
    }
  });
});

describe("resume", () => {
  it("a run resumed from a checkpoint continues the uninterrupted run's loss curve", async () => {
    const m = base();
    const data = rulePairs(48, 21).map(asRanking);
    const a = args({
      learningRate: 5e-3,
      maxSteps: 8,
      perDeviceTrainBatchSize: 4,
      gradientAccumulationSteps: 2,
      warmupSteps: 2,
      weightDecay: 0.1,
      saveSteps: 4,
      seed: 9,
    });
    const run = async (outputDir: string, options: { stopAfterSteps?: number; resumeFrom?: string }) => {
      const model = new TrainableModel(m.config, m.weights, {
        body: "lora",
        lora: { ...DEFAULT_LORA_CONFIG, r: 4, alpha: 8 },
        head: true,
        seed: 4,
      });
      const runner = await StepRunner.create(
        model,
        { kind: "rm", loss: "bradley_terry", centerCoefficient: 0.01 },
        SESSION,
      );
      const result = await train({
        runner,
        train: data,
        args: a,
        hooks: { toBatch: (x) => rewardFeeds(x, PAD, "bradley_terry") },
        outputDir,
        ...options,
      });
      await runner.dispose();
      return { result, tensors: model.tensors };
    };
    const whole = await run(path.join(tmp, "whole"), {});
    // The first run "crashes" after step 6; the last checkpoint is step 4, so steps 5-6 are redone.
    const first = await run(path.join(tmp, "parts"), { stopAfterSteps: 6 });
    const second = await run(path.join(tmp, "parts"), { resumeFrom: path.join(tmp, "parts", "checkpoint-4") });
    expect(whole.result.log.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(
      [...first.result.log.slice(0, 4), ...second.result.log].map((e) => [
        e.step,
        e.loss,
        e.grad_norm,
        e.learning_rate,
      ]),
    ).toEqual(whole.result.log.map((e) => [e.step, e.loss, e.grad_norm, e.learning_rate]));
    for (const [name, t] of whole.tensors)
      expect(Array.from(second.tensors.get(name)?.data ?? []), name).toEqual(Array.from(t.data));
    const lines = fs
      .readFileSync(path.join(tmp, "parts", "metrics.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(lines.map((l) => (JSON.parse(l) as { step: number }).step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
