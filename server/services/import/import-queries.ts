// Reads of import runs: a project's recent imports and one import's live progress or final report.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { getImportProgress } from "./import-progress";

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
  const row = await getDb().importBatch.findUnique({ where: { id: opts.importId } });
  if (!row) throw new AppError("NOT_FOUND", "No such import.");
  return { ...row, live: getImportProgress(row.id) ?? null };
}
