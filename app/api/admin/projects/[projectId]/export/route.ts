// Dataset download: streams JSONL straight from the database, a page at a time.
import { z } from "zod";
import { ZExportFormat, ZTrlShape } from "@/server/domain";
import { requireAdminForRoute } from "@/server/auth/route-guard";
import { exportFilename, exportLines } from "@/server/services/export/export-lines";
import { recordAudit } from "@/server/services/audit/record-audit";
import { getProject } from "@/server/services/projects/project-queries";
import { errorResponse } from "@/server/api/route-errors";

export const dynamic = "force-dynamic";

const ZQuery = z.object({
  format: ZExportFormat,
  shape: ZTrlShape.default("auto"),
  margin: z.enum(["0", "1"]).default("0"),
  complete: z.enum(["0", "1"]).default("0"),
  salt: z.string().max(200).optional(),
});

export async function GET(req: Request, ctx: { params: Promise<{ projectId: string }> }) {
  const guard = await requireAdminForRoute();
  if ("response" in guard) return guard.response;
  const { projectId } = await ctx.params;
  const query = ZQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!query.success) {
    return Response.json(
      { error: query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") },
      { status: 400 },
    );
  }
  const q = query.data;
  // Errors are answered as such only until the first byte is sent; after that the stream is cut.
  let project;
  try {
    project = await getProject({ projectId });
    await recordAudit({
      actorId: guard.viewer.userId,
      action: "project.export",
      targetType: "project",
      targetId: project.id,
      details: { format: q.format, shape: q.shape },
    });
  } catch (e) {
    return errorResponse(e, `export of ${projectId}`);
  }
  const lines = exportLines({
    projectId,
    format: q.format,
    trlShape: q.shape,
    withMargin: q.margin === "1",
    onlyComplete: q.complete === "1",
    salt: q.salt || undefined,
  });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        // Not destructured: only `done: false` narrows the value to a line (the return value is untyped).
        const line = await lines.next();
        if (line.done) controller.close();
        else controller.enqueue(encoder.encode(line.value));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFilename(project.slug, q.format)}"`,
      "Cache-Control": "no-store",
    },
  });
}
