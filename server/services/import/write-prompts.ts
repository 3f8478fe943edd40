// The import's writes: one batch of prompts per short transaction, and the removal of everything an
// import wrote (a failed or re-run import). The only place imports write prompts and candidates.
// Imported candidates form each prompt's round-0 comparison, "pending" until the import is done
// (an import still writing, or failing, may remove them again), then opened in one statement.
// Rankings the file carries (OASST ranks, Label Studio and Argilla annotations) are written in the same
// transaction as their prompt: an imported account per annotator, a submitted assignment and the judgment,
// counted in the comparison's judgmentCount (so they count toward the project's overlap).
import { randomUUID } from "node:crypto";
import { getDb, type DbTx } from "../../db";
import type { Prisma } from "../../../generated/sqlite/client";
import type { TImportItem } from "./import-types";
import { ensureImportedAccounts } from "./imported-accounts";

export type TPendingPrompt = { item: TImportItem; hash: string };

// Prisma's default cap on an interactive transaction is 5 s. A batch of 500 prompts with their candidates
// passed it on a loaded machine (PostgreSQL, 5.8 s) and the whole import failed; the batch is bounded, so a
// longer cap only lets a slow machine finish it.
const WRITE_TX = { maxWait: 10_000, timeout: 60_000 };

/** Writes prompts not yet in the project (by external id or content) and counts them on the import. */
export async function writePromptBatch(o: {
  projectId: string;
  importId: string;
  source: "import" | "demo";
  pending: TPendingPrompt[];
}): Promise<{ added: number; duplicates: number }> {
  return getDb().$transaction(async (tx) => {
    // Touching the project row locks it until commit (PostgreSQL): concurrent writers into one project
    // take turns, so two cannot start numbering from the same `seq`.
    const project = await tx.project.update({ where: { id: o.projectId }, data: { updatedAt: new Date() } });
    let seq = (await tx.prompt.aggregate({ where: { projectId: o.projectId }, _max: { seq: true } }))._max.seq ?? 0;
    const hashes = o.pending.map((p) => p.hash);
    const ids = o.pending.flatMap((p) => (p.item.externalId !== undefined ? [p.item.externalId] : []));
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
    const comparisons: Prisma.ComparisonCreateManyInput[] = [];
    const candidates: Prisma.CandidateCreateManyInput[] = [];
    const assignments: Prisma.AssignmentCreateManyInput[] = [];
    const judgments: Prisma.JudgmentCreateManyInput[] = [];
    const isNew = ({ item, hash }: TPendingPrompt) =>
      !present.has(`h:${hash}`) && !(item.externalId !== undefined && present.has(`id:${item.externalId}`));
    const accountOf = await ensureImportedAccounts(
      tx,
      o.pending.filter(isNew).flatMap((p) => p.item.judgments ?? []),
    );
    for (const { item, hash } of o.pending) {
      if (!isNew({ item, hash })) continue;
      const id = randomUUID();
      prompts.push({
        id,
        projectId: o.projectId,
        seq: ++seq,
        messages: item.messages,
        source: o.source,
        externalId: item.externalId ?? null,
        contentHash: hash,
        metadata: (item.metadata ?? undefined) as never,
        importId: o.importId,
      });
      if (item.candidates.length === 0) continue; // a prompt alone waits for generated candidates
      const comparisonId = randomUUID();
      const ranked = item.judgments ?? [];
      comparisons.push({
        id: comparisonId,
        projectId: o.projectId,
        promptId: id,
        promptSeq: seq,
        status: "pending",
        judgmentCount: ranked.length,
      });
      const candidateIds = item.candidates.map(() => randomUUID());
      ranked.forEach((j, slot) => {
        const assignmentId = randomUUID();
        const userId = accountOf(j.from, j.annotator);
        const at = j.createdAt ?? new Date();
        // Shown "in import order": the other tool's order is not known, so bias audits should leave these out.
        const common = { projectId: o.projectId, promptId: id, comparisonId, userId, shownOrder: candidateIds };
        assignments.push({
          ...common,
          id: assignmentId,
          slot,
          status: "submitted",
          guidelineVersion: project.guidelineVersion,
          leasedAt: at,
          expiresAt: at,
          finishedAt: at,
        });
        judgments.push({
          ...common,
          assignmentId,
          tiers: j.tiers.map((tier) => tier.map((position) => candidateIds[position]!)),
          flags: {},
          totalMs: 0,
          activeMs: 0,
          guidelineVersion: project.guidelineVersion,
          createdAt: at,
        });
      });
      item.candidates.forEach((text, position) =>
        candidates.push({
          id: candidateIds[position]!,
          promptId: id,
          comparisonId,
          position,
          text,
          source: "imported",
          // Imported candidates have no generation parameters; the column holds their import provenance.
          generationParams: (item.candidateMetadata?.[position] ?? undefined) as never,
        }),
      );
    }
    if (prompts.length) await tx.prompt.createMany({ data: prompts });
    if (comparisons.length) await tx.comparison.createMany({ data: comparisons });
    if (candidates.length) await tx.candidate.createMany({ data: candidates });
    if (assignments.length) await tx.assignment.createMany({ data: assignments });
    if (judgments.length) await tx.judgment.createMany({ data: judgments });
    const duplicates = o.pending.length - prompts.length;
    await tx.importBatch.update({
      where: { id: o.importId },
      data: { promptsAdded: { increment: prompts.length }, duplicates: { increment: duplicates } },
    });
    return { added: prompts.length, duplicates };
  }, WRITE_TX);
}

/** Opens the comparisons of a finished import to labellers (part of the transaction that marks it done). */
export function openImportedComparisons(tx: DbTx, importId: string) {
  return tx.comparison.updateMany({ where: { prompt: { importId }, status: "pending" }, data: { status: "open" } });
}

/**
 * Deletes the prompts (and their comparisons, candidates, and the imported judgments with their assignments) an
 * import wrote, a page per transaction. The imported accounts stay: they are shared by every import of the tool.
 */
export async function removeImportedRows(importId: string): Promise<number> {
  const db = getDb();
  let removed = 0;
  for (;;) {
    const page = (await db.prompt.findMany({ where: { importId }, select: { id: true }, take: 1000 })).map((p) => p.id);
    if (page.length === 0) return removed;
    await db.$transaction([
      db.judgment.deleteMany({ where: { promptId: { in: page } } }),
      db.assignment.deleteMany({ where: { promptId: { in: page } } }),
      db.candidate.deleteMany({ where: { promptId: { in: page } } }),
      db.comparison.deleteMany({ where: { promptId: { in: page } } }),
      db.prompt.deleteMany({ where: { id: { in: page } } }),
    ]);
    removed += page.length;
  }
}
