// Prompt file upload: the raw file is the request body; answers with the import id as soon as the
// import starts, and the page polls admin.projects.importStatus for progress and the report.
import fs from "node:fs";
import { ZImportFormat } from "@/server/domain";
import { requireAdminForRoute } from "@/server/auth/route-guard";
import { refuseForeignRequest } from "@/server/auth/request-guard";
import { spoolUpload } from "@/server/services/import/spool-upload";
import { importPrompts } from "@/server/services/import/import-prompts";
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
    const started = new Promise<string>((resolve, reject) => {
      importPrompts({
        projectId,
        actorId: guard.viewer.userId,
        filename,
        format: format.data,
        isAllOrNothing: url.searchParams.get("partial") !== "1",
        open: () => fs.createReadStream(upload.file),
        onStart: resolve,
      })
        .catch((e) => {
          console.error(`import into ${projectId} failed:`, e);
          reject(e);
        })
        .finally(upload.cleanup);
    });
    return Response.json({ importId: await started });
  } catch (e) {
    return errorResponse(e, `import into ${projectId}`);
  }
}
