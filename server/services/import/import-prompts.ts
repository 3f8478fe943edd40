// Imports a prompt file into a project. Pass 1 validates the whole file and writes nothing (so
// all-or-nothing still holds); pass 2 writes in batches of BATCH prompts, each its own short
// transaction, so other users' writes never wait long for the database or share a transaction with
// the import. If pass 2 fails, the rows this import wrote are removed and it is marked failed. Prompts
// of an import that is not done are hidden from labellers (the queue only hands out prompts of
// finished imports), so removing them never takes away a labeller's task. The file is read twice from
// `open()`, streamed both times; progress (lines read, rows rejected, prompts written) is stored in the
// ImportBatch row. Re-imports skip prompts already present (same external id, or same content).
import { getDb } from "../../db";
import type { Prisma } from "../../../generated/sqlite/client";
import { AppError, isAppError } from "../../errors";
import type { TImportFormat } from "../../domain";
import { parseImportFile, type TImportIssue } from "./parse-import-file";
import { recordAudit } from "../audit/record-audit";
import { FileChecker, type TChecked } from "./file-checker";
import { openImportedComparisons, removeImportedRows, writePromptBatch, type TPendingPrompt } from "./write-prompts";

export type TImportOptions = {
  projectId: string;
  actorId: string | null;
  filename: string;
  format: TImportFormat;
  open: () => NodeJS.ReadableStream | AsyncIterable<Buffer>;
  /** false: import the valid lines and report the others. */
  isAllOrNothing?: boolean;
  source?: "import" | "demo";
  /** Called once the import has an id, before any line is read. */
  onStart?: (importId: string) => void;
  /** Leave out the rankings the file carries: prompts and candidates only. */
  withoutRankings?: boolean;
};
export type TImportReport = {
  importId: string;
  status: "done" | "failed";
  linesRead: number;
  promptsAdded: number;
  duplicates: number;
  errorCount: number;
  errors: TImportIssue[];
};
export type TRunOptions = {
  open: TImportOptions["open"];
  source?: "import" | "demo";
  /** Aborted: stop between batches and leave the import to be run again (the worker is stopping). */
  signal?: AbortSignal;
  /** Write no judgments for the rankings the file carries (OASST ranks, Label Studio and Argilla annotations). */
  withoutRankings?: boolean;
};

const MAX_REPORTED = 200;
const BATCH = 500;
const PROGRESS_MS = 500;
export const NO_ROWS = "the file has no rows";

/** The ImportBatch row an import reports into; `spoolPath` for imports run by the worker. */
export async function createImport(o: {
  projectId: string;
  actorId: string | null;
  filename: string;
  format: TImportFormat;
  isAllOrNothing: boolean;
  spoolPath?: string;
  ownsFile?: boolean;
}) {
  const project = await getDb().project.findUnique({ where: { id: o.projectId }, select: { id: true } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  return getDb().importBatch.create({
    data: {
      projectId: o.projectId,
      createdById: o.actorId,
      filename: o.filename,
      format: o.format,
      isAllOrNothing: o.isAllOrNothing,
      spoolPath: o.spoolPath ?? null,
      ownsFile: o.ownsFile ?? false,
    },
  });
}

/** Creates the import and runs it in this process (seeding, tests): the same code the worker's job runs. */
export async function importPrompts(opts: TImportOptions): Promise<TImportReport> {
  const batch = await createImport({ ...opts, isAllOrNothing: opts.isAllOrNothing ?? true });
  opts.onStart?.(batch.id);
  return runImport(batch.id, {
    open: opts.open,
    ...(opts.source ? { source: opts.source } : {}),
    ...(opts.withoutRankings ? { withoutRankings: true } : {}),
  });
}

export const importReport = (b: {
  id: string;
  status: string;
  linesRead: number;
  promptsAdded: number;
  duplicates: number;
  errorCount: number;
  errors: unknown;
}): TImportReport => ({
  importId: b.id,
  status: b.status === "done" ? "done" : "failed",
  linesRead: b.linesRead,
  promptsAdded: b.promptsAdded,
  duplicates: b.duplicates,
  errorCount: b.errorCount,
  errors: (b.errors ?? []) as TImportIssue[],
});

/**
 * Runs (or runs again, after a crash or a hand-back) the import `importId`: rows an earlier run wrote are
 * removed first, so a re-run starts clean. Resolves with the report; rejects, after marking the import
 * failed, when the server failed (not the file); rejects without marking it when `signal` aborted.
 */
export async function runImport(importId: string, o: TRunOptions): Promise<TImportReport> {
  const db = getDb();
  const batch = await db.importBatch.findUnique({ where: { id: importId }, include: { project: true } });
  if (!batch) throw new AppError("NOT_FOUND", "No such import.");
  if (batch.status === "done" || batch.status === "failed") return importReport(batch);
  const project = batch.project;
  const format = batch.format as TImportFormat;
  const progress = (data: Prisma.ImportBatchUpdateInput) => db.importBatch.update({ where: { id: importId }, data });
  await progress({ status: "running", phase: "removing", linesRead: 0, promptsAdded: 0, duplicates: 0, errorCount: 0 });
  await removeImportedRows(importId);

  const errors: TImportIssue[] = [];
  let errorCount = 0;
  let linesRead = 0;
  const report = (issue: TImportIssue) => {
    errorCount++;
    if (errors.length < MAX_REPORTED) errors.push(issue);
  };
  const parse = () => parseImportFile(o.open(), { format, filename: batch.filename });

  try {
    // Pass 1: validate everything before writing anything.
    await progress({ phase: "validating" });
    const pass1 = new FileChecker(project.candidatesPerPrompt);
    let rows = 0;
    let lastProgress = Date.now();
    for await (const parsed of parse()) {
      const checked = pass1.check(parsed);
      linesRead = checked.line;
      if (checked.kind === "issue") report(checked.issue);
      else rows++;
      if (Date.now() - lastProgress > PROGRESS_MS) {
        o.signal?.throwIfAborted();
        await progress({ linesRead, errorCount });
        lastProgress = Date.now();
      }
    }
    if (rows === 0 && errorCount === 0) {
      report({ line: 0, message: NO_ROWS });
      return await finish("failed", 0, 0);
    }
    if (errorCount > 0 && batch.isAllOrNothing) return await finish("failed", 0, 0);

    // Pass 2: write in short transactions, skipping invalid lines (partial mode) and duplicates.
    await progress({ phase: "writing", linesRead, errorCount, errors });
    const pass2 = new FileChecker(project.candidatesPerPrompt);
    let issues = 0;
    let lastLine = 0;
    let added = 0;
    let duplicates = 0;
    let pending: TPendingPrompt[] = [];
    const flush = async () => {
      o.signal?.throwIfAborted();
      const r = await writePromptBatch({ projectId: project.id, importId, source: o.source ?? "import", pending });
      added += r.added;
      duplicates += r.duplicates;
      pending = [];
    };
    for await (const parsed of parse()) {
      const checked: TChecked = pass2.check(parsed);
      lastLine = checked.line;
      if (checked.kind === "issue") issues++;
      else if (checked.kind === "duplicate") duplicates++;
      else
        pending.push({
          item: o.withoutRankings ? { ...checked.item, judgments: [] } : checked.item,
          hash: checked.hash,
        });
      if (pending.length >= BATCH) await flush();
    }
    if (pending.length) await flush();
    // The second read must see exactly what the first one validated; anything else (a read error,
    // a file changed in between) removes what was written.
    if (issues !== errorCount || lastLine !== linesRead) {
      throw new AppError(
        "CONFLICT",
        `The file read differently the second time (${issues} problems and ${lastLine} lines, against ${errorCount} and ${linesRead}); nothing was imported. Was it changed during the import?`,
      );
    }
    return await finish("done", added, duplicates);
  } catch (e) {
    if (o.signal?.aborted) {
      // Handed back: the next run removes what this one wrote and starts again.
      await progress({ status: "queued", phase: null });
      throw e;
    }
    // Driver messages can carry server paths: the admin sees a plain reason, the log the details.
    const message = isAppError(e)
      ? e.message
      : "the import failed on the server; nothing was written (details are in the server log)";
    if (!isAppError(e)) console.error(`import ${importId} failed:`, e);
    await failImport(importId, message, { errors, errorCount, linesRead });
    throw e;
  }

  async function finish(status: "done" | "failed", promptsAdded: number, duplicates: number): Promise<TImportReport> {
    // One batch transaction (no interactive one: opening 40,000 comparisons on a busy PostgreSQL can outlast
    // its 5 s limit): the import is done exactly when its comparisons are open.
    await db.$transaction([
      db.importBatch.update({
        where: { id: importId },
        data: {
          status,
          phase: null,
          linesRead,
          promptsAdded,
          duplicates,
          errorCount,
          errors,
          finishedAt: new Date(),
        },
      }),
      ...(status === "done" ? [openImportedComparisons(db, importId)] : []),
    ]);
    await recordAudit({
      actorId: batch!.createdById,
      action: "project.import",
      targetType: "project",
      targetId: project.id,
      details: {
        importId,
        filename: batch!.filename,
        status,
        promptsAdded,
        duplicates,
        errorCount,
        ...(o.withoutRankings ? { withoutRankings: true } : {}),
      },
    });
    return { importId, status, linesRead, promptsAdded, duplicates, errorCount, errors };
  }
}

/** Marks an import failed with `message` after removing every row it wrote (also for a job that died for good). */
export async function failImport(
  importId: string,
  message: string,
  known: { errors?: TImportIssue[]; errorCount?: number; linesRead?: number } = {},
): Promise<void> {
  const db = getDb();
  await db.importBatch.update({ where: { id: importId }, data: { phase: "removing" } });
  await removeImportedRows(importId);
  const batch = await db.importBatch.findUniqueOrThrow({ where: { id: importId } });
  const errors = known.errors ?? ((batch.errors ?? []) as TImportIssue[]);
  await db.importBatch.update({
    where: { id: importId },
    data: {
      status: "failed",
      phase: null,
      promptsAdded: 0,
      duplicates: 0,
      finishedAt: new Date(),
      errorCount: (known.errorCount ?? batch.errorCount) + 1,
      ...(known.linesRead !== undefined ? { linesRead: known.linesRead } : {}),
      errors: [...errors, { line: 0, message }] as Prisma.InputJsonValue,
    },
  });
}
