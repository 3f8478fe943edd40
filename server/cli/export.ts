// `npm run export -- --project <slug> --format trl|judgments|hh [--out file.jsonl] [--shape auto|standard|conversational] [--margin] [--salt s] [--complete]`
import fs from "node:fs";
import { once } from "node:events";
import { EXPORT_FORMATS, TRL_SHAPES, ZExportFormat, ZTrlShape } from "../domain";
import { getDb } from "../db";
import { exportLines } from "../services/export/export-lines";
import { getProjectBySlug } from "../services/projects/project-queries";
import { cliArgs } from "./args";
import { runMain, UsageError } from "./run-main";

const USAGE =
  "npm run export -- --project <slug> --format trl|judgments|hh [--out file.jsonl] [--shape auto|standard|conversational] [--margin] [--salt <text>] [--complete]";
const args = cliArgs(
  {
    project: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    shape: { type: "string", default: "auto" },
    margin: { type: "boolean", default: false },
    salt: { type: "string" },
    complete: { type: "boolean", default: false },
  },
  USAGE,
);

async function main() {
  if (!args.project || !args.format) throw new UsageError(`--project and --format are required (usage: ${USAGE})`);
  const format = ZExportFormat.safeParse(args.format);
  if (!format.success)
    throw new UsageError(`--format ${args.format}: unknown format; use one of ${EXPORT_FORMATS.join(", ")}`);
  const shape = ZTrlShape.safeParse(args.shape);
  if (!shape.success) throw new UsageError(`--shape ${args.shape}: unknown shape; use one of ${TRL_SHAPES.join(", ")}`);
  const project = await getProjectBySlug({ slug: args.project });
  const out = args.out ? fs.createWriteStream(args.out) : process.stdout;
  let rows = 0;
  for await (const line of exportLines({
    projectId: project.id,
    format: format.data,
    trlShape: shape.data,
    withMargin: args.margin,
    salt: args.salt,
    onlyComplete: args.complete,
  })) {
    rows++;
    if (!out.write(line)) await once(out, "drain");
    if (args.out && rows % 1000 === 0) process.stderr.write(`\r${rows} rows`);
  }
  if (args.out) {
    out.end();
    await once(out, "finish");
    process.stderr.write(`\r${rows} rows written to ${args.out}\n`);
  }
  await getDb().$disconnect();
}

runMain(main);
