// Hands a labeller the next comparison (a prompt with one candidate set) of a project under a lease.
// The database enforces the two invariants: unique (comparisonId, slot) with slot < overlap caps the
// leases per comparison, and unique (comparisonId, userId) forbids a second lease to the same
// labeller. The pick and the lease are one SQL statement (see `pickAndLease`), so a request costs a
// handful of queries whatever the contention.
import { randomUUID } from "node:crypto";
import { dbProvider, getDb, Prisma } from "../../db";
import { AppError } from "../../errors";
import { releaseExpiredLeases } from "./release-expired-leases";
import { getTask, type TTask } from "./get-task";
import { assertCanLabel } from "../projects/assert-can-label";
import { leaseGold, shuffledCandidates } from "./lease-gold";

const PAGE = 50;
/** At most one expired-lease sweep per project per this many ms (of `now`) in one process. */
const SWEEP_EVERY_MS = 1_000;
/** Lost races on PostgreSQL (a stale snapshot hit a unique index) before giving up on a page. */
const MAX_RETRIES = 20;

export async function leaseNext(opts: {
  userId: string;
  projectSlug: string;
  now?: Date;
  /** Draws the gold-rate coin, in [0, 1); tests inject a seeded one. */
  random?: () => number;
}): Promise<TTask | null> {
  const db = getDb();
  const now = opts.now ?? new Date();
  const project = await db.project.findUnique({ where: { slug: opts.projectSlug } });
  if (!project) throw new AppError("NOT_FOUND", `No project "${opts.projectSlug}".`);
  if (project.status !== "active")
    throw new AppError("CONFLICT", `The project "${project.name}" is ${project.status}; there is nothing to label.`);
  await assertCanLabel(project, opts.userId);

  // An open lease of this labeller comes first: reloading the page returns the same task.
  const open = await db.assignment.findFirst({
    where: { userId: opts.userId, projectId: project.id, status: "active", expiresAt: { gt: now } },
    orderBy: { leasedAt: "asc" },
  });
  if (open) return renewAndGet(open.id, project.leaseMinutes, now);

  await sweepExpired(project.id, now);
  const expiresAt = new Date(now.getTime() + project.leaseMinutes * 60_000);
  // A share `goldRate` of leases try a gold comparison first (lease-gold.ts); none left for this labeller: the queue.
  if (project.goldRate > 0 && (opts.random ?? Math.random)() < project.goldRate) {
    const goldLease = await leaseGold({
      projectId: project.id,
      userId: opts.userId,
      guidelineVersion: project.guidelineVersion,
      now,
      expiresAt,
    });
    if (goldLease) return getTask({ assignmentId: goldLease, userId: opts.userId });
  }
  let skipPast = 0;
  let retries = 0;
  for (;;) {
    const r = await pickAndLease({
      projectId: project.id,
      byUncertainty: project.taskSelection === "uncertainty",
      userId: opts.userId,
      overlap: project.overlap,
      guidelineVersion: project.guidelineVersion,
      now,
      expiresAt,
      offset: skipPast,
    });
    if (r.assignmentId) {
      if (project.suggestOrder) await recordSuggestedOrder(r.assignmentId);
      return getTask({ assignmentId: r.assignmentId, userId: opts.userId });
    }
    // A lost race (PostgreSQL only): run it again; the next statement sees the winner's committed lease.
    if (r.eligible > 0) {
      if (++retries > MAX_RETRIES)
        throw new AppError("CONFLICT", "Too many labellers asked for this project's next task at once; try again.");
      // Rows locked by a submit's transaction stay locked for its round trips: back off a little.
      if (retries > 2) await new Promise((resolve) => setTimeout(resolve, 2 * retries));
      continue;
    }
    if (r.paged < PAGE) return null;
    skipPast += PAGE; // every comparison of this page is fully leased (or locked): the next page
    retries = 0;
  }
}

// Expired leases are deleted (which frees their slot) before a pick; the worker also sweeps every minute.
// Checking on every call cost a query per request under load; once a second per project is enough.
const lastSweep = new Map<string, number>();
async function sweepExpired(projectId: string, now: Date): Promise<void> {
  const last = lastSweep.get(projectId);
  if (last !== undefined && Math.abs(now.getTime() - last) < SWEEP_EVERY_MS) return;
  lastSweep.set(projectId, now.getTime());
  await releaseExpiredLeases({ projectId, now });
}

type TPickRow = { paged: number | bigint; eligible: number | bigint; id: string | null };

/**
 * One statement picks the comparison and inserts the lease. The page is the next PAGE non-gold comparisons in queue
 * order (closest to completion first, then prompt order) that this labeller has neither leased nor skipped;
 * of those with a free slot and at least two candidates, the most leased is taken (it completes soonest), in
 * queue order; the lease gets the lowest free slot and a shuffled shown order.
 * - SQLite: a writing statement takes the write lock before it reads, so it is its own IMMEDIATE
 *   transaction: no other writer can come between the pick and the insert, and no race is ever lost.
 * - PostgreSQL: the chosen comparison row is locked `FOR UPDATE SKIP LOCKED`, so requests at the same moment
 *   take different comparisons (and one submitting a judgment for it is skipped) instead of colliding. A
 *   request whose snapshot predates a just-committed lease can still hit a unique index; `ON CONFLICT DO
 *   NOTHING` turns that into "nothing leased". Either way (a conflict, or every eligible row locked by others at
 *   that instant) the statement reports eligible comparisons but no lease, and the caller runs it again.
 */
async function pickAndLease(o: {
  projectId: string;
  /** Uncertainty sampling: the comparisons whose candidates the reward model separates least come first. */
  byUncertainty: boolean;
  userId: string;
  overlap: number;
  guidelineVersion: number;
  now: Date;
  expiresAt: Date;
  offset: number;
}): Promise<{ paged: number; eligible: number; assignmentId: string | null }> {
  const db = getDb();
  const isPg = dbProvider(db) === "postgres";
  const t = (d: Date) => (isPg ? Prisma.sql`${d.toISOString().replace("Z", "")}::timestamp(3)` : Prisma.sql`${d}`);
  const id = randomUUID();
  // Uncertainty sampling puts the smallest reward-model gap first; comparisons without scores follow in queue order.
  const first = o.byUncertainty
    ? Prisma.sql`CASE WHEN c."rewardMargin" IS NULL THEN 1 ELSE 0 END, c."rewardMargin" ASC,`
    : Prisma.empty;
  const firstPicked = o.byUncertainty
    ? Prisma.sql`CASE WHEN e."rewardMargin" IS NULL THEN 1 ELSE 0 END, e."rewardMargin" ASC,`
    : Prisma.empty;
  const withSlots = Prisma.sql`WITH RECURSIVE slots(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM slots WHERE n + 1 < ${o.overlap}),
    page AS (
      SELECT c."id", c."promptId", c."judgmentCount", c."promptSeq", c."round", c."rewardMargin",
        (SELECT COUNT(*) FROM "Assignment" a WHERE a."comparisonId" = c."id") AS "leases"
      FROM "Comparison" c
      WHERE c."projectId" = ${o.projectId} AND c."status" = 'open' AND c."judgmentCount" < ${o.overlap} AND NOT c."isGold"
        AND NOT EXISTS (SELECT 1 FROM "Assignment" a WHERE a."comparisonId" = c."id" AND a."userId" = ${o.userId})
        AND NOT EXISTS (SELECT 1 FROM "Skip" s WHERE s."comparisonId" = c."id" AND s."userId" = ${o.userId})
      ORDER BY ${first} c."judgmentCount" DESC, c."promptSeq" ASC, c."round" ASC
      LIMIT ${PAGE} OFFSET ${o.offset}
    ),
    eligible AS (
      SELECT p.* FROM page p
      WHERE p."leases" < ${o.overlap} AND (SELECT COUNT(*) FROM "Candidate" k WHERE k."comparisonId" = p."id") >= 2
    ),
    pick AS (
      SELECT c."id", c."promptId", c."rewardMargin" FROM "Comparison" c JOIN eligible e ON e."id" = c."id"
      ORDER BY ${firstPicked} e."leases" DESC, e."judgmentCount" DESC, e."promptSeq" ASC, e."round" ASC
      LIMIT 1 ${isPg ? Prisma.sql`FOR UPDATE OF c SKIP LOCKED` : Prisma.empty}
    ),
    lease AS (
      SELECT pick."id", pick."promptId",
        CASE WHEN pick."rewardMargin" IS NOT NULL AND ${o.byUncertainty} THEN 'uncertainty' ELSE 'queue' END AS "selection",
        (SELECT MIN(n) FROM slots WHERE NOT EXISTS
          (SELECT 1 FROM "Assignment" a WHERE a."comparisonId" = pick."id" AND a."slot" = slots.n)) AS "slot",
        ${shuffledCandidates(isPg)} AS "shownOrder"
      FROM pick
    )`;
  const insert = Prisma.sql`INSERT INTO "Assignment"
      ("id", "projectId", "promptId", "comparisonId", "userId", "slot", "status", "shownOrder", "guidelineVersion", "leasedAt", "expiresAt", "selection")
    SELECT ${id}, ${o.projectId}, lease."promptId", lease."id", ${o.userId}, lease."slot", 'active', lease."shownOrder",
      ${o.guidelineVersion}, ${t(o.now)}, ${t(o.expiresAt)}, lease."selection"
    FROM lease WHERE lease."slot" IS NOT NULL`;
  if (isPg) {
    const [row] = await db.$queryRaw<TPickRow[]>`${withSlots},
      ins AS (${insert} ON CONFLICT DO NOTHING RETURNING "id")
      SELECT (SELECT COUNT(*) FROM page) AS "paged", (SELECT COUNT(*) FROM eligible) AS "eligible",
        (SELECT "id" FROM ins) AS "id"`;
    return { paged: Number(row!.paged), eligible: Number(row!.eligible), assignmentId: row!.id };
  }
  // SQLite has no data-modifying CTE; the statement either leases (one row back) or finds nothing to lease.
  const rows = await db.$queryRaw<{ id: string }[]>`${withSlots} ${insert} RETURNING "id"`;
  if (rows[0]) return { paged: 0, eligible: 1, assignmentId: rows[0].id };
  const [page] = await db.$queryRaw<
    TPickRow[]
  >`${withSlots} SELECT (SELECT COUNT(*) FROM page) AS "paged", 0 AS "eligible", NULL AS "id"`;
  return { paged: Number(page!.paged), eligible: 0, assignmentId: null };
}

/**
 * With the project's "suggested order" on, the lease records the reward model's order of its candidates (best
 * first) when every candidate has a score; the task shows it, and the judgment keeps it.
 */
async function recordSuggestedOrder(assignmentId: string): Promise<void> {
  const db = getDb();
  const a = await db.assignment.findUniqueOrThrow({
    where: { id: assignmentId },
    select: { comparison: { select: { candidates: { select: { id: true, rewardScore: true } } } } },
  });
  const scored = a.comparison.candidates;
  if (scored.length < 2 || scored.some((c) => c.rewardScore === null)) return;
  const order = [...scored]
    .sort((x, y) => y.rewardScore! - x.rewardScore! || x.id.localeCompare(y.id))
    .map((c) => c.id);
  await db.assignment.update({ where: { id: assignmentId }, data: { suggestedOrder: order } });
}

async function renewAndGet(assignmentId: string, leaseMinutes: number, now: Date): Promise<TTask> {
  const db = getDb();
  const a = await db.assignment.update({
    where: { id: assignmentId },
    data: { expiresAt: new Date(now.getTime() + leaseMinutes * 60_000) },
  });
  return getTask({ assignmentId: a.id, userId: a.userId });
}
