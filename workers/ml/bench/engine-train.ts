// One engine training measurement in its own process (so its peak memory is this row's): loadModel ->
// TrainableModel -> StepRunner -> the workload's feeds -> trainer.ts's own train() for a warm-up step and the
// timed steps, each step timed between train()'s per-step log callbacks; prints one JSON object.
// bench-train.ts runs it.
//
// NOTE: train() itself runs the steps, not a copy of its loop body: its accumulation, scaling, checks and
// clipping are private and changed twice while this benchmark was written (float64 copies -> float32 in place
// -> one pass), and a copy would time a trainer that no longer exists. A step is exactly one optimiser step:
// toBatch hands back feeds built before timing, and no evaluation, checkpoint or log file is asked for.
// Usage: tsx workers/ml/bench/engine-train.ts --model DIR --inputs FILE --threads N
import fs from "node:fs";
import { parseArgs } from "node:util";
import { tensor, type Tensor } from "../ir";
import { SafetensorsFile } from "../checkpoint/safetensors-read";
import { loadModel, type CausalLM } from "../model";
import { Session } from "../runtime";
import { dpoFeeds, pretrainFeeds, rewardFeeds, type TFeedBatch } from "../train/feeds";
import { AdamW } from "../train/optim";
import { StepRunner } from "../train/step-runner";
import { TrainableModel } from "../train/trainable";
import { DEFAULT_TRAINING_ARGS, train, type TLogEntry, type TTrainingArgs } from "../train/trainer";
import { median } from "./child-json";
import { peakRssBytes, rssBytes } from "./proc-memory";
import type { TTrainRun } from "./train-result";
import { BENCH_LORA, LORA_SEED, WORKLOADS, ZTrainInputs, type TTrainInputs } from "./train-workloads";

/** Milliseconds inside Session.run (onnxruntime plus the feed / fetch conversion) and AdamW.step, accumulated. */
const spent = { ort: 0, adamw: 0 };

/** Wraps Session.run and AdamW.step in this process only (the engine's files are not changed). */
function instrument(): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the original is only re-applied with the right `this`
  const run = Session.prototype.run;
  Session.prototype.run = async function (this: Session, ...args: Parameters<Session["run"]>) {
    const t = performance.now();
    try {
      return await run.apply(this, args);
    } finally {
      spent.ort += performance.now() - t;
    }
  };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the original is only re-applied with the right `this`
  const step = AdamW.prototype.step;
  AdamW.prototype.step = function (this: AdamW, ...args: Parameters<AdamW["step"]>) {
    const t = performance.now();
    try {
      step.apply(this, args);
    } finally {
      spent.adamw += performance.now() - t;
    }
  };
}

function readInit(file: string): Map<string, Tensor<"float32">> {
  const f = SafetensorsFile.open(file);
  try {
    return new Map(
      [...f.entries.values()].map((e) => [e.name, tensor("float32", [...e.shape], f.readFloat32(e.name))]),
    );
  } finally {
    f.close();
  }
}

/** The micro-batches' feeds through train/feeds.ts; DPO scores its reference with the base model (not timed). */
async function feedsOf(inputs: TTrainInputs, base: CausalLM): Promise<TFeedBatch[]> {
  const out: TFeedBatch[] = [];
  const n = inputs.workload === "full-pretrain" ? inputs.texts.length : inputs.pairs.length;
  for (let i = 0; i < n; i += inputs.microItems) {
    const examples = inputs.pairs
      .slice(i, i + inputs.microItems)
      .map((p, k) => ({ line: i + k + 1, promptIds: p.prompt, chosenIds: p.chosen, rejectedIds: p.rejected }));
    switch (inputs.workload) {
      case "lora-dpo":
        out.push(await dpoFeeds(examples, 0, (batch, mask) => base.score(batch, mask), false));
        break;
      case "reward-model":
        out.push(
          rewardFeeds(
            examples.map((e) => ({
              line: e.line,
              promptIds: e.promptIds,
              completions: [e.chosenIds, e.rejectedIds],
              tiers: [0, 1],
            })),
            0,
            "bradley_terry",
          ),
        );
        break;
      case "full-pretrain":
        out.push(
          pretrainFeeds(
            inputs.texts.slice(i, i + inputs.microItems).map((ids, k) => ({ line: i + k + 1, ids })),
            0,
          ),
        );
        break;
    }
  }
  return out;
}

function checkSameBatches(batches: readonly TFeedBatch[], inputs: TTrainInputs): void {
  const same =
    batches.length === inputs.micro.length &&
    batches.every((b, k) => {
      const ids = b.feeds.input_ids?.data as BigInt64Array | undefined;
      const want = inputs.micro[k]?.inputIds.flat() ?? [];
      return ids !== undefined && ids.length === want.length && want.every((x, i) => BigInt(x) === ids[i]);
    });
  if (!same) throw new Error("the engine's feeds differ from the batches handed to PyTorch");
}

interface TStepLog {
  seconds: number;
  loss: number;
  gradNorm: number;
  metrics: Record<string, number>;
  ms: Record<string, number>;
}

/** A train() log entry's objective metrics (its loss and bookkeeping fields left out). */
function metricsOf(e: TLogEntry): Record<string, number> {
  const skip = new Set(["step", "epoch", "loss", "grad_norm", "learning_rate", "num_tokens"]);
  return Object.fromEntries(Object.entries(e).filter(([k]) => !skip.has(k)));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: "string" }, inputs: { type: "string" }, threads: { type: "string" } },
  });
  const threads = Number(values.threads);
  if (!values.model || !values.inputs || !(threads >= 1))
    throw new Error("usage: engine-train.ts --model DIR --inputs FILE --threads N (>= 1)");
  const inputs = ZTrainInputs.parse(JSON.parse(fs.readFileSync(values.inputs, "utf8")));
  const w = WORKLOADS[inputs.workload];
  const session = { intraOpThreads: threads, interOpThreads: 1 };
  const rss: [string, number][] = [];
  // Each point also goes to stderr: when the memory cap stops this process, the last line says where it was.
  const mark = (label: string): void => {
    const bytes = rssBytes();
    rss.push([label, bytes]);
    process.stderr.write(`${label}: RSS ${(bytes / 2 ** 20).toFixed(0)} MB\n`);
  };
  instrument();

  const t0 = performance.now();
  const base = loadModel(values.model, { session, tokenizer: false });
  mark("model loaded");
  const start = inputs.initFile ? readInit(inputs.initFile) : undefined;
  const model = new TrainableModel(
    base.config,
    base.weights,
    { body: w.body, lora: w.body === "lora" ? BENCH_LORA : undefined, head: w.head, seed: LORA_SEED },
    start,
  );
  mark("trained tensors copied");
  const runner = await StepRunner.create(model, w.objective, session);
  const loadSeconds = (performance.now() - t0) / 1000;
  mark("step session created");
  const batches = await feedsOf(inputs, base);
  checkSameBatches(batches, inputs);
  mark(w.objective.kind === "dpo" ? "reference scored (score session)" : "feeds built");

  const o = inputs.optimizer;
  const total = inputs.warmupSteps + inputs.timedSteps;
  // One epoch is one step: every micro-batch once, its gradients accumulated (perDeviceTrainBatchSize and
  // gradientAccumulationSteps as the bench splits the batch); a constant lr, as on the PyTorch side.
  const args: TTrainingArgs = {
    ...DEFAULT_TRAINING_ARGS,
    learningRate: o.lr,
    adamBeta1: o.betas[0],
    adamBeta2: o.betas[1],
    adamEpsilon: o.eps,
    weightDecay: o.weightDecay,
    maxGradNorm: o.maxGradNorm,
    lrSchedulerType: "constant",
    maxSteps: total,
    perDeviceTrainBatchSize: inputs.microItems,
    perDeviceEvalBatchSize: inputs.microItems,
    gradientAccumulationSteps: batches.length,
    loggingSteps: 1,
    evalSteps: 0,
    saveSteps: 0,
  };
  // train() shuffles its examples into micro-batches; these placeholders only count them: toBatch hands back
  // the prebuilt feeds of micro-batch `micro`, so every step runs the same batch in the same order.
  const items = Array.from({ length: batches.length * inputs.microItems }, (_, i) => i);
  const feedsAt = (micro: number): TFeedBatch => {
    const b = batches[micro];
    if (!b) throw new Error(`no micro-batch ${micro}`);
    return b;
  };
  const logs: TStepLog[] = [];
  let stepStart = 0;
  const lap = () => {
    const now = performance.now();
    const ms = {
      onnxruntime: spent.ort,
      adamw: spent.adamw,
      "accumulate + scale + clip + loop": now - stepStart - spent.ort - spent.adamw,
    };
    spent.ort = 0;
    spent.adamw = 0;
    const seconds = (now - stepStart) / 1000;
    stepStart = now;
    return { seconds, ms };
  };
  await train({
    runner,
    train: items,
    args,
    outputDir: null,
    hooks: {
      toBatch: (_, at) => feedsAt(at.micro),
      onStart: () => {
        spent.ort = 0;
        spent.adamw = 0;
        stepStart = performance.now();
      },
      onLog: (e) => {
        const { seconds, ms } = lap();
        logs.push({ seconds, loss: e.loss ?? NaN, gradNorm: e.grad_norm ?? NaN, metrics: metricsOf(e), ms });
        if (logs.length === 1) mark("after the first step");
        process.stderr.write(`step ${e.step}/${total}: ${seconds.toFixed(2)} s, loss ${e.loss}\n`);
        stepStart = performance.now(); // the lines above are bookkeeping of this benchmark, not of the step
      },
    },
  });
  const timed = logs.slice(inputs.warmupSteps);
  const seconds = timed.map((l) => l.seconds);
  const peak = peakRssBytes();
  const phases = Object.fromEntries(
    Object.keys(timed[0]?.ms ?? {}).map((k) => [k, median(timed.map((l) => (l.ms[k] ?? NaN) / 1000))]),
  );
  const first = logs[0];
  if (!first) throw new Error("no step ran");
  await runner.dispose();
  await base.dispose();
  const result: TTrainRun = {
    stepSeconds: median(seconds),
    stepRuns: seconds,
    loadSeconds,
    first: { loss: first.loss, gradNorm: first.gradNorm, metrics: first.metrics },
    secondLoss: logs[1]?.loss ?? NaN,
    peakRssBytes: peak,
    rss,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    phases,
  };
  console.log(JSON.stringify(result));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
