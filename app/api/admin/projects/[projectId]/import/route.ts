// Prompt file upload: the raw file is the request body. It is spooled to a temporary file and an
// `import` job is enqueued; the worker runs the import. Answers with the import id at once, and the
// page polls admin.projects.importStatus (progress and report, from the database).
import { ZImportFormat } from "@/server/domain";
import { requireAdminForRoute } from "@/server/auth/route-guard";
import { refuseForeignRequest } from "@/server/auth/request-guard";
import { spoolUpload } from "@/server/services/import/spool-upload";
import { enqueueImport } from "@/server/services/import/import-job";
import { errorResponse } from "@/server/api/route-errors";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ projectId: string }> }) {
  const guard = await requireAdminForRoute();
  if ("response" in guard) return guard.response;
  // The file is the raw body: a type no HTML form can send, from this app's own pages only.
  const refused = refuseForeignRequest(req, { contentTypes: ["application/octet-stream"] });
  if (refused) return refused;
  const { projectId } = await ctx.params;
  const url = new URL(req.url);
  const format = ZImportFormat.safeParse(url.searchParams.get("format") ?? "auto");
  if (!format.success)
    return Response.json({ error: `format: must be one of ${ZImportFormat.options.join(", ")}` }, { status: 400 });
  const filename = (req.headers.get("x-filename") ?? "upload.jsonl").slice(0, 255);
  try {
    const upload = await spoolUpload(req.body);
    try {
      const { importId } = await enqueueImport({
        projectId,
        actorId: guard.viewer.userId,
        filename,
        format: format.data,
        isAllOrNothing: url.searchParams.get("partial") !== "1",
        withoutRankings: url.searchParams.get("rankings") === "0",
        file: upload.file,
        ownsFile: true,
      });
      return Response.json({ importId });
    } catch (e) {
      upload.cleanup(); // no job will read it
      throw e;
    }
  } catch (e) {
    return errorResponse(e, `import into ${projectId}`);
  }
}
