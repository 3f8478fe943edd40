// Imports a prompt file into a project: a validating pass, then one transaction that writes
// everything (all-or-nothing by default). The file is read twice from `open()`, streamed both
// times, so a large file never sits in memory. Re-imports skip prompts already present
// (same external id, or same conversation and candidates).
import { randomUUID } from "node:crypto";
import { getDb, type DbTx } from "../../db";
import type { Prisma } from "../../../generated/sqlite/client";
import { AppError, isAppError } from "../../errors";
import type { TImportFormat } from "../../domain";
import { parseImportFile, type TImportItem, type TImportIssue } from "./parse-import-file";
import { contentHash } from "./content-hash";
import { clearImportProgress, setImportProgress } from "./import-progress";
import { recordAudit } from "../audit/record-audit";

export type TImportOptions = {
  projectId: string;
  actorId: string | null;
  filename: string;
  format: TImportFormat;
  open: () => NodeJS.ReadableStream | AsyncIterable<Buffer>;
  /** false: import the valid lines and report the others. */
  isAllOrNothing?: boolean;
  source?: "import" | "demo";
  /** Called once the import has an id, before any line is read (the upload route answers then). */
  onStart?: (importId: string) => void;
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

const MAX_REPORTED = 200;
const BATCH = 500;
const keyOf = (item: TImportItem, hash: string) =>
  item.externalId !== undefined ? `id:${item.externalId}` : `h:${hash}`;

function checkItem(item: TImportItem, k: number): string | null {
  const n = item.candidates.length;
  if (n === 1) return "has 1 candidate: give at least 2 to rank, or none to have them generated";
  if (n > k) return `has ${n} candidates but the project ranks at most ${k} (K); raise K or trim the file`;
  return null;
}

export async function importPrompts(opts: TImportOptions): Promise<TImportReport> {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: opts.projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const batch = await db.importBatch.create({
    data: { projectId: project.id, createdById: opts.actorId, filename: opts.filename, format: opts.format },
  });
  opts.onStart?.(batch.id);
  const isAllOrNothing = opts.isAllOrNothing ?? true;
  const errors: TImportIssue[] = [];
  let errorCount = 0;
  let linesRead = 0;
  const report = (issue: TImportIssue) => {
    errorCount++;
    if (errors.length < MAX_REPORTED) errors.push(issue);
  };

  try {
    // Pass 1: validate everything before writing anything.
    for await (const parsed of parseImportFile(opts.open(), { format: opts.format, filename: opts.filename })) {
      linesRead = parsed.kind === "item" ? parsed.item.line : parsed.issue.line;
      if (parsed.kind === "issue") report(parsed.issue);
      else {
        const problem = checkItem(parsed.item, project.candidatesPerPrompt);
        if (problem) report({ line: parsed.item.line, message: problem });
      }
      if (linesRead % 1000 === 0) setImportProgress(batch.id, { phase: "validating", linesRead, promptsAdded: 0 });
    }
    if (errorCount > 0 && isAllOrNothing) return await finish("failed", 0, 0);

    // Pass 2: write, in one transaction, skipping invalid lines (partial mode) and duplicates.
    const { added, duplicates } = await db.$transaction(
      (tx) =>
        writeItems(tx, {
          ...opts,
          projectId: project.id,
          importId: batch.id,
          k: project.candidatesPerPrompt,
          linesRead,
          errorCount,
        }),
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
    return await finish("done", added, duplicates);
  } catch (e) {
    // Driver messages can carry server paths: the admin sees a plain reason, the log the details.
    const message = isAppError(e)
      ? e.message
      : "the import failed on the server; nothing was written (details are in the server log)";
    if (!isAppError(e)) console.error(`import ${batch.id} failed:`, e);
    await db.importBatch.update({
      where: { id: batch.id },
      data: {
        status: "failed",
        finishedAt: new Date(),
        errorCount: errorCount + 1,
        errors: [...errors, { line: 0, message }],
      },
    });
    clearImportProgress(batch.id);
    throw e;
  }

  async function finish(status: "done" | "failed", promptsAdded: number, duplicates: number): Promise<TImportReport> {
    await db.importBatch.update({
      where: { id: batch.id },
      data: { status, linesRead, promptsAdded, duplicates, errorCount, errors, finishedAt: new Date() },
    });
    await recordAudit({
      actorId: opts.actorId,
      action: "project.import",
      targetType: "project",
      targetId: opts.projectId,
      details: { importId: batch.id, filename: opts.filename, status, promptsAdded, duplicates, errorCount },
    });
    clearImportProgress(batch.id);
    return { importId: batch.id, status, linesRead, promptsAdded, duplicates, errorCount, errors };
  }
}

async function writeItems(
  tx: DbTx,
  o: TImportOptions & { importId: string; k: number; linesRead: number; errorCount: number },
) {
  // Touching the project row locks it until commit: concurrent imports into one project take turns
  // (PostgreSQL), so both cannot start numbering from the same `seq`.
  await tx.project.update({ where: { id: o.projectId }, data: { updatedAt: new Date() } });
  let seq = (await tx.prompt.aggregate({ where: { projectId: o.projectId }, _max: { seq: true } }))._max.seq ?? 0;
  const seen = new Set<string>();
  let added = 0;
  let duplicates = 0;
  let pending: { item: TImportItem; hash: string }[] = [];

  const flush = async () => {
    const hashes = pending.map((p) => p.hash);
    const ids = pending.flatMap((p) => (p.item.externalId !== undefined ? [p.item.externalId] : []));
    const existing = await tx.prompt.findMany({
      where: {
        projectId: o.projectId,
        OR: [{ contentHash: { in: hashes } }, ...(ids.length ? [{ externalId: { in: ids } }] : [])],
      },
      select: { contentHash: true, externalId: true },
    });
    const present = new Set([
      ...existing.map((e) => `h:${e.contentHash}`),
      ...existing.flatMap((e) => (e.externalId !== null ? [`id:${e.externalId}`] : [])),
    ]);
    const prompts: Prisma.PromptCreateManyInput[] = [];
    const candidates: Prisma.CandidateCreateManyInput[] = [];
    for (const { item, hash } of pending) {
      if (present.has(`h:${hash}`) || (item.externalId !== undefined && present.has(`id:${item.externalId}`))) {
        duplicates++;
        continue;
      }
      const id = randomUUID();
      prompts.push({
        id,
        projectId: o.projectId,
        seq: ++seq,
        messages: item.messages,
        source: o.source ?? "import",
        externalId: item.externalId ?? null,
        contentHash: hash,
        metadata: (item.metadata ?? undefined) as never,
        importId: o.importId,
      });
      item.candidates.forEach((text, position) =>
        candidates.push({
          id: randomUUID(),
          promptId: id,
          position,
          text,
          source: "imported",
          // Imported candidates have no generation parameters; the column holds their import provenance.
          generationParams: (item.candidateMetadata?.[position] ?? undefined) as never,
        }),
      );
    }
    if (prompts.length) await tx.prompt.createMany({ data: prompts });
    if (candidates.length) await tx.candidate.createMany({ data: candidates });
    added += prompts.length;
    pending = [];
    setImportProgress(o.importId, { phase: "writing", linesRead: o.linesRead, promptsAdded: added });
  };

  let issues = 0;
  let lastLine = 0;
  for await (const parsed of parseImportFile(o.open(), { format: o.format, filename: o.filename })) {
    lastLine = parsed.kind === "item" ? parsed.item.line : parsed.issue.line;
    if (parsed.kind === "issue" || checkItem(parsed.item, o.k)) {
      issues++;
      continue;
    }
    const hash = contentHash(parsed.item);
    const key = keyOf(parsed.item, hash);
    if (seen.has(key) || seen.has(`h:${hash}`)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    seen.add(`h:${hash}`);
    pending.push({ item: parsed.item, hash });
    if (pending.length >= BATCH) await flush();
  }
  if (pending.length) await flush();
  // The second read must see exactly what the first one validated; anything else (a read error,
  // a file changed in between) rolls the whole transaction back.
  if (issues !== o.errorCount || lastLine !== o.linesRead) {
    throw new AppError(
      "CONFLICT",
      `The file read differently the second time (${issues} problems and ${lastLine} lines, against ${o.errorCount} and ${o.linesRead}); nothing was imported. Was it changed during the import?`,
    );
  }
  return { added, duplicates };
}
