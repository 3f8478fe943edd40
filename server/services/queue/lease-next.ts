// Hands a labeller the next comparison (a prompt with one candidate set) of a project under a lease.
// The database enforces the two invariants: unique (comparisonId, slot) with slot < overlap caps the
// leases per comparison, and unique (comparisonId, userId) forbids a second lease to the same
// labeller; racing requests lose on a unique violation and try the next slot or comparison.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { isUniqueViolation } from "./is-unique-violation";
import { releaseExpiredLeases } from "./release-expired-leases";
import { shuffled } from "./shuffle";
import { getTask, type TTask } from "./get-task";
import { assertCanLabel } from "../projects/assert-can-label";

const PAGE = 50;

export async function leaseNext(opts: { userId: string; projectSlug: string; now?: Date }): Promise<TTask | null> {
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

  await releaseExpiredLeases({ projectId: project.id, now });
  const expiresAt = new Date(now.getTime() + project.leaseMinutes * 60_000);
  let skipPast = 0;
  for (;;) {
    // Comparisons closest to completion first, then in prompt order: finished prompts sooner, fewer
    // half-done ones. One index serves it: (projectId, status, judgmentCount, promptSeq).
    const page = await db.comparison.findMany({
      where: {
        projectId: project.id,
        status: "open",
        judgmentCount: { lt: project.overlap },
        assignments: { none: { userId: opts.userId } },
        skips: { none: { userId: opts.userId } },
      },
      orderBy: [{ judgmentCount: "desc" }, { promptSeq: "asc" }, { round: "asc" }],
      skip: skipPast,
      take: PAGE,
      select: { id: true, promptId: true },
    });
    if (page.length === 0) return null;
    skipPast += page.length;
    // The page's lease and candidate counts, in queries bounded by its ids. (A relation `_count` in the
    // query above aggregated every assignment and candidate; on PostgreSQL right after a large import it
    // took over a minute a call with 50 labellers.)
    const ids = page.map((c) => c.id);
    const [leased, shown] = await Promise.all([
      db.assignment.groupBy({ by: ["comparisonId"], where: { comparisonId: { in: ids } }, _count: { _all: true } }),
      db.candidate.groupBy({ by: ["comparisonId"], where: { comparisonId: { in: ids } }, _count: { _all: true } }),
    ]);
    const leases = new Map(leased.map((g) => [g.comparisonId, g._count._all]));
    const candidates = new Map(shown.map((g) => [g.comparisonId, g._count._all]));
    const open = page
      .map((c) => ({ ...c, leases: leases.get(c.id) ?? 0 }))
      .filter((c) => c.leases < project.overlap && (candidates.get(c.id) ?? 0) >= 2)
      .sort((a, b) => b.leases - a.leases);
    // In order while uncontended; after a lost race, a random one of the rest, so labellers asking at the
    // same moment spread over the page instead of losing slot after slot to each other (each loss costs a
    // round of queries).
    let isContended = false;
    while (open.length > 0) {
      const [comparison] = open.splice(isContended ? Math.floor(Math.random() * open.length) : 0, 1);
      isContended = true;
      const assignmentId = await tryLease({
        comparisonId: comparison!.id,
        promptId: comparison!.promptId,
        projectId: project.id,
        userId: opts.userId,
        overlap: project.overlap,
        expiresAt,
        guidelineVersion: project.guidelineVersion,
      });
      if (assignmentId) return getTask({ assignmentId, userId: opts.userId });
    }
  }
}

async function tryLease(opts: {
  comparisonId: string;
  promptId: string;
  projectId: string;
  userId: string;
  overlap: number;
  expiresAt: Date;
  guidelineVersion: number;
}): Promise<string | null> {
  const db = getDb();
  const taken = new Set(
    (await db.assignment.findMany({ where: { comparisonId: opts.comparisonId }, select: { slot: true } })).map(
      (a) => a.slot,
    ),
  );
  const candidates = await db.candidate.findMany({
    where: { comparisonId: opts.comparisonId },
    select: { id: true },
    orderBy: { position: "asc" },
  });
  for (let slot = 0; slot < opts.overlap; slot++) {
    if (taken.has(slot)) continue;
    try {
      const created = await db.assignment.create({
        data: {
          projectId: opts.projectId,
          promptId: opts.promptId,
          comparisonId: opts.comparisonId,
          userId: opts.userId,
          slot,
          shownOrder: shuffled(candidates.map((c) => c.id)),
          expiresAt: opts.expiresAt,
          guidelineVersion: opts.guidelineVersion,
        },
      });
      return created.id;
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      // Someone took this slot, or this labeller got the prompt in a parallel request.
      const mine = await db.assignment.findUnique({
        where: { comparisonId_userId: { comparisonId: opts.comparisonId, userId: opts.userId } },
      });
      if (mine) return mine.status === "active" ? mine.id : null;
    }
  }
  return null;
}

async function renewAndGet(assignmentId: string, leaseMinutes: number, now: Date): Promise<TTask> {
  const db = getDb();
  const a = await db.assignment.update({
    where: { id: assignmentId },
    data: { expiresAt: new Date(now.getTime() + leaseMinutes * 60_000) },
  });
  return getTask({ assignmentId: a.id, userId: a.userId });
}
