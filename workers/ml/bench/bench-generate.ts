// `npm run bench:generate`: engine vs PyTorch eager generation throughput, peak memory, the bandwidth bound
// and the targets, as a table (a benchmark, not a test: no number fails anything).
// Flags: --threads N (default: all CPUs), --quick, --write (update docs/benchmarks.md), --runs R, --no-torch.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import {
  BENCH_CONFIG_NAMES,
  BENCH_CONFIGS,
  benchModelConfig,
  RUNS_FACTOR,
  weightBytesPerToken,
  type TBenchConfigName,
} from "./bench-configs";
import { bandwidthBoundTokPerS, measureCopyBandwidth, type TBandwidth } from "./bandwidth";
import { writeGenerationSection } from "./benchmarks-doc";
import { runChildJson } from "./child-json";
import { machineInfo } from "./machine-info";
import { MAX_OTHER_LOAD, measureQuietly, waitForQuiet } from "./cpu-load";
import { ensureBenchCheckpoint } from "./make-bench-checkpoints";
import {
  boundTable,
  generationTable,
  judgeTargets,
  machineLines,
  profileTable,
  targetLines,
  type TProfileRow,
  type TReport,
  type TRow,
} from "./report";
import { runTorch, torchVersion, ZRunResult } from "./torch-runner";

const BATCHES = [1, 4, 8] as const;
const PROMPT_TOKENS = 32;
const ENGINE_RUN = path.join(path.dirname(fileURLToPath(import.meta.url)), "engine-run.ts");

const ZEngineResult = ZRunResult.extend({
  profile: z.object({
    ortMs: z.number(),
    sampleMs: z.number(),
    wallMs: z.number(),
    decodeSteps: z.number().int(),
    prefillMs: z.number(),
  }),
});

/** `batch` distinct prompts of seeded token ids in [1, vocab) (0 is these configs' BOS/EOS). */
function promptIds(batch: number, vocab: number, seed: number): number[][] {
  let s = (seed ^ 0x2545f491) >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  return Array.from({ length: batch }, () => Array.from({ length: PROMPT_TOKENS }, () => 1 + (next() % (vocab - 1))));
}

function agreement(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number {
  let same = 0;
  let total = 0;
  a.forEach((row, i) =>
    row.forEach((t, j) => {
      total++;
      if (b[i]?.[j] === t) same++;
    }),
  );
  return total === 0 ? NaN : same / total;
}

const log = (msg: string): void => void process.stderr.write(`${msg}\n`);

/** One benchmark process on a quiet machine (cpu-load.ts), logged by its decode speed. */
function measure<R extends { cpuSeconds: number; decodeTokPerS: number }>(
  label: string,
  run: () => Promise<R>,
): Promise<{ result: R; otherLoad: number | null }> {
  return measureQuietly(label, run, (r) => `decode ${r.decodeTokPerS.toFixed(1)} tok/s`, log);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      threads: { type: "string" },
      quick: { type: "boolean", default: false },
      write: { type: "boolean", default: false },
      runs: { type: "string" },
      "no-torch": { type: "boolean", default: false },
      seed: { type: "string", default: "0" },
    },
  });
  const threads = Number(values.threads ?? os.availableParallelism());
  const isQuick = values.quick ?? false;
  const newTokens = isQuick ? 16 : 64;
  const runs = Number(values.runs ?? (isQuick ? 1 : 3));
  const seed = Number(values.seed);
  if (
    !Number.isInteger(threads) ||
    threads < 1 ||
    !Number.isInteger(runs) ||
    runs < 1 ||
    !Number.isInteger(seed) ||
    seed < 0
  )
    throw new Error("--threads and --runs must be integers >= 1, --seed >= 0");
  const torch = values["no-torch"] ? null : torchVersion();
  if (torch === null && !values["no-torch"])
    log("PyTorch (/usr/bin/python3 with python3-torch) not found: engine only");

  log(`checkpoints: ${BENCH_CONFIG_NAMES.map((n) => ensureBenchCheckpoint(n, seed)).join(", ")}`);
  const copyBandwidth = async (): Promise<TBandwidth> => {
    await waitForQuiet(MAX_OTHER_LOAD, 60_000);
    const b = await measureCopyBandwidth(threads); // the bound for the threads the engine is given
    log(`copy bandwidth: ${(b.bytesPerSecond / 1e9).toFixed(1)} GB/s on ${b.threads} thread(s)`);
    return b;
  };
  const firstBandwidth = await copyBandwidth();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-bench-"));
  const rows: TRow[] = [];
  const profiles: TProfileRow[] = [];
  try {
    for (const config of BENCH_CONFIG_NAMES) {
      const modelDir = ensureBenchCheckpoint(config, seed);
      for (const batch of BATCHES) {
        const promptsFile = path.join(tmp, `${config}-b${batch}.json`);
        fs.writeFileSync(
          promptsFile,
          JSON.stringify(promptIds(batch, Number(BENCH_CONFIGS[config].vocab_size), seed + batch)),
        );
        const rowRuns = RUNS_FACTOR[config] * runs;
        const args = [
          ...process.execArgv,
          ENGINE_RUN,
          "--model",
          modelDir,
          "--prompts",
          promptsFile,
          "--threads",
          String(threads),
          "--new-tokens",
          String(newTokens),
          "--runs",
          String(rowRuns),
        ];
        const label = `${config} batch ${batch}`;
        const engine = await measure(`${label}: engine`, async () =>
          ZEngineResult.parse(
            await runChildJson({ file: process.execPath, args, env: process.env, label: `engine (${label})` }),
          ),
        );
        const reference = torch
          ? await measure(`${label}: PyTorch`, () =>
              runTorch({ modelDir, promptsFile, threads, newTokens, runs: rowRuns }),
            )
          : null;
        rows.push({
          config,
          batch,
          engine: engine.result,
          torch: reference?.result ?? null,
          tokenAgreement: reference ? agreement(engine.result.tokens, reference.result.tokens) : null,
          otherLoad: { engine: engine.otherLoad, torch: reference?.otherLoad ?? null },
        });
        profiles.push(profileRow(config, batch, engine.result.profile));
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // Measured again at the end; the better of the two stands (interference only ever lowers it).
  const lastBandwidth = await copyBandwidth();
  const bandwidth = lastBandwidth.bytesPerSecond > firstBandwidth.bytesPerSecond ? lastBandwidth : firstBandwidth;
  const bounds = BENCH_CONFIG_NAMES.map((config) => {
    const bytes = weightBytesPerToken(benchModelConfig(config));
    return { config, weightBytesPerToken: bytes, boundTokPerS: bandwidthBoundTokPerS(bandwidth, bytes) };
  });
  const report: TReport = {
    rows,
    bounds,
    bandwidthGBs: bandwidth.bytesPerSecond / 1e9,
    bandwidthThreads: bandwidth.threads,
    threads,
    promptTokens: PROMPT_TOKENS,
    newTokens,
    runs,
    isQuick,
  };
  const text = [
    ...machineLines(machineInfo(torch), report),
    "",
    generationTable(report),
    "",
    "Memory-bandwidth bound for single-sequence decoding (every float32 weight read once per token; the tied embedding counts once, as the LM head, plus one embedding row for the lookup):",
    "",
    boundTable(report),
    "",
    "Targets:",
    "",
    ...targetLines(judgeTargets(report)),
    "",
    "Where the engine's time goes (median run; per decode step, all rows of the batch together):",
    "",
    profileTable(profiles),
  ].join("\n");
  console.log(text);
  if (values.write) {
    writeGenerationSection(text);
    log("docs/benchmarks.md updated");
  }
}

function profileRow(config: TBenchConfigName, batch: number, p: z.infer<typeof ZEngineResult>["profile"]): TProfileRow {
  const steps = Math.max(p.decodeSteps, 1);
  // The prefill's onnxruntime call is inside ortMs; its own timing (prefillMs) is taken out again here.
  const ortMsPerStep = (p.ortMs - p.prefillMs) / steps;
  const sampleMsPerStep = p.sampleMs / (steps + 1); // token choice runs once more than the step calls
  return {
    config,
    batch,
    prefillMs: p.prefillMs,
    decodeSteps: p.decodeSteps,
    ortMsPerStep,
    sampleMsPerStep,
    otherMsPerStep: (p.wallMs - p.ortMs - p.sampleMs) / steps,
  };
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
