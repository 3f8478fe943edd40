// `npm run export -- --project <slug> --format trl|judgments|hh [--out file.jsonl] [--shape auto|standard|conversational] [--margin] [--salt s] [--complete]`
import fs from "node:fs";
import { once } from "node:events";
import { ZExportFormat, ZTrlShape } from "../domain";
import { getDb } from "../db";
import { exportLines } from "../services/export/export-lines";
import { getProjectBySlug } from "../services/projects/project-queries";
import { cliArgs } from "./args";

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
  if (!args.project || !args.format) throw new Error(`--project and --format are required\nusage: ${USAGE}`);
  const project = await getProjectBySlug({ slug: args.project });
  const out = args.out ? fs.createWriteStream(args.out) : process.stdout;
  let rows = 0;
  for await (const line of exportLines({
    projectId: project.id,
    format: ZExportFormat.parse(args.format),
    trlShape: ZTrlShape.parse(args.shape),
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

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
