// Turns measured rows into the generation table, the bandwidth rows and the targets (met / not met).
// Formatting only: nothing here measures, and nothing here fails on a number (a benchmark, not a test).
import { RUNS_FACTOR, type TBenchConfigName } from "./bench-configs";
import type { TQuantizeMode } from "../model/quantize";
import type { TMachineInfo } from "./machine-info";

export interface TSideResult {
  decodeTokPerS: number;
  prefillTokPerS: number;
  peakRssBytes: number;
}

export interface TRow {
  config: TBenchConfigName;
  batch: number;
  engine: TSideResult;
  torch: TSideResult | null;
  /** Generated ids equal on both sides (greedy, same weights), as a fraction of tokens; null without torch. */
  tokenAgreement: number | null;
  /** Share of all CPUs other processes used during each side's run (null: unknown or not run). */
  otherLoad: { engine: number | null; torch: number | null };
}

export interface TBoundRow {
  config: TBenchConfigName;
  weightBytesPerToken: number;
  /** From copy bandwidth (read + written bytes). */
  boundTokPerS: number;
  /** From read bandwidth (a decode step only reads its weights): the true bound; absent when not measured. */
  readBoundTokPerS?: number;
  /** Weight type of the linear layers and LM head (default "none": float32). */
  mode?: TQuantizeMode;
}

/** An engine-only row with quantized weights, beside the float32 row of the same config and batch. */
export interface TQuantRow {
  config: TBenchConfigName;
  mode: TQuantizeMode;
  batch: number;
  engine: TSideResult;
  /** Decode tok/s of the float32 engine row (same config and batch); null when not run. */
  float32DecodeTokPerS: number | null;
  /** Greedy ids equal to the float32 engine's, as a fraction of tokens; null when not run. */
  tokenAgreement: number | null;
  otherLoad: number | null;
}

/** The quality cost of a quantized model: teacher-forced over a fixed token sequence against float32. */
export interface TQualityRow {
  model: string;
  mode: TQuantizeMode;
  tokens: number;
  meanKl: number;
  maxKl: number;
  top1Agreement: number;
}

export interface TTarget {
  label: string;
  isMet: boolean | null; // null: could not be judged (e.g. no PyTorch)
  detail: string;
}

export interface TReport {
  rows: TRow[];
  bounds: TBoundRow[];
  bandwidthGBs: number;
  bandwidthThreads: number;
  threads: number;
  promptTokens: number;
  newTokens: number;
  runs: number;
  isQuick: boolean;
  readBandwidthGBs?: number;
  readBandwidthThreads?: number;
  quantRows?: TQuantRow[];
  quality?: TQualityRow[];
}

const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : "n/a");
const mb = (bytes: number): string => fmt(bytes / 2 ** 20, 0);
const ratio = (a: number, b: number | undefined): string => (b === undefined ? "n/a" : `${fmt(a / b, 2)}x`);

function table(header: string[], body: string[][]): string {
  return [
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...body.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
}

export function generationTable(r: TReport): string {
  const header = [
    "config",
    "batch",
    "engine decode tok/s",
    "torch decode tok/s",
    "ratio",
    "engine prefill tok/s",
    "torch prefill tok/s",
    "prefill ratio",
    "engine peak MB",
    "torch peak MB",
    "same greedy tokens",
    "other load (engine / torch)",
  ];
  const body = r.rows.map((row) => [
    row.config,
    String(row.batch),
    fmt(row.engine.decodeTokPerS),
    row.torch ? fmt(row.torch.decodeTokPerS) : "n/a",
    ratio(row.engine.decodeTokPerS, row.torch?.decodeTokPerS),
    fmt(row.engine.prefillTokPerS, 0),
    row.torch ? fmt(row.torch.prefillTokPerS, 0) : "n/a",
    ratio(row.engine.prefillTokPerS, row.torch?.prefillTokPerS),
    mb(row.engine.peakRssBytes),
    row.torch ? mb(row.torch.peakRssBytes) : "n/a",
    row.tokenAgreement === null ? "n/a" : `${fmt(100 * row.tokenAgreement, 0)}%`,
    [row.otherLoad.engine, row.otherLoad.torch].map((x) => (x === null ? "n/a" : `${fmt(100 * x, 0)}%`)).join(" / "),
  ]);
  return table(header, body);
}

export function boundTable(r: TReport): string {
  const pct = (x: number, bound: number | undefined) => (bound === undefined ? "n/a" : `${fmt((100 * x) / bound, 0)}%`);
  const body = r.bounds.map((b) => {
    const mode = b.mode ?? "none";
    const engine =
      mode === "none"
        ? r.rows.find((x) => x.config === b.config && x.batch === 1)?.engine
        : r.quantRows?.find((x) => x.config === b.config && x.batch === 1 && x.mode === mode)?.engine;
    const torch = mode === "none" ? r.rows.find((x) => x.config === b.config && x.batch === 1)?.torch : null;
    return [
      b.config,
      mode === "none" ? "float32" : mode,
      fmt(b.weightBytesPerToken / 1e6, 1),
      b.readBoundTokPerS === undefined ? "n/a" : fmt(b.readBoundTokPerS),
      fmt(b.boundTokPerS),
      engine ? fmt(engine.decodeTokPerS) : "n/a",
      engine ? pct(engine.decodeTokPerS, b.readBoundTokPerS) : "n/a",
      engine ? pct(engine.decodeTokPerS, b.boundTokPerS) : "n/a",
      torch ? pct(torch.decodeTokPerS, b.readBoundTokPerS) : "n/a",
    ];
  });
  return table(
    [
      "config (batch 1)",
      "weights",
      "weight MB read per token",
      "read-bandwidth bound tok/s",
      "copy-bandwidth bound tok/s",
      "engine decode tok/s",
      "engine fraction of read bound",
      "engine fraction of copy bound",
      "torch fraction of read bound",
    ],
    body,
  );
}

export function quantTable(r: TReport): string {
  const body = (r.quantRows ?? []).map((q) => [
    q.config,
    q.mode,
    String(q.batch),
    fmt(q.engine.decodeTokPerS),
    q.float32DecodeTokPerS === null ? "n/a" : fmt(q.float32DecodeTokPerS),
    ratio(q.engine.decodeTokPerS, q.float32DecodeTokPerS ?? undefined),
    fmt(q.engine.prefillTokPerS, 0),
    mb(q.engine.peakRssBytes),
    q.tokenAgreement === null ? "n/a" : `${fmt(100 * q.tokenAgreement, 0)}%`,
    q.otherLoad === null ? "n/a" : `${fmt(100 * q.otherLoad, 0)}%`,
  ]);
  return table(
    [
      "config",
      "weights",
      "batch",
      "engine decode tok/s",
      "float32 engine decode tok/s",
      "vs float32",
      "engine prefill tok/s",
      "engine peak MB",
      "same greedy tokens as float32",
      "other load",
    ],
    body,
  );
}

export function qualityTable(r: TReport): string {
  const body = (r.quality ?? []).map((q) => [
    q.model,
    q.mode,
    String(q.tokens),
    q.meanKl.toExponential(2),
    q.maxKl.toExponential(2),
    `${fmt(100 * q.top1Agreement, 1)}%`,
  ]);
  return table(
    ["model", "weights", "tokens", "mean KL(float32 ‖ quantized), nats", "max KL", "top-1 agreement with float32"],
    body,
  );
}

export function judgeTargets(r: TReport): TTarget[] {
  const withTorch = r.rows.flatMap((x) => (x.torch ? [{ ...x, torch: x.torch }] : []));
  const slower = withTorch.filter(
    (x) => x.engine.decodeTokPerS <= x.torch.decodeTokPerS || x.engine.prefillTokPerS <= x.torch.prefillTokPerS,
  );
  const faster: TTarget = {
    label: "faster than PyTorch eager in every row (decode and prefill tok/s)",
    isMet: withTorch.length === 0 ? null : slower.length === 0,
    detail:
      withTorch.length === 0
        ? "PyTorch did not run"
        : slower.length === 0
          ? `all ${withTorch.length} rows`
          : `slower in ${slower.map((x) => `${x.config} batch ${x.batch}`).join(", ")}`,
  };
  const big = r.bounds.find((b) => b.config === "smollm2-135m");
  const bigRow = r.rows.find((x) => x.config === "smollm2-135m" && x.batch === 1);
  const half: TTarget =
    big && bigRow
      ? {
          label: "single-sequence decoding of smollm2-135m >= half the bandwidth bound",
          isMet: bigRow.engine.decodeTokPerS >= big.boundTokPerS / 2,
          detail: `${fmt(bigRow.engine.decodeTokPerS)} tok/s of ${fmt(big.boundTokPerS)} (${fmt((100 * bigRow.engine.decodeTokPerS) / big.boundTokPerS, 0)}%, needs 50%)`,
        }
      : {
          label: "single-sequence decoding of smollm2-135m >= half the bandwidth bound",
          isMet: null,
          detail: "not measured",
        };
  const scaling = [...new Set(r.rows.map((x) => x.config))].map((config): TTarget => {
    const one = r.rows.find((x) => x.config === config && x.batch === 1);
    const eight = r.rows.find((x) => x.config === config && x.batch === 8);
    const label = `${config}: batch 8 >= 4x the decode tok/s of batch 1`;
    if (!one || !eight) return { label, isMet: null, detail: "not measured" };
    const k = eight.engine.decodeTokPerS / one.engine.decodeTokPerS;
    return {
      label,
      isMet: k >= 4,
      detail: `${fmt(k, 2)}x (${fmt(eight.engine.decodeTokPerS)} vs ${fmt(one.engine.decodeTokPerS)} tok/s)`,
    };
  });
  const read = big?.readBoundTokPerS;
  const seventy: TTarget = {
    label: "single-sequence float32 decoding of smollm2-135m >= 70% of the read-bandwidth bound",
    isMet: read === undefined || !bigRow ? null : bigRow.engine.decodeTokPerS >= 0.7 * read,
    detail:
      read === undefined || !bigRow
        ? "not measured"
        : `${fmt(bigRow.engine.decodeTokPerS)} tok/s of ${fmt(read)} (${fmt((100 * bigRow.engine.decodeTokPerS) / read, 0)}%, needs 70%)`,
  };
  return [faster, half, ...(read === undefined ? [] : [seventy]), ...scaling];
}

export function targetLines(targets: readonly TTarget[]): string[] {
  return targets.map(
    (t) => `- ${t.isMet === null ? "not judged" : t.isMet ? "**met**" : "**not met**"}: ${t.label}: ${t.detail}`,
  );
}

export function machineLines(m: TMachineInfo, r: TReport): string[] {
  return [
    `- Machine: ${m.cpu}, ${m.cpus} logical CPUs, ${m.memoryGiB} GiB memory; run on ${m.date}`,
    `- Software: Node ${m.node}, onnxruntime-node ${m.onnxruntime}, PyTorch ${m.torch ?? "not installed"}, OpenBLAS (pthread) ${m.openblas ?? "?"}`,
    `- Threads: ${r.threads} on both sides (engine: onnxruntime intra-op threads; PyTorch: torch.set_num_threads, OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, with OMP_WAIT_POLICY=PASSIVE so its OpenMP and OpenBLAS threads do not spin against each other)`,
    `- Work: ${r.promptTokens}-token prompts (one distinct prompt per row of the batch), ${r.newTokens} new tokens, greedy, EOS ignored; one warm-up generation, then the median of ${r.runs} timed runs per process (${RUNS_FACTOR["small-5m"] * r.runs} for small-5m, whose runs are short)${r.isQuick ? " (--quick)" : ""}`,
    `- Copy bandwidth: ${fmt(r.bandwidthGBs)} GB/s (read + written bytes, best of repeated 512 MiB copies on ${r.bandwidthThreads} thread${r.bandwidthThreads === 1 ? "" : "s"})`,
    ...(r.readBandwidthGBs === undefined
      ? []
      : [
          `- Read bandwidth: ${fmt(r.readBandwidthGBs)} GB/s (bytes read, nothing written: best of repeated memcmp passes over two equal 512 MiB buffers on ${r.readBandwidthThreads ?? "?"} thread${r.readBandwidthThreads === 1 ? "" : "s"}); a decode step only reads its weights, so this gives the true bound`,
        ]),
  ];
}

/** Where one engine generation's time went (the median run), from engine-run.ts's instrumentation. */
export interface TProfileRow {
  config: TBenchConfigName;
  batch: number;
  mode?: TQuantizeMode;
  prefillMs: number;
  decodeSteps: number;
  /** Per decode step: inside Session.run (onnxruntime), in token choice for all rows, everything else. */
  ortMsPerStep: number;
  sampleMsPerStep: number;
  otherMsPerStep: number;
}

export function profileTable(rows: readonly TProfileRow[]): string {
  const body = rows.map((p) => {
    const total = p.ortMsPerStep + p.sampleMsPerStep + p.otherMsPerStep;
    return [
      p.config,
      p.mode === undefined || p.mode === "none" ? "float32" : p.mode,
      String(p.batch),
      fmt(p.prefillMs, 0),
      fmt(total, 1),
      `${fmt(p.ortMsPerStep, 1)} (${fmt((100 * p.ortMsPerStep) / total, 0)}%)`,
      `${fmt(p.sampleMsPerStep, 2)} (${fmt((100 * p.sampleMsPerStep) / total, 0)}%)`,
      fmt(p.otherMsPerStep, 2),
    ];
  });
  return table(
    [
      "config",
      "weights",
      "batch",
      "prefill ms",
      "ms per decode step",
      "in onnxruntime",
      "token choice (all rows)",
      "other JS",
    ],
    body,
  );
}
