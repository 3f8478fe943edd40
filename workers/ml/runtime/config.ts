// Session configuration (provider, threads, optimisation level) with defaults and checks; no onnxruntime import.

export const PROVIDERS = ["cpu", "cuda"] as const;
export type Provider = (typeof PROVIDERS)[number];
export const OPTIMIZATION_LEVELS = ["disabled", "basic", "extended", "all"] as const;
export type OptimizationLevel = (typeof OPTIMIZATION_LEVELS)[number];

export interface SessionConfig {
  /** Execution provider; `cpu` unless configured. */
  readonly provider?: Provider;
  /** CUDA device index (provider `cuda`). */
  readonly deviceId?: number;
  /** Threads inside one op (0: onnxruntime's default, one per physical core). */
  readonly intraOpThreads?: number;
  /** Threads across independent ops (0: default). */
  readonly interOpThreads?: number;
  readonly optimizationLevel?: OptimizationLevel;
  /** Whether idle intra-op threads spin waiting for work. Off by default: measured on a 2-core
   *  machine, spinning threads competed with the working ones and made 2 threads slower than 1
   *  (docs/benchmarks.md). Turn it on where cores are plentiful and latency matters. */
  readonly allowSpinning?: boolean;
  /** onnxruntime's CPU memory arena (on by default): it keeps freed blocks for reuse, so a process holds its
   *  peak. Training steps allocate gradients of every size once per step; off returns them to the system. */
  readonly memoryArena?: boolean;
  /** Memory pattern planning (on by default): pre-plans one block per input shape seen. */
  readonly memoryPattern?: boolean;
}

export type ResolvedSessionConfig = Required<SessionConfig>;

export const DEFAULT_SESSION_CONFIG: ResolvedSessionConfig = {
  provider: "cpu",
  deviceId: 0,
  intraOpThreads: 0,
  interOpThreads: 0,
  optimizationLevel: "all",
  allowSpinning: false,
  memoryArena: true,
  memoryPattern: true,
};

export function resolveSessionConfig(c: SessionConfig = {}): ResolvedSessionConfig {
  const r = {
    ...DEFAULT_SESSION_CONFIG,
    ...Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)),
  } as ResolvedSessionConfig;
  if (!PROVIDERS.includes(r.provider))
    throw new Error(`unknown execution provider "${String(r.provider)}" (supported: ${PROVIDERS.join(", ")})`);
  if (!OPTIMIZATION_LEVELS.includes(r.optimizationLevel))
    throw new Error(
      `unknown graph optimization level "${String(r.optimizationLevel)}" (supported: ${OPTIMIZATION_LEVELS.join(", ")})`,
    );
  for (const k of ["allowSpinning", "memoryArena", "memoryPattern"] as const)
    if (typeof r[k] !== "boolean") throw new Error(`session config ${k} must be a boolean, got ${String(r[k])}`);
  for (const k of ["deviceId", "intraOpThreads", "interOpThreads"] as const)
    if (!Number.isInteger(r[k]) || r[k] < 0)
      throw new Error(`session config ${k} must be a non-negative integer, got ${String(r[k])}`);
  return r;
}
