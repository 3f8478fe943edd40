// `npm run import -- --project <slug> --file <path> [--format auto|jsonl|csv|hh|trl] [--partial]`
import fs from "node:fs";
import path from "node:path";
import { ZImportFormat } from "../domain";
import { getDb } from "../db";
import { importPrompts } from "../services/import/import-prompts";
import { getImportProgress } from "../services/import/import-progress";
import { getProjectBySlug } from "../services/projects/project-queries";
import { cliArgs } from "./args";
import { migrateDeploy } from "./migrate";

const USAGE =
  "npm run import -- --project <slug> --file <prompts.jsonl|.csv|.jsonl.gz> [--format auto|jsonl|csv|hh|trl] [--partial]";
const args = cliArgs(
  {
    project: { type: "string" },
    file: { type: "string" },
    format: { type: "string", default: "auto" },
    partial: { type: "boolean", default: false },
  },
  USAGE,
);

async function main() {
  if (!args.project || !args.file) throw new Error(`--project and --file are required\nusage: ${USAGE}`);
  const format = ZImportFormat.parse(args.format);
  const file = path.resolve(args.file);
  if (!fs.existsSync(file)) throw new Error(`${file}: no such file`);
  migrateDeploy();
  const project = await getProjectBySlug({ slug: args.project });
  let importId = "";
  const ticker = setInterval(() => {
    const p = importId ? getImportProgress(importId) : undefined;
    if (p) process.stderr.write(`\r${p.phase}: ${p.linesRead} lines read, ${p.promptsAdded} prompts written`);
  }, 500);
  const report = await importPrompts({
    projectId: project.id,
    actorId: null,
    filename: path.basename(file),
    format,
    isAllOrNothing: !args.partial,
    open: () => fs.createReadStream(file),
    onStart: (id) => {
      importId = id;
    },
  }).finally(() => clearInterval(ticker));
  process.stderr.write("\n");
  for (const e of report.errors) console.error(`${path.basename(file)}:${e.line}: ${e.message}`);
  if (report.errorCount > report.errors.length)
    console.error(`… and ${report.errorCount - report.errors.length} more problems`);
  console.log(
    `${report.status === "done" ? "imported" : "nothing imported"}: ${report.promptsAdded} prompts added, ${report.duplicates} duplicates skipped, ${report.errorCount} lines with problems (${report.linesRead} lines read)`,
  );
  await getDb().$disconnect();
  process.exit(report.status === "done" ? 0 : 1);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
