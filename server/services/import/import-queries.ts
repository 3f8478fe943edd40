// Reads of import runs: a project's recent imports and one import's progress or final report, both
// from the database (the worker writes them), so any web process can answer.
import { getDb } from "../../db";
import { AppError } from "../../errors";

export async function findImports(opts: { projectId: string }) {
  return getDb().importBatch.findMany({
    where: { projectId: opts.projectId },
    orderBy: { createdAt: "desc" },
    take: 20,
    select: {
      id: true,
      filename: true,
      format: true,
      status: true,
      linesRead: true,
      promptsAdded: true,
      duplicates: true,
      errorCount: true,
      createdAt: true,
      finishedAt: true,
    },
  });
}

export async function getImport(opts: { importId: string }) {
  const row = await getDb().importBatch.findUnique({
    where: { id: opts.importId },
    omit: { spoolPath: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "No such import.");
  // A queued import whose job is waiting out a crash (its worker died) says so instead of hanging silently.
  const job = row.jobId
    ? await getDb().job.findUnique({ where: { id: row.jobId }, select: { status: true, attempts: true, error: true } })
    : null;
  return { ...row, job };
}
