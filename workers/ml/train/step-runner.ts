// One objective's training session: builds the step graph of a TrainableModel, creates its onnxruntime
// session once, and runs a micro-batch (feeds the trained tensors' current values). Not the optimiser.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tensor, type Tensor } from "../ir";
import { TRAINING_MODE_INPUT } from "../model/linear";
import { serializeModel, writeModel } from "../onnx";
import { createSession, type Session, type SessionConfig } from "../runtime";
import { buildStepGraph, type TObjective } from "./step-graph";
import type { TrainableModel } from "./trainable";

export interface TStepResult {
  readonly lossSum: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** d(loss_sum)/d(tensor) by trained tensor name (empty for an evaluation run). */
  readonly grads: ReadonlyMap<string, Float32Array>;
}

function scalarOf(t: Tensor | undefined, name: string): number {
  if (!t || t.dtype !== "float32") throw new Error(`training graph output ${name} is missing`);
  return (t.data as Float32Array)[0] ?? NaN;
}

async function sessionOf(
  model: TrainableModel,
  objective: TObjective,
  config: SessionConfig,
  gradients: boolean,
): Promise<{ session: Session; metrics: readonly string[] }> {
  const step = buildStepGraph(model.graphSource(), objective, { gradients });
  const serialized = serializeModel(step.graph);
  if (!serialized.external) return { session: await createSession(serialized.model, config), metrics: step.metrics };
  // Past protobuf's 2 GB limit the frozen weights go to a side file, which onnxruntime reads while loading.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-train-"));
  try {
    const written = await writeModel(step.graph, path.join(tmp, "train.onnx"));
    return { session: await createSession({ path: written.modelPath }, config), metrics: step.metrics };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Session defaults for a training step: onnxruntime's memory pattern off. With the pattern on, the second run
 * of a session plans a fresh block beside what the CPU arena already holds, which nearly doubled the peak of a
 * SmolLM2-135M reward-model micro-batch (12.1 GB; 7.9 GB without the pattern, and 5.6 GB instead of 7.1 GB for
 * a pre-training one). Turning the arena off instead gave similar peaks but slower steps (every step takes its
 * buffers fresh from the system): 12.3-16.4 s against 10.1-12.9 s. Paired measurements in docs/benchmarks.md.
 */
export const TRAINING_SESSION_DEFAULTS: SessionConfig = { memoryPattern: false };

export class StepRunner {
  #evalSession: Promise<Session> | null = null;

  private constructor(
    readonly model: TrainableModel,
    readonly objective: TObjective,
    readonly metricNames: readonly string[],
    readonly session: Session,
    readonly config: SessionConfig,
  ) {}

  static async create(model: TrainableModel, objective: TObjective, config: SessionConfig = {}): Promise<StepRunner> {
    const c = { ...TRAINING_SESSION_DEFAULTS, ...config };
    const { session, metrics } = await sessionOf(model, objective, c, true);
    return new StepRunner(model, objective, metrics, session, c);
  }

  /** The evaluation graph's session (no backward pass), created on first use. */
  #evaluation(): Promise<Session> {
    this.#evalSession ??= sessionOf(this.model, this.objective, this.config, false).then((s) => s.session);
    return this.#evalSession;
  }

  /** Whether the graph has LoRA dropout (a `training_mode` input: on for training runs, off for evaluation). */
  get hasDropout(): boolean {
    return this.session.inputNames.includes(TRAINING_MODE_INPUT);
  }

  /** Runs one micro-batch; `withGrads` false runs the evaluation graph (loss and metrics; LoRA dropout off). */
  async run(feeds: Readonly<Record<string, Tensor>>, withGrads = true): Promise<TStepResult> {
    const all: Record<string, Tensor> = { ...feeds };
    if (this.hasDropout) all[TRAINING_MODE_INPUT] = tensor("bool", [], Uint8Array.of(withGrads ? 1 : 0));
    for (const [name, t] of this.model.tensors) all[name] = t;
    const names = this.model.trainableNames;
    const outputs = [
      "loss_sum",
      ...this.metricNames.map((m) => `metric.${m}`),
      ...(withGrads ? names.map((n) => `grad.${n}`) : []),
    ];
    const out = await (withGrads ? this.session : await this.#evaluation()).run(all, outputs);
    const metrics: Record<string, number> = {};
    for (const m of this.metricNames) metrics[m] = scalarOf(out[`metric.${m}`], `metric.${m}`);
    const grads = new Map<string, Float32Array>();
    if (withGrads)
      for (const n of names) {
        const g = out[`grad.${n}`];
        if (!g || g.dtype !== "float32") throw new Error(`training graph output grad.${n} is missing`);
        grads.set(n, g.data as Float32Array);
      }
    return { lossSum: scalarOf(out.loss_sum, "loss_sum"), metrics, grads };
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
    if (this.#evalSession) await (await this.#evalSession).dispose();
  }
}
