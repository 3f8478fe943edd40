// `npm run export -- --project <slug> --format trl|judgments|hh|kto|arena|oasst [--out file.jsonl|file.parquet] [--card README.md] [--shape auto|standard|conversational] [--margin] [--middle omit|desirable|undesirable] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--labellers id,id] [--salt s] [--complete] [--source raw|consensus|adjudicated|final] [--min-agreement 0..1] [--gold exclude|include|only]`
import fs from "node:fs";
import { once } from "node:events";
import {
  EXPORT_FORMATS,
  EXPORT_SOURCES,
  TRL_SHAPES,
  ZExportFormat,
  ZExportSource,
  ZKtoMiddle,
  ZTrlShape,
} from "../domain";
import { getDb } from "../db";
import { exportLines, exportRows, type TExportOptions } from "../services/export/export-lines";
import { exportColumns } from "../services/export/export-columns";
import { withStrengthMargin } from "../services/export/strength-margin";
import { parquetChunks } from "../services/export/parquet-stream";
import { datasetCard } from "../services/export/dataset-card";
import { getProjectBySlug } from "../services/projects/project-queries";
import { cliArgs } from "./args";
import { runMain, UsageError } from "./run-main";

const USAGE =
  "npm run export -- --project <slug> --format trl|judgments|hh|kto|arena|oasst [--out file.jsonl|file.parquet] [--card README.md] [--shape auto|standard|conversational] [--margin] [--middle omit|desirable|undesirable] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--labellers <id,id>] [--salt <text>] [--complete] [--source raw|consensus|adjudicated|final] [--min-agreement <0..1>] [--gold exclude|include|only]";
const args = cliArgs(
  {
    project: { type: "string" },
    format: { type: "string" },
    out: { type: "string" },
    card: { type: "string" },
    shape: { type: "string", default: "auto" },
    margin: { type: "boolean", default: false },
    middle: { type: "string", default: "omit" },
    from: { type: "string" },
    to: { type: "string" },
    labellers: { type: "string" },
    salt: { type: "string" },
    complete: { type: "boolean", default: false },
    source: { type: "string", default: "raw" },
    "min-agreement": { type: "string" },
    gold: { type: "string", default: "exclude" },
  },
  USAGE,
);

function day(value: string | undefined, flag: string, end: boolean): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(`${value}T${end ? "23:59:59.999" : "00:00:00.000"}Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime()))
    throw new UsageError(`${flag} must be a date as YYYY-MM-DD, not "${value}"`);
  return d;
}

async function main() {
  if (!args.project || !args.format) throw new UsageError(`--project and --format are required (usage: ${USAGE})`);
  const format = ZExportFormat.safeParse(args.format);
  if (!format.success)
    throw new UsageError(`--format ${args.format}: unknown format; use one of ${EXPORT_FORMATS.join(", ")}`);
  const shape = ZTrlShape.safeParse(args.shape);
  if (!shape.success) throw new UsageError(`--shape ${args.shape}: unknown shape; use one of ${TRL_SHAPES.join(", ")}`);
  const middle = ZKtoMiddle.safeParse(args.middle);
  if (!middle.success) throw new UsageError(`--middle ${args.middle}: use one of omit, desirable, undesirable`);
  const source = ZExportSource.safeParse(args.source);
  if (!source.success) throw new UsageError(`--source ${args.source}: use one of ${EXPORT_SOURCES.join(", ")}`);
  const minAgreement = args["min-agreement"] === undefined ? undefined : Number(args["min-agreement"]);
  if (minAgreement !== undefined && !(minAgreement >= 0 && minAgreement <= 1))
    throw new UsageError(`--min-agreement ${args["min-agreement"]}: a number from 0 to 1, e.g. 0.6`);
  const gold = args.gold;
  if (gold !== "exclude" && gold !== "include" && gold !== "only")
    throw new UsageError(`--gold ${gold}: use exclude (the default), include or only`);
  const project = await getProjectBySlug({ slug: args.project });
  const opts: TExportOptions = await withStrengthMargin({
    projectId: project.id,
    format: format.data,
    trlShape: shape.data,
    withMargin: args.margin,
    ktoMiddle: middle.data,
    salt: args.salt,
    onlyComplete: args.complete,
    from: day(args.from, "--from", false),
    until: day(args.to, "--to", true),
    labellerIds: args.labellers?.split(",").filter(Boolean),
    source: source.data,
    minAgreement,
    gold,
  });
  const parquet = args.out?.endsWith(".parquet") ?? false;
  const columns = exportColumns(opts.format, opts);
  if (parquet && !columns) throw new UsageError(`format ${opts.format} writes nested trees and has no Parquet form`);
  const out = args.out ? fs.createWriteStream(args.out) : process.stdout;
  const chunks = parquet ? parquetChunks(exportRows(opts), columns!) : exportLines(opts);
  for await (const chunk of chunks) {
    if (!out.write(chunk)) await once(out, "drain");
  }
  if (args.out) {
    out.end();
    await once(out, "finish");
    process.stderr.write(`written to ${args.out}\n`);
  }
  if (args.card) {
    fs.writeFileSync(args.card, await datasetCard({ project, options: opts }));
    process.stderr.write(`dataset card written to ${args.card}\n`);
  }
  await getDb().$disconnect();
}

runMain(main);
