// `npm run import -- --project <slug> --file <path> [--format auto|jsonl|csv|hh|trl|oasst|label-studio|argilla] [--partial]
// [--candidates-only]` (--candidates-only: leave out the rankings OASST, Label Studio and Argilla files carry)
// The same path as an upload: the import and its job are created, then this process claims the job and
// runs it (a running worker may take it first; then this waits for it). Progress comes from the database.
import fs from "node:fs";
import path from "node:path";
import { hostname } from "node:os";
import { IMPORT_FORMAT_LABELS, IMPORT_FORMATS, ZImportFormat } from "../domain";
import { getDb } from "../db";
import { enqueueImport } from "../services/import/import-job";
import { importReport } from "../services/import/import-prompts";
import { getProjectBySlug } from "../services/projects/project-queries";
import { createJobRunner } from "../jobs/job-runner";
import { appHandlers } from "../jobs/app-handlers";
import { cliArgs } from "./args";
import { migrateDeploy } from "./migrate";
import { runMain, UsageError } from "./run-main";

const USAGE = `npm run import -- --project <slug> --file <prompts.jsonl|.csv|.json|.jsonl.gz> [--format ${IMPORT_FORMATS.join("|")}] [--partial] [--candidates-only]`;
const args = cliArgs(
  {
    project: { type: "string" },
    file: { type: "string" },
    format: { type: "string", default: "auto" },
    partial: { type: "boolean", default: false },
    "candidates-only": { type: "boolean", default: false },
  },
  USAGE,
);

async function main() {
  if (!args.project || !args.file) throw new UsageError(`--project and --file are required (usage: ${USAGE})`);
  const format = ZImportFormat.safeParse(args.format);
  if (!format.success)
    throw new UsageError(
      `--format ${args.format}: unknown format; use one of ${IMPORT_FORMATS.map((f) => `${f} (${IMPORT_FORMAT_LABELS[f]})`).join(", ")}`,
    );
  const file = path.resolve(args.file);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  migrateDeploy();
  const project = await getProjectBySlug({ slug: args.project });
  const { importId, jobId } = await enqueueImport({
    projectId: project.id,
    actorId: null,
    filename: path.basename(file),
    format: format.data,
    isAllOrNothing: !args.partial,
    withoutRankings: args["candidates-only"],
    file,
    ownsFile: false,
  });
  const runner = createJobRunner({
    workerId: `cli:${hostname()}:${process.pid}`,
    handlers: { import: appHandlers.import! },
    leaseMs: 30_000,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  // Ctrl-C hands the job back (a worker finishes it, or the next `npm run import` of the file is a new import).
  const stop = () => void runner.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const ticker = setInterval(() => void showProgress(importId), 500);
  try {
    for (;;) {
      if (await runner.runJobById(jobId)) break;
      const batch = await getDb().importBatch.findUniqueOrThrow({ where: { id: importId } });
      if (batch.status === "done" || batch.status === "failed" || runner.isStopping) break;
      await new Promise((r) => setTimeout(r, 500)); // another import into this project runs first, or a worker has it
    }
  } finally {
    clearInterval(ticker);
  }
  process.stderr.write("\n");
  const batch = await getDb().importBatch.findUniqueOrThrow({ where: { id: importId } });
  if (batch.status !== "done" && batch.status !== "failed") {
    console.error(`stopped: the import (${importId}) is handed back to the queue; a running worker will finish it`);
    await getDb().$disconnect();
    process.exit(130);
  }
  const report = importReport(batch);
  const name = path.basename(file);
  for (const e of report.errors)
    console.error(e.line > 0 ? `${name}:${e.line}: ${e.message}` : `${name}: ${e.message}`);
  if (report.errorCount > report.errors.length)
    console.error(`… and ${report.errorCount - report.errors.length} more problems`);
  console.log(
    `${report.status === "done" ? "imported" : "nothing imported"}: ${report.promptsAdded} prompts added, ${report.duplicates} duplicates skipped, ${report.errorCount} lines with problems (${report.linesRead} lines read)`,
  );
  await getDb().$disconnect();
  process.exit(report.status === "done" ? 0 : 1);
}

async function showProgress(importId: string) {
  const p = await getDb()
    .importBatch.findUnique({ where: { id: importId } })
    .catch(() => null);
  if (p?.status === "running")
    process.stderr.write(
      `\r${p.phase ?? "starting"}: ${p.linesRead} lines read, ${p.errorCount} rejected, ${p.promptsAdded} prompts written`,
    );
}

runMain(main);
