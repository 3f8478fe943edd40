// Model version download: the version's Hugging Face checkpoint (or PEFT adapter) folder as a .tar stream.
// Admins only, and only from this app's own pages (or a typed address): a link on another site is refused.
import { z } from "zod";
import { requireAdminForRoute } from "@/server/auth/route-guard";
import { errorResponse } from "@/server/api/route-errors";
import { getVersionArchive } from "@/server/services/models/version-archive";
import { tarChunks } from "@/server/services/models/tar-stream";
import { recordAudit } from "@/server/services/audit/record-audit";

export const dynamic = "force-dynamic";

const ZVersionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a model version id");

export async function GET(req: Request, ctx: { params: Promise<{ versionId: string }> }) {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none")
    return Response.json({ error: `cross-origin request refused (Sec-Fetch-Site: ${site})` }, { status: 403 });
  const guard = await requireAdminForRoute();
  if ("response" in guard) return guard.response;
  const id = ZVersionId.safeParse((await ctx.params).versionId);
  if (!id.success) return Response.json({ error: "versionId: not a model version id" }, { status: 400 });
  try {
    const archive = await getVersionArchive({ versionId: id.data });
    // Weights leaving the server are recorded like dataset exports.
    await recordAudit({
      actorId: guard.viewer.userId,
      action: "model.download",
      targetType: "modelVersion",
      targetId: id.data,
      details: {
        name: archive.name,
        files: archive.entries.length,
        bytes: archive.entries.reduce((n, e) => n + e.size, 0),
      },
    });
    const chunks = tarChunks(archive.entries);
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "application/x-tar",
        "content-disposition": `attachment; filename="${archive.name}.tar"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    return errorResponse(e, "model download");
  }
}
