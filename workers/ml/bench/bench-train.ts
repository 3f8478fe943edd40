// `npm run bench:train`: seconds per optimiser step, tokens/s and peak memory of the engine's training (LoRA
// DPO, reward model, full pre-training) against PyTorch autograd on the same weights, batch and threads, as a
// table with the targets judged (a benchmark, not a test: no number fails anything).
// Flags: --threads N (default: all CPUs), --quick (one timed step), --write (update docs/benchmarks.md),
// --no-torch, --only <config>, --workload <name>, --seed S, --memory-cap-gb G.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { BENCH_CONFIG_NAMES, benchModelConfig, type TBenchConfigName } from "./bench-configs";
import { writeTrainingSection } from "./benchmarks-doc";
import { MemoryCapError, runChildJson } from "./child-json";
import { measureQuietly } from "./cpu-load";
import { machineInfo } from "./machine-info";
import { ensureBenchCheckpoint } from "./make-bench-checkpoints";
import { targetLines } from "./report";
import { runTorchTrain, torchVersion } from "./torch-runner";
import { ZTrainRun, type TTrainRun } from "./train-result";
import {
  agreementTable,
  judgeTrainTargets,
  memoryTable,
  phaseTable,
  trainMachineLines,
  trainTable,
  worstLossAgreement,
  type TFailure,
  type TTrainReport,
  type TTrainRow,
} from "./train-report";
import {
  microBatchItems,
  rowsOf,
  timedSteps,
  tokensPerStep,
  WORKLOAD_NAMES,
  WORKLOADS,
  writeTrainInputs,
  type TWorkloadName,
} from "./train-workloads";

const ENGINE_TRAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), "engine-train.ts");
const log = (msg: string): void => void process.stderr.write(`${msg}\n`);
const summary = (r: TTrainRun): string =>
  `${r.stepSeconds.toFixed(2)} s/step, first loss ${r.first.loss.toFixed(6)}, peak ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MB`;

/** One side's measurement, or why there is none (the memory cap stopped it). */
async function side(
  label: string,
  run: () => Promise<TTrainRun>,
): Promise<{ result: TTrainRun | null; otherLoad: number | null; failure: TFailure | null }> {
  try {
    const m = await measureQuietly(label, run, summary, log);
    return { ...m, failure: null };
  } catch (e) {
    if (!(e instanceof MemoryCapError)) throw e;
    log(`${label}: ${e.message}`);
    return { result: null, otherLoad: null, failure: { peakBytes: e.peakBytes, reason: e.reason, lastLog: e.lastLog } };
  }
}

/** The engine's commit, and whether workers/ml outside bench/ differs from it, for the record. */
function engineRevision(): string {
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git(["status", "--porcelain", "--", "workers/ml", ":!workers/ml/bench"]) !== "";
    return `${git(["rev-parse", "--short", "HEAD"])}${dirty ? " plus uncommitted changes" : ""}`;
  } catch {
    return "unknown";
  }
}

function oneOf<T extends string>(value: string | undefined, names: readonly T[], flag: string): readonly T[] {
  if (value === undefined) return names;
  if (!(names as readonly string[]).includes(value))
    throw new Error(`${flag} must be one of ${names.join(", ")}, got ${value}`);
  return [value as T];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      threads: { type: "string" },
      quick: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      "no-torch": { type: "boolean", default: false },
      only: { type: "string" },
      workload: { type: "string" },
      seed: { type: "string", default: "0" },
      "memory-cap-gb": { type: "string" },
    },
  });
  const threads = Number(values.threads ?? os.availableParallelism());
  const seed = Number(values.seed);
  const isQuick = values.quick ?? false;
  // Default cap: 75% of the machine's memory, so a run that would exhaust a shared machine fails alone.
  const capBytes = Number(values["memory-cap-gb"] ?? (0.75 * os.totalmem()) / 2 ** 30) * 2 ** 30;
  if (!Number.isInteger(threads) || threads < 1 || !Number.isInteger(seed) || seed < 0 || !(capBytes > 0))
    throw new Error("--threads must be an integer >= 1, --seed >= 0, --memory-cap-gb > 0");
  const configs: readonly TBenchConfigName[] = oneOf(values.only, BENCH_CONFIG_NAMES, "--only");
  const workloads: readonly TWorkloadName[] = oneOf(values.workload, WORKLOAD_NAMES, "--workload");
  if (values.write && (configs.length < BENCH_CONFIG_NAMES.length || workloads.length < WORKLOAD_NAMES.length))
    throw new Error("--write records the whole table: drop --only / --workload");
  const torch = values["no-torch"] ? null : torchVersion();
  if (torch === null && !values["no-torch"])
    log("PyTorch (/usr/bin/python3 with python3-torch) not found: engine only");

  const revision = engineRevision(); // read at the start: the children run the code of that moment
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-bench-train-"));
  const rows: TTrainRow[] = [];
  try {
    for (const config of configs) {
      const modelDir = ensureBenchCheckpoint(config, seed);
      for (const name of workloads) {
        const w = WORKLOADS[name];
        const steps = timedSteps(config, name, isQuick);
        const inputsFile = writeTrainInputs(tmp, config, benchModelConfig(config), w, { seed, timedSteps: steps });
        const label = `${config} ${name}`;
        const args = [
          ...process.execArgv,
          ENGINE_TRAIN,
          "--model",
          modelDir,
          "--inputs",
          inputsFile,
          "--threads",
          String(threads),
        ];
        const engine = await side(`${label}: engine`, async () =>
          ZTrainRun.parse(
            await runChildJson({
              file: process.execPath,
              args,
              env: process.env,
              label: `engine (${label})`,
              memoryCapBytes: capBytes,
            }),
          ),
        );
        const reference = torch
          ? await side(`${label}: PyTorch`, () =>
              runTorchTrain({ modelDir, inputsFile, threads, memoryCapBytes: capBytes }),
            )
          : null;
        rows.push({
          config,
          workload: name,
          tokensPerStep: tokensPerStep(w),
          micro: {
            count: Math.ceil(w.items / microBatchItems(config, w)),
            rows: rowsOf(w) / Math.ceil(w.items / microBatchItems(config, w)),
          },
          timedSteps: steps,
          engine: engine.result,
          torch: reference?.result ?? null,
          failures: { engine: engine.failure, torch: reference?.failure ?? null },
          otherLoad: { engine: engine.otherLoad, torch: reference?.otherLoad ?? null },
        });
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const report: TTrainReport = { rows, threads, isQuick, memoryCapBytes: capBytes, revision };
  const text = [
    ...trainMachineLines(machineInfo(torch), report),
    "",
    trainTable(report),
    "",
    "Targets (per row: step time no slower than PyTorch's; peak memory at most 1.5x PyTorch's):",
    "",
    ...targetLines(judgeTrainTargets(report)),
    "",
    `Same computation on both sides (first step: the same weights and batch; the second step runs after one AdamW update on each side; largest first-step loss difference ${worstLossAgreement(report).toExponential(1)} relative):`,
    "",
    agreementTable(report),
    "",
    "Where each side's time goes (median seconds per step by phase; engine: onnxruntime is Session.run, forward and backward in one call, the feed and fetch copies included):",
    "",
    phaseTable(report),
    "",
    "Where the memory goes (resident memory at points of each run, MB):",
    "",
    memoryTable(report),
  ].join("\n");
  console.log(text);
  if (values.write) {
    writeTrainingSection(text);
    log("docs/benchmarks.md updated");
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
