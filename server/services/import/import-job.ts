// Imports as jobs of the worker: the upload route (or the CLI) creates the import and enqueues its
// job; the worker runs it (`runImportJob`) and, when the job fails for good, `abandonImportJob` removes
// what it wrote. An uploaded file (ownsFile) is deleted once the import has ended, whichever way.
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../../db";
import { enqueueJob } from "../../jobs/job-queue";
import type { TImportFormat } from "../../domain";
import { createImport, failImport, importReport, runImport, type TImportReport } from "./import-prompts";

export const importJobId = (importId: string) => `import:${importId}`;

export async function enqueueImport(o: {
  projectId: string;
  actorId: string | null;
  filename: string;
  format: TImportFormat;
  isAllOrNothing: boolean;
  file: string;
  /** The file is the import's own copy (an upload spool): deleted when the import ends. */
  ownsFile: boolean;
  /** Leave out the rankings the file carries (OASST ranks, Label Studio and Argilla annotations). */
  withoutRankings?: boolean;
}): Promise<{ importId: string; jobId: string }> {
  const batch = await createImport({ ...o, spoolPath: o.file });
  const jobId = importJobId(batch.id);
  await getDb().importBatch.update({ where: { id: batch.id }, data: { jobId } });
  await enqueueJob({
    id: jobId,
    kind: "import",
    payload: { importId: batch.id, ...(o.withoutRankings ? { withoutRankings: true } : {}) },
    concurrencyKey: o.projectId,
  });
  return { importId: batch.id, jobId };
}

/** The job's body: runs the import (again, after a crash) unless it has ended; deletes the spool once it has. */
export async function runImportJob(o: {
  importId: string;
  signal?: AbortSignal;
  withoutRankings?: boolean;
}): Promise<TImportReport> {
  const batch = await getDb().importBatch.findUniqueOrThrow({ where: { id: o.importId } });
  try {
    if (batch.status !== "done" && batch.status !== "failed" && (!batch.spoolPath || !fs.existsSync(batch.spoolPath))) {
      await failImport(batch.id, "the file to import is gone (deleted, or on another machine than this worker)");
    }
    return await runImport(batch.id, {
      open: () => fs.createReadStream(batch.spoolPath!),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.withoutRankings ? { withoutRankings: true } : {}),
    }).catch(async (e: unknown) => {
      // The import is marked failed already (it removed its rows): the job's outcome is that report.
      const after = await getDb().importBatch.findUniqueOrThrow({ where: { id: batch.id } });
      if (after.status !== "failed") throw e;
      return importReport(after);
    });
  } finally {
    await deleteSpoolIfEnded(batch.id);
  }
}

/** The job failed for good (its runs used up, or refused): the import fails with its reason. */
export async function abandonImportJob(o: { importId: string; reason: string }): Promise<void> {
  const batch = await getDb().importBatch.findUnique({ where: { id: o.importId } });
  if (!batch) return;
  if (batch.status !== "done" && batch.status !== "failed") {
    await failImport(batch.id, `the import could not be run: ${o.reason}`);
  }
  await deleteSpoolIfEnded(batch.id);
}

async function deleteSpoolIfEnded(importId: string) {
  const batch = await getDb().importBatch.findUnique({ where: { id: importId } });
  if (!batch || !batch.ownsFile || !batch.spoolPath) return;
  if (batch.status !== "done" && batch.status !== "failed") return; // handed back: the next run reads it
  // The spool is a private temporary folder holding only this file (spool-upload.ts).
  fs.rmSync(path.dirname(batch.spoolPath), { recursive: true, force: true });
  await getDb().importBatch.update({ where: { id: importId }, data: { spoolPath: null } });
}
