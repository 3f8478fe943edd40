// What this worker's model work runs on, from its environment: the onnxruntime execution provider of
// generation (WORKER_PROVIDER, cpu or cuda) and the intra-op threads of generation and training
// (WORKER_THREADS, 0: onnxruntime's default, one per physical core). Checked at start: a worker told to
// use CUDA on a machine without onnxruntime's CUDA provider refuses to start and says how to install it.
import { readFileSync } from "node:fs";
import { cpus, hostname } from "node:os";
import { CUDA_INSTALL_HINT, isCudaInstalled } from "./ml/runtime/providers";
import type { TWorkerReport } from "../server/jobs/worker-registry";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;

export type TWorkerRuntime = { provider: "cpu" | "cuda"; threads: number };

export function readWorkerRuntime(env: NodeJS.ProcessEnv = process.env, hasCuda = isCudaInstalled): TWorkerRuntime {
  const provider = env.WORKER_PROVIDER ?? "cpu";
  if (provider !== "cpu" && provider !== "cuda")
    throw new Error(`WORKER_PROVIDER must be "cpu" or "cuda", got "${provider}"`);
  const rawThreads = env.WORKER_THREADS ?? "0";
  const threads = Number(rawThreads);
  if (!/^\d+$/.test(rawThreads) || threads > 1024)
    throw new Error(
      `WORKER_THREADS must be a whole number from 0 (onnxruntime's default) to 1024, got "${rawThreads}"`,
    );
  if (provider === "cuda" && !hasCuda()) throw new Error(`WORKER_PROVIDER is "cuda", but ${CUDA_INSTALL_HINT}`);
  return { provider, threads };
}

let cached: TWorkerRuntime | undefined;
/** This process's runtime (read once; the worker reads it at start, so a bad setting stops it there). */
export const workerRuntime = () => (cached ??= readWorkerRuntime());

export function workerReport(id: string, rt: TWorkerRuntime, heartbeatMs: number): TWorkerReport {
  return {
    id,
    hostname: hostname(),
    pid: process.pid,
    version: VERSION,
    executionProvider: rt.provider,
    intraOpThreads: rt.threads,
    interOpThreads: 0,
    cpus: cpus().length,
    heartbeatMs,
  };
}
