// Dataset download: streams JSONL or Parquet straight from the database, a page at a time, or the dataset card.
import { z } from "zod";
import {
  TABULAR_EXPORT_FORMATS,
  ZExportFile,
  ZExportFormat,
  ZExportSource,
  ZKtoMiddle,
  ZTrlShape,
} from "@/server/domain";
import { requireAdminForRoute } from "@/server/auth/route-guard";
import { exportFilename, exportLines, exportRows, type TExportOptions } from "@/server/services/export/export-lines";
import { exportColumns } from "@/server/services/export/export-columns";
import { withStrengthMargin } from "@/server/services/export/strength-margin";
import { parquetChunks } from "@/server/services/export/parquet-stream";
import { datasetCard } from "@/server/services/export/dataset-card";
import { recordAudit } from "@/server/services/audit/record-audit";
import { getProject } from "@/server/services/projects/project-queries";
import { errorResponse } from "@/server/api/route-errors";

export const dynamic = "force-dynamic";

const ZDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "not a calendar date");

const ZQuery = z.object({
  format: ZExportFormat,
  file: ZExportFile.default("jsonl"),
  shape: ZTrlShape.default("auto"),
  margin: z.enum(["0", "1"]).default("0"),
  complete: z.enum(["0", "1"]).default("0"),
  /** Gold (reference) comparisons: left out by default. */
  gold: z.enum(["exclude", "include", "only"]).default("exclude"),
  middle: ZKtoMiddle.default("omit"),
  salt: z.string().max(200).optional(),
  /** The dataset card's licence id for the Hub, e.g. cc-by-4.0. */
  license: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.+-]{0,63}$/, "a Hub licence id such as cc-by-4.0, mit or other")
    .default("other"),
  /** First day included (UTC). */
  from: ZDay.optional(),
  /** Last day included (UTC). */
  to: ZDay.optional(),
  /** Raw judgments, or one ranking per comparison (consensus, adjudicated, final). */
  source: ZExportSource.default("raw"),
  /** Minimum agreement of a comparison's labellers, 0 to 1. */
  agreement: z
    .string()
    .regex(/^(0(\.\d{1,4})?|1(\.0{1,4})?)$/, "a number from 0 to 1, e.g. 0.6")
    .transform(Number)
    .optional(),
  /** Labeller user ids, comma-separated. */
  labellers: z
    .string()
    .max(20_000)
    .optional()
    .transform((s) => (s ? s.split(",").filter(Boolean) : undefined)),
});

const TYPES = {
  jsonl: "application/x-ndjson; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
  card: "text/markdown; charset=utf-8",
} as const;

export async function GET(req: Request, ctx: { params: Promise<{ projectId: string }> }) {
  const guard = await requireAdminForRoute();
  if ("response" in guard) return guard.response;
  const { projectId } = await ctx.params;
  const query = ZQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  const bad = (error: string) => Response.json({ error }, { status: 400 });
  if (!query.success) return bad(query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const q = query.data;
  if (q.file === "parquet" && !(TABULAR_EXPORT_FORMATS as readonly string[]).includes(q.format)) {
    return bad(`file: format "${q.format}" writes nested trees and has no Parquet form; download it as jsonl`);
  }
  if (q.from && q.to && q.from > q.to) return bad(`from: ${q.from} is after to: ${q.to}`);
  let opts: TExportOptions = {
    projectId,
    format: q.format,
    trlShape: q.shape,
    withMargin: q.margin === "1",
    onlyComplete: q.complete === "1",
    ktoMiddle: q.middle,
    salt: q.salt || undefined,
    from: q.from ? new Date(`${q.from}T00:00:00.000Z`) : undefined,
    until: q.to ? new Date(`${q.to}T23:59:59.999Z`) : undefined,
    labellerIds: q.labellers,
    source: q.source,
    minAgreement: q.agreement,
    gold: q.gold,
  };
  // Errors are answered as such only until the first byte is sent; after that the stream is cut.
  let project;
  try {
    project = await getProject({ projectId });
    // Before the card, the columns and the first row: every row of one file carries margin alike.
    opts = await withStrengthMargin(opts);
    await recordAudit({
      actorId: guard.viewer.userId,
      action: "project.export",
      targetType: "project",
      targetId: project.id,
      details: {
        format: q.format,
        file: q.file,
        shape: q.shape,
        source: q.source,
        agreement: q.agreement,
        from: q.from,
        to: q.to,
        labellers: q.labellers,
      },
    });
    if (q.file === "card") {
      const card = await datasetCard({ project, options: opts, license: q.license });
      return new Response(card, {
        headers: {
          "Content-Type": TYPES.card,
          "Content-Disposition": `attachment; filename="${exportFilename(project.slug, q.format, "README.md")}"`,
          "Cache-Control": "no-store",
        },
      });
    }
  } catch (e) {
    return errorResponse(e, `export of ${projectId}`);
  }
  const encoder = new TextEncoder();
  const chunks: AsyncGenerator<Uint8Array | string> =
    q.file === "parquet" ? parquetChunks(exportRows(opts), exportColumns(q.format, opts)!) : exportLines(opts);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // Not destructured: only `done: false` narrows the value to a chunk (the return value is untyped).
        const chunk = await chunks.next();
        if (chunk.done) controller.close();
        else controller.enqueue(typeof chunk.value === "string" ? encoder.encode(chunk.value) : chunk.value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": TYPES[q.file],
      "Content-Disposition": `attachment; filename="${exportFilename(project.slug, q.format, q.file)}"`,
      "Cache-Control": "no-store",
    },
  });
}
