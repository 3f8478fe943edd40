// Turns measured training rows into tables (step time, tokens/s, peak memory, agreement, where the time and
// memory go) and judges the targets. Formatting only: nothing here measures or fails on a number.
import type { TBenchConfigName } from "./bench-configs";
import type { TMachineInfo } from "./machine-info";
import type { TTarget } from "./report";
import type { TTrainRun } from "./train-result";
import { WORKLOADS, type TWorkloadName } from "./train-workloads";

/** A side the memory cap stopped: the largest resident size seen and where it had got to. */
export interface TFailure {
  peakBytes: number;
  reason: string;
  lastLog: string;
}

export interface TTrainRow {
  config: TBenchConfigName;
  workload: TWorkloadName;
  tokensPerStep: number;
  /** Micro-batches per optimiser step and rows in each. */
  micro: { count: number; rows: number };
  timedSteps: number;
  /** null: not run (PyTorch missing) or stopped (see `failures`). */
  engine: TTrainRun | null;
  torch: TTrainRun | null;
  failures: { engine: TFailure | null; torch: TFailure | null };
  /** Share of all CPUs other processes used during each side's run (null: unknown or not run). */
  otherLoad: { engine: number | null; torch: number | null };
}

export interface TTrainReport {
  rows: TTrainRow[];
  threads: number;
  isQuick: boolean;
  memoryCapBytes: number;
  /** The engine's git commit (and whether the working tree differed). */
  revision: string;
}

/** Step time no slower than PyTorch's; peak memory at most this multiple of PyTorch's. */
export const MEMORY_FACTOR = 1.5;

const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
const mb = (bytes: number): string => fmt(bytes / 2 ** 20, 0);
const pct = (x: number | null): string => (x === null ? "n/a" : `${fmt(100 * x, 0)}%`);
const rel = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
const sci = (x: number): string => (Number.isFinite(x) ? x.toExponential(1) : "n/a");

function table(header: string[], body: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

const secondsText = (s: number): string => (s >= 10 ? fmt(s, 1) : fmt(s, 2));
/** The median step and, with more than one timed step, the range of the timed steps. */
const stepText = (run: TTrainRun): string =>
  run.stepRuns.length > 1
    ? `${secondsText(run.stepSeconds)} (${secondsText(Math.min(...run.stepRuns))}-${secondsText(Math.max(...run.stepRuns))})`
    : secondsText(run.stepSeconds);

const stopped = (f: TFailure | null): string => (f ? `stopped at ${mb(f.peakBytes)} MB (memory cap)` : "n/a");

export function trainTable(r: TTrainReport): string {
  const header = [
    "config",
    "workload",
    "tokens / step",
    "micro-batches",
    "timed steps",
    "engine s / step (range)",
    "torch s / step (range)",
    "engine speed vs torch",
    "engine tok/s",
    "torch tok/s",
    "engine peak MB",
    "torch peak MB",
    "memory vs torch",
    "other load (engine / torch)",
  ];
  const body = r.rows.map((x) => {
    const e = x.engine;
    const t = x.torch;
    return [
      x.config,
      WORKLOADS[x.workload].label,
      String(x.tokensPerStep),
      `${x.micro.count} x ${x.micro.rows} rows`,
      String(x.timedSteps),
      e ? stepText(e) : stopped(x.failures.engine),
      t ? stepText(t) : stopped(x.failures.torch),
      e && t ? `${fmt(t.stepSeconds / e.stepSeconds, 2)}x` : "n/a",
      e ? fmt(x.tokensPerStep / e.stepSeconds, 0) : "n/a",
      t ? fmt(x.tokensPerStep / t.stepSeconds, 0) : "n/a",
      e ? mb(e.peakRssBytes) : x.failures.engine ? `> ${mb(x.failures.engine.peakBytes)}` : "n/a",
      t ? mb(t.peakRssBytes) : x.failures.torch ? `> ${mb(x.failures.torch.peakBytes)}` : "n/a",
      e && t
        ? `${fmt(e.peakRssBytes / t.peakRssBytes, 2)}x`
        : x.failures.engine && t
          ? `> ${fmt(x.failures.engine.peakBytes / t.peakRssBytes, 2)}x`
          : "n/a",
      `${pct(x.otherLoad.engine)} / ${pct(x.otherLoad.torch)}`,
    ];
  });
  return table(header, body);
}

/** First-step loss and gradient norm (and, for DPO, whose first loss is log 2 whatever the weights, the
 *  policy's chosen log-probability), side by side with their relative difference. */
export function agreementTable(r: TTrainReport): string {
  const body = r.rows.flatMap((x) => {
    const e = x.engine;
    const t = x.torch;
    if (!e || !t) return [];
    const dpo =
      x.workload === "lora-dpo"
        ? ([e.first.metrics["logps/chosen"] ?? NaN, t.first.metrics["logps/chosen"] ?? NaN] as const)
        : null;
    return [
      [
        x.config,
        x.workload,
        `${fmt(e.first.loss, 6)} / ${fmt(t.first.loss, 6)} (${sci(rel(e.first.loss, t.first.loss))})`,
        `${fmt(e.first.gradNorm, 5)} / ${fmt(t.first.gradNorm, 5)} (${sci(rel(e.first.gradNorm, t.first.gradNorm))})`,
        `${fmt(e.secondLoss, 6)} / ${fmt(t.secondLoss, 6)} (${sci(rel(e.secondLoss, t.secondLoss))})`,
        dpo ? `${fmt(dpo[0], 3)} / ${fmt(dpo[1], 3)} (${sci(rel(dpo[0], dpo[1]))})` : "",
      ],
    ];
  });
  return table(
    [
      "config",
      "workload",
      "first-step loss, engine / torch (rel. diff)",
      "first-step grad norm",
      "second-step loss",
      "DPO logps/chosen (first step)",
    ],
    body,
  );
}

/** Largest relative difference of the first-step loss over the rows with both sides. */
export function worstLossAgreement(r: TTrainReport): number {
  return Math.max(
    0,
    ...r.rows.flatMap((x) => (x.engine && x.torch ? [rel(x.engine.first.loss, x.torch.first.loss)] : [])),
  );
}

export function judgeTrainTargets(r: TTrainReport): TTarget[] {
  return r.rows.flatMap((x): TTarget[] => {
    const name = `${x.config}, ${x.workload}`;
    const speedLabel = `${name}: step time no slower than PyTorch`;
    const memoryLabel = `${name}: peak memory <= ${MEMORY_FACTOR}x PyTorch`;
    const e = x.engine;
    const t = x.torch;
    if (!e) {
      const f = x.failures.engine;
      const detail = f
        ? `the engine was stopped at ${mb(f.peakBytes)} MB (${f.reason}; last progress line: ${f.lastLog || "none"})${t ? `; PyTorch peaked at ${mb(t.peakRssBytes)} MB` : ""}`
        : "the engine did not run";
      return [
        { label: speedLabel, isMet: f ? false : null, detail },
        { label: memoryLabel, isMet: f ? false : null, detail },
      ];
    }
    if (!t) {
      const f = x.failures.torch;
      const detail = f
        ? `PyTorch was stopped at ${mb(f.peakBytes)} MB (${f.reason}); the engine ran (${secondsText(e.stepSeconds)} s, ${mb(e.peakRssBytes)} MB)`
        : "PyTorch did not run";
      return [
        { label: speedLabel, isMet: f ? true : null, detail },
        { label: memoryLabel, isMet: f ? true : null, detail },
      ];
    }
    const speed = t.stepSeconds / e.stepSeconds;
    const memory = e.peakRssBytes / t.peakRssBytes;
    return [
      {
        label: speedLabel,
        isMet: e.stepSeconds <= t.stepSeconds,
        detail: `${secondsText(e.stepSeconds)} s vs ${secondsText(t.stepSeconds)} s (engine ${fmt(speed, 2)}x PyTorch's speed)`,
      },
      {
        label: memoryLabel,
        isMet: memory <= MEMORY_FACTOR,
        detail: `${mb(e.peakRssBytes)} MB vs ${mb(t.peakRssBytes)} MB (${fmt(memory, 2)}x)`,
      },
    ];
  });
}

/** Median seconds per step by phase, each side's own phases. */
export function phaseTable(r: TTrainReport): string {
  const body = r.rows.map((x) => {
    const side = (run: TTrainRun | null): string =>
      run
        ? Object.entries(run.phases)
            .map(([k, v]) => `${k} ${secondsText(v)}`)
            .join("; ")
        : "n/a";
    return [x.config, x.workload, side(x.engine), side(x.torch)];
  });
  return table(["config", "workload", "engine (s)", "torch (s)"], body);
}

/** Resident memory at the named points of each side's run, then the peak. */
export function memoryTable(r: TTrainReport): string {
  const side = (run: TTrainRun | null, f: TFailure | null): string =>
    run
      ? [...run.rss.map(([k, v]) => `${k} ${mb(v)}`), `**peak ${mb(run.peakRssBytes)}**`].join("; ")
      : f
        ? `stopped at ${mb(f.peakBytes)} (${f.reason}); last progress line: ${f.lastLog || "none"}`
        : "n/a";
  return table(
    ["config", "workload", "engine RSS (MB)", "torch RSS (MB)"],
    r.rows.map((x) => [x.config, x.workload, side(x.engine, x.failures.engine), side(x.torch, x.failures.torch)]),
  );
}

export function trainMachineLines(m: TMachineInfo, r: TTrainReport): string[] {
  const steps = [...new Set(r.rows.map((x) => `${x.timedSteps} for ${x.config} ${x.workload}`))];
  return [
    `- Machine: ${m.cpu}, ${m.cpus} logical CPUs, ${m.memoryGiB} GiB memory; run on ${m.date}`,
    `- Software: engine at commit ${r.revision}, Node ${m.node}, onnxruntime-node ${m.onnxruntime}, PyTorch ${m.torch ?? "not installed"}, OpenBLAS (pthread) ${m.openblas ?? "?"}`,
    `- Threads: ${r.threads} on both sides (engine: onnxruntime intra-op threads, the optimiser in JavaScript on the main thread; PyTorch: torch.set_num_threads, OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, OMP_WAIT_POLICY=PASSIVE)`,
    `- A step: forward + loss + backward + global-norm clipping (max 1.0) + AdamW (lr 5e-5, betas 0.9/0.999, eps 1e-8, weight decay 0: HF's defaults), float32, over the micro-batches of the table (gradients accumulated, then divided by the whole batch's count, as the trainer does); one warm-up step, then the median of the timed steps (${steps.join(", ")})${r.isQuick ? " (--quick)" : ""}`,
    "- Work: DPO and the reward model take 8 pairs of 256-token rows (128 prompt + 128 completion; 16 rows, 4096 tokens a step), pre-training 8 rows of 256 tokens (2048); the SmolLM2 shape in two micro-batches (the whole batch at once needs more memory than this machine has, on either side); seeded random token ids and the same seeded weights on both sides; LoRA r 16, alpha 32 on all seven projections, A from one seed (written by the engine, read by PyTorch), B zero; DPO's reference log-probabilities are computed once before the steps and not timed",
  ];
}
