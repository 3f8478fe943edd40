// The engine's `npm run train` in a child process (never in the worker's event loop) and the metrics file it
// writes; the round's steps (reward model, policy) each run one.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { workerRuntime } from "../runtime-config";

const TRAIN_CLI = path.resolve(import.meta.dirname, "../ml/train/cli/train.ts");

/** Training runs on the CPU provider whatever WORKER_PROVIDER says; WORKER_THREADS applies. */
export const threadArgs = () => (workerRuntime().threads > 0 ? ["--threads", String(workerRuntime().threads)] : []);

export function runTrainCli(args: string[], logFile: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = fs.openSync(logFile, "a");
    const child = spawn(process.execPath, ["--import", "tsx", TRAIN_CLI, ...args], { stdio: ["ignore", log, log] });
    const onAbort = () => child.kill("SIGKILL");
    signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", reject);
    child.on("exit", (code, sig) => {
      signal.removeEventListener("abort", onAbort);
      fs.closeSync(log);
      if (signal.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error("training aborted"));
      if (code === 0) return resolve();
      // The trainer's own last error line says what went wrong (e.g. "loss is not finite").
      const lines = fs.readFileSync(logFile, "utf8").trim().split("\n");
      const reason = lines.reverse().find((l) => l.startsWith("error:")) ?? `the trainer exited with ${sig ?? code}`;
      reject(new Error(reason.replace(/^error:\s*/, "")));
    });
  });
}

export function readMetrics(file: string): Record<string, number>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, number>);
}

/** The per-step entries (with a loss) and the last held-out entry's `eval_*` numbers of one run. */
export function stepsAndEvaluation(metricsFile: string): {
  steps: Record<string, number>[];
  evaluation: Record<string, number>;
} {
  const log = readMetrics(metricsFile);
  const lastEval = log.filter((e) => Object.keys(e).some((k) => k.startsWith("eval_"))).at(-1) ?? {};
  const evaluation = Object.fromEntries(Object.entries(lastEval).filter(([k]) => k.startsWith("eval_")));
  const steps = log.filter((e) => e.loss !== undefined);
  const lastLoss = steps.at(-1)?.loss;
  if (lastLoss === undefined || !Number.isFinite(lastLoss)) throw new Error(`the run logged no finite loss`);
  return { steps, evaluation };
}
