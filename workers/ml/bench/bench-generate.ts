// `npm run bench:generate`: engine vs PyTorch eager generation throughput, peak memory, the bandwidth bound
// and the targets, as a table (a benchmark, not a test: no number fails anything).
// Flags: --threads N (default: all CPUs), --quick, --write (update docs/benchmarks.md), --runs R, --no-torch,
// --quantize q8,q4 (the quantized weight types beside float32, engine only; "none" for none), --no-quality,
// --quiet-wait S (default 120: seconds to wait for a quiet machine before a run), --attempts N (default 3),
// --only <config>.
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
import { isQuantizeMode, type TQuantizeMode } from "../model/quantize";
import { bandwidthBoundTokPerS, measureCopyBandwidth, measureReadBandwidth, type TBandwidth } from "./bandwidth";
import { writeGenerationSection } from "./benchmarks-doc";
import { runChildJson } from "./child-json";
import { machineInfo } from "./machine-info";
import { MAX_OTHER_LOAD, measureQuietly, QUIET_POLICY, waitForQuiet } from "./cpu-load";
import { ensureBenchCheckpoint } from "./make-bench-checkpoints";
import {
  boundTable,
  generationTable,
  judgeTargets,
  machineLines,
  profileTable,
  qualityTable,
  quantTable,
  targetLines,
  type TQualityRow,
  type TQuantRow,
  type TProfileRow,
  type TReport,
  type TRow,
} from "./report";
import { runTorch, torchVersion, ZRunResult } from "./torch-runner";

const BATCHES = [1, 4, 8] as const;
/** Batches of the quantized rows: one sequence and the batch of 8. */
const QUANT_BATCHES = [1, 8] as const;
const QUALITY_TOKENS = 256;
const ENGINE_QUALITY = path.join(path.dirname(fileURLToPath(import.meta.url)), "engine-quality.ts");
/** The built-in model (trained, with a tokenizer): its quality cost is measured on real text. */
const HOUSE_MODEL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../house/model");
const HOUSE_TEXT = [
  ["What is the capital of France?", "The capital of France is Paris."],
  ["What is 12 plus 7?", "12 plus 7 is 19."],
  ["Which continent is Kenya in?", "Kenya is in Africa."],
  ["What currency does Japan use?", "Japan uses the yen."],
  ["Is 45 larger than 54?", "No, 54 is larger than 45."],
  ["What is the first letter of the word river?", "The first letter of river is r."],
  ["What is 30 minus 12?", "30 minus 12 is 18."],
  ["What is the capital of Canada?", "The capital of Canada is Ottawa."],
]
  .map(([q, a]) => `<|user|>\n${q}<|end|><|assistant|>\n${a}<|end|>`)
  .join("");

const ZQuality = z.object({
  tokens: z.number().int(),
  modes: z.record(z.string(), z.object({ meanKl: z.number(), maxKl: z.number(), top1Agreement: z.number() })),
});
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
function promptIds(batch: number, vocab: number, seed: number, length = PROMPT_TOKENS): number[][] {
  let s = (seed ^ 0x2545f491) >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  return Array.from({ length: batch }, () => Array.from({ length }, () => 1 + (next() % (vocab - 1))));
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
      quantize: { type: "string", default: "q8,q4" },
      "no-quality": { type: "boolean", default: false },
      "quiet-wait": { type: "string" },
      only: { type: "string" },
      attempts: { type: "string" },
    },
  });
  if (values["quiet-wait"] !== undefined) QUIET_POLICY.waitMs = 1000 * Number(values["quiet-wait"]);
  if (values.attempts !== undefined) QUIET_POLICY.attempts = Number(values.attempts);
  if (!(QUIET_POLICY.waitMs >= 0) || !(QUIET_POLICY.attempts >= 1))
    throw new Error("--quiet-wait must be >= 0 seconds and --attempts >= 1");
  const modes = (values.quantize ?? "")
    .split(",")
    .map((m) => m.trim())
    .filter((m) => m !== "" && m !== "none");
  if (!modes.every(isQuantizeMode)) throw new Error("--quantize takes a comma-separated list of q8, q4 (or none)");
  const quantModes = modes;
  const configs = BENCH_CONFIG_NAMES.filter((c) => values.only === undefined || c === values.only);
  if (configs.length === 0) throw new Error(`--only must be one of ${BENCH_CONFIG_NAMES.join(", ")}`);
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
    await waitForQuiet(MAX_OTHER_LOAD, Math.min(60_000, QUIET_POLICY.waitMs));
    const b = await measureCopyBandwidth(threads); // the bound for the threads the engine is given
    log(`copy bandwidth: ${(b.bytesPerSecond / 1e9).toFixed(1)} GB/s on ${b.threads} thread(s)`);
    return b;
  };
  const readBandwidth = async (): Promise<TBandwidth> => {
    await waitForQuiet(MAX_OTHER_LOAD, Math.min(60_000, QUIET_POLICY.waitMs));
    const b = await measureReadBandwidth(threads);
    log(`read bandwidth: ${(b.bytesPerSecond / 1e9).toFixed(1)} GB/s on ${b.threads} thread(s)`);
    return b;
  };
  const firstBandwidth = await copyBandwidth();
  const firstRead = await readBandwidth();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-bench-"));
  const rows: TRow[] = [];
  const quantRows: TQuantRow[] = [];
  const float32Tokens = new Map<string, number[][]>(); // by `${config} ${batch}`
  const quality: TQualityRow[] = [];
  const profiles: TProfileRow[] = [];
  try {
    for (const config of configs) {
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
        float32Tokens.set(`${config} ${batch}`, engine.result.tokens);
      }
      for (const mode of quantModes) {
        for (const batch of QUANT_BATCHES) {
          const promptsFile = path.join(tmp, `${config}-b${batch}.json`);
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
            String(RUNS_FACTOR[config] * runs),
            "--quantize",
            mode,
          ];
          const label = `${config} ${mode} batch ${batch}`;
          const engine = await measure(`${label}: engine`, async () =>
            ZEngineResult.parse(
              await runChildJson({ file: process.execPath, args, env: process.env, label: `engine (${label})` }),
            ),
          );
          const float32 = rows.find((r) => r.config === config && r.batch === batch);
          quantRows.push({
            config,
            mode,
            batch,
            engine: engine.result,
            float32DecodeTokPerS: float32?.engine.decodeTokPerS ?? null,
            tokenAgreement: float32
              ? agreement(engine.result.tokens, float32Tokens.get(`${config} ${batch}`) ?? [])
              : null,
            otherLoad: engine.otherLoad,
          });
          profiles.push({ ...profileRow(config, batch, engine.result.profile), mode });
        }
      }
      if (quantModes.length > 0 && !values["no-quality"]) {
        const tokensFile = path.join(tmp, `${config}-quality.json`);
        const vocab = Number(BENCH_CONFIGS[config].vocab_size);
        fs.writeFileSync(tokensFile, JSON.stringify(promptIds(1, vocab, seed + 1000, QUALITY_TOKENS)[0]));
        quality.push(
          ...(await qualityRows(config, ["--model", modelDir, "--tokens", tokensFile], threads, quantModes)),
        );
      }
    }
    if (quantModes.length > 0 && !values["no-quality"] && fs.existsSync(path.join(HOUSE_MODEL, "config.json")))
      quality.push(
        ...(await qualityRows(
          "built-in (workers/house/model), Q&A text",
          ["--model", HOUSE_MODEL, "--text", HOUSE_TEXT],
          threads,
          quantModes,
        )),
      );
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // Measured again at the end; the better of the two stands (interference only ever lowers it).
  const lastBandwidth = await copyBandwidth();
  const bandwidth = lastBandwidth.bytesPerSecond > firstBandwidth.bytesPerSecond ? lastBandwidth : firstBandwidth;
  const lastRead = await readBandwidth();
  const read = lastRead.bytesPerSecond > firstRead.bytesPerSecond ? lastRead : firstRead;
  const bounds = configs.flatMap((config) =>
    (["none", ...quantModes] as TQuantizeMode[]).map((mode) => {
      const bytes = weightBytesPerToken(benchModelConfig(config), mode);
      return {
        config,
        mode,
        weightBytesPerToken: bytes,
        boundTokPerS: bandwidthBoundTokPerS(bandwidth, bytes),
        readBoundTokPerS: bandwidthBoundTokPerS(read, bytes),
      };
    }),
  );
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
    readBandwidthGBs: read.bytesPerSecond / 1e9,
    readBandwidthThreads: read.threads,
    quantRows,
    quality,
  };
  const text = [
    ...machineLines(machineInfo(torch), report),
    "",
    generationTable(report),
    "",
    ...(quantRows.length === 0
      ? []
      : [
          "Quantized weights (engine only; linear layers and LM head in blocks of 32 through onnxruntime's MatMulNBits, accuracy_level 4; the embedding lookup stays float32):",
          "",
          quantTable(report),
          "",
        ]),
    ...(quality.length === 0
      ? []
      : [
          `Quality cost of the quantized weights (one teacher-forced pass over a fixed sequence; per position KL of the next-token distributions and argmax agreement; random-weight configs on ${QUALITY_TOKENS} seeded token ids):`,
          "",
          qualityTable(report),
          "",
        ]),
    "Memory-bandwidth bound for single-sequence decoding (every weight byte read once per token: float32, or 8 / 4 bits plus a float32 scale per 32 weights for the quantized layers and LM head; the tied embedding counts once, as the LM head, plus one float32 embedding row for the lookup):",
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

/** The quality child on one model; its rows for the asked modes. */
async function qualityRows(
  model: string,
  args: string[],
  threads: number,
  modes: readonly TQuantizeMode[],
): Promise<TQualityRow[]> {
  const r = ZQuality.parse(
    await runChildJson({
      file: process.execPath,
      args: [...process.execArgv, ENGINE_QUALITY, ...args, "--threads", String(threads)],
      env: process.env,
      label: `quality (${model})`,
    }),
  );
  log(`quality ${model}: ${JSON.stringify(r.modes)}`);
  return modes.flatMap((mode) => {
    const m = r.modes[mode];
    return m ? [{ model, mode, tokens: r.tokens, ...m }] : [];
  });
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
