// `npm run house:train [-- --quick] [--out dir] [--work dir] [--threads n]`: rebuilds the built-in model from
// its seed (corpus, tokenizer, pre-training, SFT), evaluates it on held-out questions and writes its model
// card and loss curves. `--quick` runs the same stages on a tiny configuration in seconds.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { TCliOutput } from "../../ml/train/cli/train";
import { writeModelCard } from "../train/model-card";
import { buildCorpus } from "../corpus/build-corpus";
import { finishPipeline, runPipeline, TIMINGS_FILE, type TPipelineOptions } from "../train/pipeline";
import { FULL, QUICK } from "../train/profiles";

/** The committed checkpoint's directory. */
export const HOUSE_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../model");
const DOCS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs");

const USAGE = `usage: npm run house:train -- [--quick] [--out <dir>] [--work <dir>] [--threads <n>]

  --quick          the same pipeline on a tiny model and corpus (seconds); writes nothing into the repository
  --out <dir>      the checkpoint directory (default: workers/house/model; --quick: <work>/model)
  --work <dir>     scratch directory for datasets and stage outputs (default: a folder under the OS temp dir)
  --docs <dir>     where the model card's plots go (default: docs/; --quick: <work>/docs)
  --threads <n>    onnxruntime intra-op threads (default: one per core)
  --card-only      no training: evaluate the checkpoint in --out again and rewrite its model card and plots
                   (the stage outputs and timings of the last run must still be in --work)`;

async function cardOnly(o: TPipelineOptions) {
  const timings = path.join(o.workDir, TIMINGS_FILE);
  if (!fs.existsSync(timings))
    throw new Error(`--card-only: ${timings} is missing (run house:train with this --work first)`);
  const seconds = JSON.parse(fs.readFileSync(timings, "utf8")) as { pretrain: number; sft: number; total: number };
  return finishPipeline(o, buildCorpus(o.profile.corpus), seconds);
}

export async function runHouseTrainCli(argv: readonly string[], io: TCliOutput): Promise<number> {
  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({
      args: [...argv],
      options: {
        quick: { type: "boolean" },
        "card-only": { type: "boolean" },
        out: { type: "string" },
        work: { type: "string" },
        docs: { type: "string" },
        threads: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
    }).values;
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (v.help) {
    io.out(USAGE);
    return 0;
  }
  const threads = v.threads === undefined ? undefined : Number(v.threads);
  if (threads !== undefined && (!Number.isSafeInteger(threads) || threads < 1)) {
    io.err(`error: --threads expects an integer >= 1, got "${String(v.threads)}"\n\n${USAGE}`);
    return 2;
  }
  const profile = v.quick ? QUICK : FULL;
  const workDir = path.resolve(
    (v.work as string | undefined) ?? path.join(os.tmpdir(), `prefloop-house-${profile.name}`),
  );
  const outDir = path.resolve(
    (v.out as string | undefined) ?? (v.quick ? path.join(workDir, "model") : HOUSE_MODEL_DIR),
  );
  const docsDir = path.resolve((v.docs as string | undefined) ?? (v.quick ? path.join(workDir, "docs") : DOCS_DIR));
  try {
    const options = { profile, workDir, outDir, threads, io };
    const result = v["card-only"] ? await cardOnly(options) : await runPipeline(options);
    await writeModelCard({ profile, result, outDir, docsDir });
    io.out(
      `done in ${(result.seconds.total / 60).toFixed(1)} min: ${outDir} (${(result.parameters / 1e6).toFixed(2)}M parameters), model card ${path.join(outDir, "README.md")}`,
    );
    return 0;
  } catch (e) {
    io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const isTty = process.stderr.isTTY === true;
  process.exitCode = await runHouseTrainCli(process.argv.slice(2), {
    out: (text) => {
      if (isTty) process.stderr.write("\n");
      process.stdout.write(`${text}\n`);
    },
    err: (text) => process.stderr.write(`${text}\n`),
    progress: (text) => process.stderr.write(isTty ? `\r${text}\u001b[K` : `${text}\n`),
  });
  if (isTty) process.stderr.write("\n");
}
