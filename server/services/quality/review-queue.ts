// The review queue of a project: comparisons whose agreement is below the project's `reviewBelowAgreement`, or
// with a judgment that missed the gold answer (Judgment.isGoldMiss), and no adjudication yet. An adjudication
// (adjudicate-comparison.ts) resolves an item for good; a new low agreement after it does not bring it back.
//
// One statement per page: the project's comparisons through the `(projectId, …)` index, each tested by an
// EXISTS on the judgments' `(comparisonId, userId)` unique index and a NOT EXISTS on the adjudications'
// `(comparisonId, createdAt)` index; keyset pages in prompt order, then round.
import { getDb, Prisma } from "../../db";
import { AppError } from "../../errors";
import { getProjectBySlug } from "../projects/project-queries";
import { backfillAgreement } from "./refresh-agreement";

export const REVIEW_REASONS = ["low_agreement", "gold_miss"] as const;
export type TReviewReason = (typeof REVIEW_REASONS)[number];
export type TReviewCursor = { seq: number; round: number };

type TProjectThreshold = { id: string; reviewBelowAgreement: number | null };

const goldMissSql = Prisma.sql`EXISTS (SELECT 1 FROM "Judgment" j WHERE j."comparisonId" = c."id" AND j."isGoldMiss" = TRUE)`;
const lowAgreementSql = (threshold: number | null) =>
  threshold === null ? Prisma.sql`FALSE` : Prisma.sql`(c."agreement" IS NOT NULL AND c."agreement" < ${threshold})`;
const notAdjudicatedSql = Prisma.sql`NOT EXISTS (SELECT 1 FROM "Adjudication" a WHERE a."comparisonId" = c."id")`;

/** The open-item predicate of a project's comparisons (alias `c`). */
function openWhere(p: TProjectThreshold): Prisma.Sql {
  return Prisma.sql`c."projectId" = ${p.id} AND (${lowAgreementSql(p.reviewBelowAgreement)} OR ${goldMissSql}) AND ${notAdjudicatedSql}`;
}

/** Why an item is in the queue, from its agreement and whether a judgment missed gold. */
export function reviewReasons(
  agreement: number | null,
  hasGoldMiss: boolean,
  threshold: number | null,
): TReviewReason[] {
  const out: TReviewReason[] = [];
  if (threshold !== null && agreement !== null && agreement < threshold) out.push("low_agreement");
  if (hasGoldMiss) out.push("gold_miss");
  return out;
}

// Comparisons judged before agreement was stored get it once per project and process, before the first read.
const backfilled = new Set<string>();
async function ensureAgreement(projectId: string) {
  if (backfilled.has(projectId)) return;
  await backfillAgreement(projectId);
  backfilled.add(projectId);
}

const asCount = (v: bigint | number | undefined) => Number(v ?? 0);

/** Open items by reason, and the comparisons adjudicated so far (any adjudication, latest or not). */
export async function countReview(p: TProjectThreshold) {
  await ensureAgreement(p.id);
  const db = getDb();
  const [open, adjudicated] = await Promise.all([
    db.$queryRaw<{ n: bigint | number; low: bigint | number | null; gold: bigint | number | null }[]>`
      SELECT COUNT(*) AS n,
        SUM(CASE WHEN ${lowAgreementSql(p.reviewBelowAgreement)} THEN 1 ELSE 0 END) AS low,
        SUM(CASE WHEN ${goldMissSql} THEN 1 ELSE 0 END) AS gold
      FROM "Comparison" c WHERE ${openWhere(p)}`,
    db.$queryRaw<{ n: bigint | number; total: bigint | number }[]>`
      SELECT COUNT(DISTINCT a."comparisonId") AS n, COUNT(*) AS total FROM "Adjudication" a
      WHERE a."projectId" = ${p.id}`,
  ]);
  return {
    threshold: p.reviewBelowAgreement,
    open: asCount(open[0]?.n),
    lowAgreement: asCount(open[0]?.low ?? 0),
    goldMiss: asCount(open[0]?.gold ?? 0),
    adjudicated: asCount(adjudicated[0]?.n),
    adjudications: asCount(adjudicated[0]?.total),
  };
}

/** For an admin's project page: the review counts. */
export async function getReviewSummary(opts: { projectId: string }) {
  const project = await getDb().project.findUnique({
    where: { id: opts.projectId },
    select: { id: true, slug: true, reviewBelowAgreement: true },
  });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  return { slug: project.slug, ...(await countReview(project)) };
}

/** The projects a reviewer may review (all but archived ones), each with its open items. */
export async function findReviewProjects() {
  const projects = await getDb().project.findMany({
    where: { status: { not: "archived" } },
    orderBy: { createdAt: "desc" },
    select: { id: true, slug: true, name: true, status: true, reviewBelowAgreement: true },
  });
  return Promise.all(
    projects.map(async (p) => {
      const c = await countReview(p);
      return { ...p, open: c.open, adjudicated: c.adjudicated };
    }),
  );
}

/** One page of a project's open items, in prompt order (then round), each with why it is there. */
export async function findReviewQueue(opts: { projectSlug: string; cursor?: TReviewCursor; pageSize: number }) {
  const project = await getProjectBySlug({ slug: opts.projectSlug });
  await ensureAgreement(project.id);
  const db = getDb();
  const after = opts.cursor
    ? Prisma.sql` AND (c."promptSeq" > ${opts.cursor.seq} OR (c."promptSeq" = ${opts.cursor.seq} AND c."round" > ${opts.cursor.round}))`
    : Prisma.empty;
  const rows = await db.$queryRaw<
    {
      id: string;
      promptId: string;
      promptSeq: number;
      round: number;
      agreement: number | null;
      judgmentCount: number;
      goldMiss: boolean | number | bigint;
    }[]
  >`SELECT c."id", c."promptId", c."promptSeq", c."round", c."agreement", c."judgmentCount",
      CASE WHEN ${goldMissSql} THEN 1 ELSE 0 END AS "goldMiss"
    FROM "Comparison" c WHERE ${openWhere(project)}${after}
    ORDER BY c."promptSeq" ASC, c."round" ASC LIMIT ${opts.pageSize + 1}`;
  const page = rows.slice(0, opts.pageSize);
  const prompts = await db.prompt.findMany({
    where: { id: { in: page.map((r) => r.promptId) } },
    select: { id: true, messages: true },
  });
  const previews = new Map(prompts.map((p) => [p.id, previewOf(p.messages)]));
  const last = page[page.length - 1];
  return {
    project: { id: project.id, slug: project.slug, name: project.name, threshold: project.reviewBelowAgreement },
    items: page.map((r) => ({
      comparisonId: r.id,
      promptSeq: Number(r.promptSeq),
      round: Number(r.round),
      agreement: r.agreement === null ? null : Number(r.agreement),
      judgmentCount: Number(r.judgmentCount),
      preview: previews.get(r.promptId) ?? "",
      reasons: reviewReasons(
        r.agreement === null ? null : Number(r.agreement),
        Number(r.goldMiss) === 1,
        project.reviewBelowAgreement,
      ),
    })),
    nextCursor: rows.length > opts.pageSize && last ? { seq: Number(last.promptSeq), round: Number(last.round) } : null,
    counts: await countReview(project),
  };
}

/** The last user turn of a conversation, cut to a line. */
function previewOf(messages: unknown): string {
  if (!Array.isArray(messages)) return "";
  const turns = messages as { role?: unknown; content?: unknown }[];
  const last = [...turns].reverse().find((m) => m.role === "user");
  const text = typeof last?.content === "string" ? last.content.replace(/\s+/g, " ").trim() : "";
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}
