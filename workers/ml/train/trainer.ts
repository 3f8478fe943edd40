// The training loop: seeded epochs of micro-batches, gradient accumulation, global-norm clipping, AdamW with a
// warm-up + cosine schedule, TRL-named metrics to a callback and a JSONL log, held-out evaluation at
// intervals, checkpoints that resume exactly, and an early stop on a non-finite loss or gradient.
// Not the objectives' graphs (step-graph.ts) nor the data formats (data/).
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Tensor } from "../ir";
import { writeFileAtomic } from "../checkpoint/atomic-write";
import { SafetensorsFile } from "../checkpoint/safetensors-read";
import { writeSafetensors } from "../checkpoint/safetensors-write";
import { epochBatches } from "./data/batch";
import type { TCounts, TFeedBatch } from "./feeds";
import {
  AdamW,
  clipGradNorm,
  createSchedule,
  isNoDecayParameter,
  loadOptimizerState,
  saveOptimizerState,
  warmupStepsOf,
  type ScheduleKind,
} from "./optim";
import { lossUnitOf, METRIC_UNITS, type TObjective, type TUnit } from "./step-graph";
import type { StepRunner } from "./step-runner";

/** Hugging Face TrainingArguments names, camel-cased; defaults as TRL's trainers have them. */
export interface TTrainingArgs {
  readonly learningRate: number;
  readonly numTrainEpochs: number;
  /** > 0 overrides the epochs (as HF's max_steps). */
  readonly maxSteps: number;
  readonly perDeviceTrainBatchSize: number;
  readonly gradientAccumulationSteps: number;
  readonly lrSchedulerType: ScheduleKind;
  readonly warmupSteps: number;
  readonly warmupRatio: number;
  readonly weightDecay: number;
  readonly adamBeta1: number;
  readonly adamBeta2: number;
  readonly adamEpsilon: number;
  /** Global-norm clipping; <= 0 turns it off. */
  readonly maxGradNorm: number;
  readonly seed: number;
  readonly loggingSteps: number;
  /** Evaluate every N optimiser steps (0: only at the end), when an eval set is given. */
  readonly evalSteps: number;
  readonly perDeviceEvalBatchSize: number;
  /** Save a resumable checkpoint every N steps (0: never), under `outputDir/checkpoint-<step>`. */
  readonly saveSteps: number;
}

export const DEFAULT_TRAINING_ARGS: TTrainingArgs = {
  learningRate: 5e-5,
  numTrainEpochs: 1,
  maxSteps: -1,
  perDeviceTrainBatchSize: 8,
  gradientAccumulationSteps: 1,
  lrSchedulerType: "cosine",
  warmupSteps: 0,
  warmupRatio: 0,
  weightDecay: 0,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
  maxGradNorm: 1,
  seed: 42,
  loggingSteps: 1,
  evalSteps: 0,
  perDeviceEvalBatchSize: 8,
  saveSteps: 0,
};

/** One log entry: a training step (`loss`, `grad_norm`, `learning_rate`, the objective's metrics) or an
 *  evaluation (`eval_loss`, `eval_<metric>`). */
export type TLogEntry = { readonly step: number; readonly epoch: number } & Readonly<Record<string, number>>;

export class NonFiniteError extends Error {
  constructor(
    readonly step: number,
    readonly what: string,
  ) {
    super(`training stopped at step ${step}: ${what} is not finite (the update was not applied)`);
    this.name = "NonFiniteError";
  }
}

export interface TTrainerHooks<E> {
  /** Micro-batch -> feeds and counts (may score a frozen reference first). */
  readonly toBatch: (
    examples: readonly E[],
    at: { readonly step: number; readonly micro: number },
  ) => Promise<TFeedBatch> | TFeedBatch;
  readonly onLog?: (entry: TLogEntry) => void;
  /** Told the run's length before the first step. */
  readonly onStart?: (info: { readonly totalSteps: number; readonly startStep: number }) => void;
  /** Called at each save step and at the end with the directory to write the model in its final format. */
  readonly saveModel?: (dir: string) => Promise<void> | void;
}

export interface TTrainOptions<E> {
  readonly runner: StepRunner;
  readonly train: readonly E[];
  readonly eval?: readonly E[];
  readonly args: TTrainingArgs;
  readonly hooks: TTrainerHooks<E>;
  /** Where checkpoints and `metrics.jsonl` go; null: nothing written. */
  readonly outputDir: string | null;
  /** A `checkpoint-<step>` directory of an earlier run with the same arguments and data. */
  readonly resumeFrom?: string;
  /** Stop after this many steps of this call (tests interrupt a run this way); the schedule still spans the run. */
  readonly stopAfterSteps?: number;
  /**
   * Settings of the caller that shape the run (the CLI's max length, sampling, data file...): recorded in each
   * checkpoint with the training arguments, the objective and the LoRA config, and compared on resume.
   */
  readonly hyperParameters?: Readonly<Record<string, string | number | boolean | null>>;
}

export interface TTrainResult {
  readonly steps: number;
  readonly totalSteps: number;
  readonly log: readonly TLogEntry[];
  readonly lastEval: TLogEntry | null;
}

const TRAINER_STATE = "trainer_state.json";
const TRAINED_TENSORS = "trained.safetensors";
const ZHyperValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const ZTrainerState = z.object({
  version: z.literal(2),
  globalStep: z.number().int().min(0),
  totalSteps: z.number().int().min(1),
  seed: z.number(),
  trainExamples: z.number().int(),
  hyperParameters: z.record(z.string(), ZHyperValue),
});
type THyperParameters = Record<string, z.infer<typeof ZHyperValue>>;

/** Training arguments a resumed run may change: they decide when to log, evaluate and save, not what is learnt. */
const FREE_ON_RESUME = new Set<keyof TTrainingArgs>([
  "loggingSteps",
  "evalSteps",
  "saveSteps",
  "perDeviceEvalBatchSize",
]);

/** Everything a resumed run must share with its checkpoint, flat, under TrainingArguments / TRL names. */
function hyperParametersOf(o: TTrainOptions<unknown>): THyperParameters {
  const out: THyperParameters = {};
  for (const [k, v] of Object.entries(o.args))
    if (!FREE_ON_RESUME.has(k as keyof TTrainingArgs)) out[k] = v as number | string;
  for (const [k, v] of Object.entries(o.runner.objective))
    out[k === "kind" ? "kind" : `objective.${k}`] = v as string | number;
  const m = o.runner.model;
  out.body = m.spec.body;
  out.trainsHead = m.spec.head;
  if (m.lora) {
    out["lora.r"] = m.lora.r;
    out["lora.alpha"] = m.lora.alpha;
    out["lora.dropout"] = m.lora.dropout;
    out["lora.targetModules"] = [...m.lora.targetModules].join(",");
  }
  return { ...out, ...o.hyperParameters };
}

/** Each setting that differs between a checkpoint and this run, as `name checkpoint -> now`. */
function changedHyperParameters(saved: THyperParameters, now: THyperParameters): string[] {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])];
  const show = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));
  return keys.filter((k) => saved[k] !== now[k]).map((k) => `${k} ${show(saved[k])} -> ${show(now[k])}`);
}

/** The micro-batches of every optimiser step of the run, epoch by epoch (the last step of an epoch may be short). */
function plan<E>(train: readonly E[], args: TTrainingArgs): { steps: E[][][]; stepsPerEpoch: number } {
  if (train.length === 0) throw new Error("the training set is empty");
  const perEpoch = (epoch: number) => {
    const micro = epochBatches(train, args.perDeviceTrainBatchSize, { seed: args.seed, epoch });
    const steps: E[][][] = [];
    for (let i = 0; i < micro.length; i += args.gradientAccumulationSteps)
      steps.push(micro.slice(i, i + args.gradientAccumulationSteps));
    return steps;
  };
  const first = perEpoch(0);
  const total = args.maxSteps > 0 ? args.maxSteps : Math.ceil(args.numTrainEpochs * first.length);
  const steps: E[][][] = [];
  for (let epoch = 0; steps.length < total; epoch++)
    steps.push(...(epoch === 0 ? first : perEpoch(epoch)).slice(0, total - steps.length));
  return { steps, stepsPerEpoch: first.length };
}

function addCounts(a: TCounts, b: TCounts): TCounts {
  return {
    tokens: a.tokens + b.tokens,
    sequences: a.sequences + b.sequences,
    pairs: a.pairs + b.pairs,
    prompts: a.prompts + b.prompts,
  };
}

// Hot loops over every gradient element (135M for a full SmolLM2-135M step): one pass each, no per-element
// calls. `x - x` is 0 for finite x and NaN for NaN or an infinity.

function addInto(acc: Float32Array, g: Float32Array): void {
  const n = acc.length;
  for (let i = 0; i < n; i++) acc[i] = (acc[i] as number) + (g[i] as number);
}

/** Multiplies `g` by `scale` in place; returns the first non-finite element's index, or -1. */
function scaleAndCheck(g: Float32Array, scale: number): number {
  const n = g.length;
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const v = (g[i] as number) * scale;
    g[i] = v;
    bad += v - v;
  }
  if (bad === 0) return -1;
  for (let i = 0; i < n; i++) if (!Number.isFinite(g[i])) return i;
  return -1;
}

type TSums = Record<string, { sum: number; unit: TUnit }>;

/** Adds a micro-batch's graph metrics (units from METRIC_UNITS) and extra sums into `into`. */
function addSums(into: TSums, graph: Readonly<Record<string, number>>, extra: TFeedBatch["extra"]): void {
  for (const [m, v] of Object.entries(graph)) {
    const unit = METRIC_UNITS[m];
    if (!unit) throw new Error(`metric '${m}' has no unit in METRIC_UNITS`);
    into[m] = { sum: (into[m]?.sum ?? 0) + v, unit };
  }
  for (const [m, v] of Object.entries(extra ?? {})) into[m] = { sum: (into[m]?.sum ?? 0) + v.sum, unit: v.unit };
}

/** Loss and metric sums of micro-batches -> means over their units. */
function means(lossSum: number, sums: TSums, c: TCounts, objective: TObjective, prefix = ""): Record<string, number> {
  const out: Record<string, number> = { [`${prefix}loss`]: lossSum / Math.max(c[lossUnitOf(objective)], 1) };
  for (const [m, v] of Object.entries(sums)) out[`${prefix}${m}`] = v.sum / Math.max(c[v.unit], 1);
  return out;
}

function saveTrained(dir: string, tensors: ReadonlyMap<string, Tensor<"float32">>): void {
  writeSafetensors(
    path.join(dir, TRAINED_TENSORS),
    [...tensors].map(([name, t]) => ({ name, shape: t.shape, dtype: "F32" as const, data: t.data })),
  );
}

function loadTrained(dir: string, tensors: Map<string, Tensor<"float32">>): void {
  const file = SafetensorsFile.open(path.join(dir, TRAINED_TENSORS));
  try {
    for (const [name, t] of tensors) {
      if (!file.entries.has(name)) throw new Error(`checkpoint ${dir} has no trained tensor '${name}'`);
      const data = file.readFloat32(name);
      if (data.length !== t.data.length)
        throw new Error(`checkpoint ${dir}: '${name}' has ${data.length} values, expected ${t.data.length}`);
      t.data.set(data);
    }
  } finally {
    file.close();
  }
}

/** A fresh run starts an empty log; a resumed one keeps the entries up to its checkpoint's step (a crashed run may
 *  have logged past it), so the file reads as one uninterrupted run. */
function keepLogUpTo(file: string, step: number): void {
  if (!fs.existsSync(file)) return;
  const kept =
    step === 0
      ? []
      : fs
          .readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.trim() !== "" && (JSON.parse(l) as { step: number }).step <= step);
  writeFileAtomic(file, (fd) => fs.writeFileSync(fd, kept.map((l) => `${l}\n`).join("")));
}

export async function evaluate<E>(
  runner: StepRunner,
  examples: readonly E[],
  args: TTrainingArgs,
  toBatch: TTrainerHooks<E>["toBatch"],
): Promise<Record<string, number>> {
  let lossSum = 0;
  const sums: TSums = {};
  let c: TCounts = { tokens: 0, sequences: 0, pairs: 0, prompts: 0 };
  for (let i = 0; i < examples.length; i += args.perDeviceEvalBatchSize) {
    const batch = await toBatch(examples.slice(i, i + args.perDeviceEvalBatchSize), { step: -1, micro: i });
    const r = await runner.run(batch.feeds, false);
    lossSum += r.lossSum;
    addSums(sums, r.metrics, batch.extra);
    c = addCounts(c, batch.counts);
  }
  return means(lossSum, sums, c, runner.objective, "eval_");
}

export async function train<E>(o: TTrainOptions<E>): Promise<TTrainResult> {
  const { runner, args } = o;
  const model = runner.model;
  const { steps, stepsPerEpoch } = plan(o.train, args);
  const totalSteps = steps.length;
  const schedule = createSchedule({
    kind: args.lrSchedulerType,
    baseLr: args.learningRate,
    totalSteps,
    warmupSteps: warmupStepsOf(totalSteps, args.warmupSteps, args.warmupRatio),
  });
  const optimizer = new AdamW(
    [...model.tensors].map(([name, t]) => ({ name, data: t.data, decay: !isNoDecayParameter(name), shape: t.shape })),
    {
      lr: args.learningRate,
      betas: [args.adamBeta1, args.adamBeta2],
      eps: args.adamEpsilon,
      weightDecay: args.weightDecay,
    },
  );
  let start = 0;
  const hyperParameters = hyperParametersOf(o as TTrainOptions<unknown>);
  if (o.resumeFrom) {
    const stateFile = path.join(o.resumeFrom, TRAINER_STATE);
    if (!fs.existsSync(stateFile)) throw new Error(`cannot resume from ${o.resumeFrom}: it has no ${TRAINER_STATE}`);
    const parsed = ZTrainerState.safeParse(JSON.parse(fs.readFileSync(stateFile, "utf8")));
    if (!parsed.success)
      throw new Error(
        `cannot resume from ${o.resumeFrom}: ${TRAINER_STATE} is not a checkpoint of this trainer version (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`,
      );
    const state = parsed.data;
    const changed = changedHyperParameters(state.hyperParameters, hyperParameters);
    if (changed.length > 0)
      throw new Error(
        `cannot resume from ${o.resumeFrom}: ${changed.length === 1 ? "a hyper-parameter differs" : `${changed.length} hyper-parameters differ`} from the checkpoint's run: ${changed.join("; ")}`,
      );
    if (state.totalSteps !== totalSteps || state.trainExamples !== o.train.length || state.seed !== args.seed)
      throw new Error(
        `cannot resume from ${o.resumeFrom}: it was a run of ${state.totalSteps} steps over ${state.trainExamples} examples with seed ${state.seed}; this one has ${totalSteps}, ${o.train.length}, ${args.seed}`,
      );
    loadTrained(o.resumeFrom, model.tensors);
    loadOptimizerState(o.resumeFrom, optimizer);
    start = state.globalStep;
  }
  const logFile = o.outputDir ? path.join(o.outputDir, "metrics.jsonl") : null;
  if (o.outputDir) fs.mkdirSync(o.outputDir, { recursive: true });
  if (logFile) keepLogUpTo(logFile, start);
  const log: TLogEntry[] = [];
  let lastEval: TLogEntry | null = null;
  const emit = (entry: TLogEntry) => {
    log.push(entry);
    if (logFile) fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    o.hooks.onLog?.(entry);
  };
  const runEval = async (step: number) => {
    if (!o.eval || o.eval.length === 0) return;
    const entry = { step, epoch: step / stepsPerEpoch, ...(await evaluate(runner, o.eval, args, o.hooks.toBatch)) };
    lastEval = entry;
    emit(entry);
  };
  o.hooks.onStart?.({ totalSteps, startStep: start });
  const end = o.stopAfterSteps === undefined ? totalSteps : Math.min(totalSteps, start + o.stopAfterSteps);
  const names = model.trainableNames;
  for (let step = start; step < end; step++) {
    // The first micro-batch's gradient buffers (fresh arrays from onnxruntime) become the accumulators: float32
    // sums as PyTorch accumulates .grad, and no second copy of every gradient.
    let grads: Map<string, Float32Array> | null = null;
    let lossSum = 0;
    const sums: TSums = {};
    let c: TCounts = { tokens: 0, sequences: 0, pairs: 0, prompts: 0 };
    for (const [i, micro] of (steps[step] ?? []).entries()) {
      const batch = await o.hooks.toBatch(micro, { step, micro: i });
      const r = await runner.run(batch.feeds);
      lossSum += r.lossSum;
      addSums(sums, r.metrics, batch.extra);
      if (grads === null) grads = new Map(r.grads);
      else for (const [n, g] of r.grads) addInto(grads.get(n) as Float32Array, g);
      c = addCounts(c, batch.counts);
    }
    if (!grads) throw new Error(`step ${step + 1} has no micro-batches`);
    if (!Number.isFinite(lossSum)) throw new NonFiniteError(step + 1, "the loss");
    const scale = 1 / Math.max(c[lossUnitOf(runner.objective)], 1);
    for (const n of names) {
      const g = grads.get(n);
      if (!g) throw new Error(`the training graph gave no gradient for '${n}'`);
      const bad = scaleAndCheck(g, scale);
      if (bad >= 0) throw new NonFiniteError(step + 1, `the gradient of '${n}' (element ${bad})`);
    }
    const grads32 = grads;
    const gradNorm = clipGradNorm(grads32.values(), args.maxGradNorm);
    const lr = schedule.lrAt(step);
    optimizer.step(grads32, lr);
    const done = step + 1;
    if (done % args.loggingSteps === 0 || done === end)
      emit({
        step: done,
        epoch: done / stepsPerEpoch,
        ...means(lossSum, sums, c, runner.objective),
        grad_norm: gradNorm,
        learning_rate: lr,
        num_tokens: c.tokens,
      });
    if (args.evalSteps > 0 && done % args.evalSteps === 0 && done < totalSteps) await runEval(done);
    if (o.outputDir && args.saveSteps > 0 && done % args.saveSteps === 0) {
      const dir = path.join(o.outputDir, `checkpoint-${done}`);
      fs.mkdirSync(dir, { recursive: true });
      saveTrained(dir, model.tensors);
      saveOptimizerState(dir, optimizer);
      const state: z.infer<typeof ZTrainerState> = {
        version: 2,
        globalStep: done,
        totalSteps,
        seed: args.seed,
        trainExamples: o.train.length,
        hyperParameters,
      };
      writeFileAtomic(path.join(dir, TRAINER_STATE), (fd) => fs.writeFileSync(fd, JSON.stringify(state, null, 2)));
      await o.hooks.saveModel?.(dir);
    }
  }
  if (end === totalSteps) await runEval(totalSteps);
  return { steps: end - start, totalSteps, log, lastEval };
}
