// The training engine against the golden training fixture (PyTorch float64, reference/golden/TRAIN.md): for two
// tiny checkpoints, the loss, the TRL metrics and EVERY gradient of pre-training (all weights), SFT, Bradley-Terry
// (4-way ranking with a tie, margins, centering), Plackett-Luce, DPO sigmoid and IPO, RLOO and GRPO (LoRA and the
// reward head), then 10 AdamW steps with clipping and a warm-up + cosine schedule.
//
// Tolerances (float32 engine against a float64 reference). The fixture also holds the same computation in
// PyTorch float32, which lands 1e-6..4e-6 (relative to a tensor's largest gradient) from float64: that is the
// reachable error of a float32 implementation. onnxruntime sums in other orders (blocked MatMul, fused
// softmax-cross-entropy) and differentiates through a different graph, so the budget is 50x that:
// - a gradient element: |engine - ref| <= 2e-4 * max|ref of that tensor| + 1e-3 * |ref|;
// - loss and metrics: |engine - ref| <= 1e-5 * (1 + |ref|);
// - AdamW: 10 steps amplify float32 rounding through the adaptive step (PyTorch float32 itself ends 3e-5 to
//   2e-4 away in parameters), so losses 1e-4 relative and parameters 2e-3 absolute (lr 1e-2 per step).
import { afterAll, describe, expect, it } from "vitest";
import { tensor, type Tensor } from "../ir";
import { loadModelConfig } from "../model/config";
import { loadModelWeights } from "../model/weights";
import {
  loadTrainFixture,
  trainCase,
  type TrainCase,
  type TrainConfig,
  type TrainTensor,
} from "../reference/golden/train-fixture";
import { pretrainFeeds, rankingTerms } from "./feeds";
import { grpoAdvantages, rlooAdvantages } from "./rl";
import { parseLoraConfig } from "./lora";
import { StepRunner } from "./step-runner";
import { LOSS_UNIT, METRIC_UNITS, type TObjective } from "./step-graph";
import { TrainableModel } from "./trainable";
import { DEFAULT_TRAINING_ARGS, train } from "./trainer";

const fixture = loadTrainFixture();
const SESSION = { intraOpThreads: 1 };
const report: string[] = [];
afterAll(() => console.info(`golden training, worst gradient error / max|grad| per case:\n${report.join("\n")}`));

const i64 = (rows: readonly (readonly number[])[]) =>
  tensor("int64", [rows.length, rows[0]?.length ?? 0], BigInt64Array.from(rows.flat(), BigInt));
const f32 = (shape: number[], values: readonly number[]) => tensor("float32", shape, Float32Array.from(values));
const asTensor = (t: TrainTensor): Tensor<"float32"> => tensor("float32", t.shape, new Float32Array(t.data));

function objectiveOf(c: TrainCase): TObjective {
  switch (c.name) {
    case "pretrain":
    case "adamw":
      return { kind: "pretrain" };
    case "sft":
      return { kind: "sft" };
    case "bt":
      return { kind: "rm", loss: "bradley_terry", centerCoefficient: c.settings.centerRewardsCoefficient };
    case "pl":
      return { kind: "rm", loss: "plackett_luce", centerCoefficient: 0 };
    case "dpo_sigmoid":
    case "dpo_ipo":
      return {
        kind: "dpo",
        lossType: c.settings.lossType,
        beta: c.settings.beta,
        labelSmoothing: c.settings.labelSmoothing,
      };
    case "rloo":
      return { kind: "rloo", temperature: c.settings.temperature };
    case "grpo":
      return {
        kind: "grpo",
        temperature: c.settings.temperature,
        epsilon: c.settings.epsilon,
        beta: c.settings.beta,
        lossType: "grpo", // the fixture's aggregation (reference/golden/TRAIN.md)
      };
  }
}

function feedsOf(c: TrainCase): Record<string, Tensor> {
  const text = {
    input_ids: i64(c.inputs.inputIds),
    attention_mask: i64(c.inputs.attentionMask),
    position_ids: i64(c.inputs.positionIds),
  };
  const B = c.inputs.inputIds.length;
  switch (c.name) {
    case "pretrain":
    case "adamw":
      return text;
    case "sft":
      return { ...text, completion_mask: i64(c.inputs.completionMask) };
    case "bt": {
      const perGroup = new Map<number, number>();
      for (const p of c.inputs.pairs) perGroup.set(p.group, (perGroup.get(p.group) ?? 0) + 1);
      const P = c.inputs.pairs.length;
      return {
        ...text,
        pair_better: tensor(
          "int64",
          [P],
          BigInt64Array.from(c.inputs.pairs, (p) => BigInt(p.better)),
        ),
        pair_worse: tensor(
          "int64",
          [P],
          BigInt64Array.from(c.inputs.pairs, (p) => BigInt(p.worse)),
        ),
        pair_weight: f32(
          [P],
          c.inputs.pairs.map((p) => 1 / (perGroup.get(p.group) ?? 1)),
        ),
        pair_margin: f32(
          [P],
          c.inputs.pairs.map((p) => p.margin),
        ),
      };
    }
    case "pl": {
      const t = rankingTerms(c.inputs.groups, B);
      const Q = t.item.length;
      return {
        ...text,
        term_item: tensor("int64", [Q], BigInt64Array.from(t.item, BigInt)),
        term_risk: tensor("bool", [Q, B], t.risk),
        term_weight: f32([Q], t.weight),
      };
    }
    case "dpo_sigmoid":
    case "dpo_ipo": {
      const pairs = c.inputs.pairs;
      // The graph reads the P chosen rows, then the P rejected rows.
      expect(pairs.map((p) => p.chosen)).toEqual(pairs.map((_, i) => i));
      expect(pairs.map((p) => p.rejected)).toEqual(pairs.map((_, i) => pairs.length + i));
      return {
        ...text,
        completion_mask: i64(c.inputs.completionMask),
        ref_logps: f32([B], [...c.inputs.refChosenLogps, ...c.inputs.refRejectedLogps]),
      };
    }
    case "rloo":
      return { ...text, completion_mask: i64(c.inputs.completionMask), advantages: f32([B], c.inputs.advantages) };
    case "grpo": {
      const T = c.inputs.inputIds[0]?.length ?? 0;
      return {
        ...text,
        completion_mask: i64(c.inputs.completionMask),
        advantages: f32([B], c.inputs.advantages),
        old_logps: f32([B, T], c.inputs.oldLogps.flat()),
        ref_logps: f32([B, T], c.inputs.refLogps.flat()),
      };
    }
  }
}

function trainableOf(g: TrainConfig, c: TrainCase): TrainableModel {
  const config = loadModelConfig(g.dir);
  const { weights } = loadModelWeights(g.dir, config);
  const lora = parseLoraConfig({
    r: fixture.lora.r,
    alpha: fixture.lora.alpha,
    targetModules: fixture.lora.targetModules,
  });
  const isFull = c.trainable === "full";
  const start = new Map<string, Tensor<"float32">>();
  if (!isFull) for (const [n, t] of g.loraTensors) start.set(n, asTensor(t));
  if (c.trainable === "lora+score") start.set("score.weight", asTensor(g.scoreHead));
  return new TrainableModel(
    config,
    weights,
    { body: isFull ? "full" : "lora", lora: isFull ? undefined : lora, head: c.trainable === "lora+score", seed: 0 },
    start,
  );
}

const close = (got: number, want: number, rel: number) => Math.abs(got - want) <= rel * (1 + Math.abs(want));

describe.each(fixture.configs)("golden training $name", (g) => {
  const runners: StepRunner[] = [];
  afterAll(async () => Promise.all(runners.map((r) => r.dispose())));

  it.each(g.cases.filter((c) => c.name !== "adamw").map((c) => ({ name: c.name, c })))(
    "$name: loss, metrics and every gradient",
    async ({ c }) => {
      const model = trainableOf(g, c);
      const objective = objectiveOf(c);
      const runner = await StepRunner.create(model, objective, SESSION);
      runners.push(runner);
      const r = await runner.run(feedsOf(c));
      const count = c.count;
      expect(close(r.lossSum / count, c.loss, 1e-5), `loss ${r.lossSum / count} vs ${c.loss}`).toBe(true);
      for (const [name, want] of Object.entries(c.metrics)) {
        if (!(name in r.metrics)) continue; // reference-only metrics (e.g. reward statistics computed outside the graph)
        const unit = METRIC_UNITS[name];
        if (!unit) throw new Error(`no unit for ${name}`);
        const denominator = unit === LOSS_UNIT[objective.kind] ? count : unitCount(c, unit);
        const got = (r.metrics[name] ?? NaN) / denominator;
        expect(close(got, want, 1e-5), `${name}: ${got} vs ${want}`).toBe(true);
      }
      expect([...r.grads.keys()].sort()).toEqual([...c.gradients.keys()].sort());
      let worst = { ratio: 0, at: "" };
      for (const [name, ref] of c.gradients) {
        const got = r.grads.get(name) as Float32Array;
        let maxAbs = 0;
        for (const v of ref.data) maxAbs = Math.max(maxAbs, Math.abs(v));
        expect(maxAbs, `${name} has a zero reference gradient`).toBeGreaterThan(0);
        for (let i = 0; i < ref.data.length; i++) {
          const want = ref.data[i] ?? NaN;
          const err = Math.abs((got[i] ?? NaN) / count - want);
          const ratio = err / maxAbs;
          if (!(ratio <= worst.ratio))
            worst = { ratio, at: `${name}[${i}] engine ${(got[i] ?? NaN) / count} reference ${want}` };
          expect(
            err <= 2e-4 * maxAbs + 1e-3 * Math.abs(want),
            `${name}[${i}]: engine ${(got[i] ?? NaN) / count}, reference ${want} (max |grad| ${maxAbs})`,
          ).toBe(true);
        }
      }
      report.push(
        `  ${g.name}/${c.name}: ${worst.ratio.toExponential(2)} (PyTorch float32 ${Object.entries(c.fp32)
          .map(([k, v]) => `${k} ${v.toExponential(1)}`)
          .join(", ")})`,
      );
    },
  );

  it("RLOO and GRPO advantages computed from the scores (and the sequence KL) equal the reference's", () => {
    const rl = trainCase(g, "rloo");
    const kl = rl.inputs.oldLogps.map((row, b) =>
      row.reduce((a, v, t) => a + v - (rl.inputs.refLogps[b]?.[t] ?? 0), 0),
    );
    const K = rl.inputs.scores.length;
    Array.from(rlooAdvantages(rl.inputs.scores, kl, K, rl.settings.beta)).forEach((a, i) =>
      expect(a).toBeCloseTo(rl.inputs.advantages[i] ?? NaN, 5),
    );
    const gr = trainCase(g, "grpo");
    Array.from(grpoAdvantages(gr.inputs.scores, gr.inputs.scores.length)).forEach((a, i) =>
      expect(a).toBeCloseTo(gr.inputs.advantages[i] ?? NaN, 5),
    );
  });

  it("adamw: 10 steps of pre-training (clipping, warm-up + cosine, no decay on norms) follow the reference", async () => {
    const c = trainCase(g, "adamw");
    const model = trainableOf(g, c);
    const runner = await StepRunner.create(model, { kind: "pretrain" }, SESSION);
    runners.push(runner);
    const rows = c.inputs.inputIds.map((ids, b) => ({ line: b + 1, ids: ids.slice(0, c.inputs.lengths[b]) }));
    const s = c.settings;
    const result = await train({
      runner,
      train: rows,
      args: {
        ...DEFAULT_TRAINING_ARGS,
        learningRate: s.lr,
        adamBeta1: s.betas[0],
        adamBeta2: s.betas[1],
        adamEpsilon: s.eps,
        weightDecay: s.weightDecay,
        maxGradNorm: s.maxGradNorm,
        warmupSteps: s.warmupSteps,
        maxSteps: s.totalSteps,
        lrSchedulerType: "cosine",
        perDeviceTrainBatchSize: rows.length,
      },
      hooks: { toBatch: (xs) => pretrainFeeds(xs, fixture.padTokenId) },
      outputDir: null,
    });
    expect(result.log.map((e) => e.learning_rate)).toEqual(c.steps.lrs.map((x): unknown => expect.closeTo(x, 12)));
    result.log.forEach((e, k) => {
      expect(
        close(e.loss ?? NaN, c.steps.losses[k] ?? NaN, 1e-4),
        `step ${k + 1} loss ${e.loss} vs ${c.steps.losses[k]}`,
      ).toBe(true);
      expect(
        close(e.grad_norm ?? NaN, c.steps.gradNorms[k] ?? NaN, 1e-4),
        `step ${k + 1} grad norm ${e.grad_norm} vs ${c.steps.gradNorms[k]}`,
      ).toBe(true);
    });
    let worst = 0;
    for (const [name, want] of c.finalParams) {
      const got = model.tensors.get(name)?.data;
      if (!got) throw new Error(`no trained tensor ${name}`);
      for (let i = 0; i < want.data.length; i++)
        worst = Math.max(worst, Math.abs((got[i] ?? NaN) - (want.data[i] ?? NaN)));
    }
    report.push(`  ${g.name}/adamw: final parameters max abs error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThanOrEqual(2e-3);
  });
});

/** The count a metric of another unit than the loss's is divided by, from the case's inputs. */
function unitCount(c: TrainCase, unit: string): number {
  const mask = "completionMask" in c.inputs ? c.inputs.completionMask : c.inputs.attentionMask;
  if (unit === "tokens") return mask.reduce((a, row) => a + row.filter((m, t) => m === 1 && t > 0).length, 0);
  if (unit === "sequences") return c.inputs.inputIds.length;
  throw new Error(`unit ${unit} for case ${c.name}`);
}
