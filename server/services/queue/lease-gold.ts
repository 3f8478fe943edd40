// The gold path of label.next: one statement picks a gold comparison this labeller has neither leased nor
// skipped (in prompt order) and leases it. A gold comparison is not bounded by the project's overlap (every
// labeller may rank it once; unique (comparisonId, userId) still forbids a second lease to the same labeller),
// so its slot is one past the highest slot taken, not the lowest free slot below the overlap. Racing requests
// for the same gold comparison can compute the same slot: on PostgreSQL the loser's `ON CONFLICT DO NOTHING`
// leases nothing and the caller tries again (its next statement sees the winner's lease); on SQLite the
// statement holds the write lock from its read to its insert, so no race is lost.
import { randomUUID } from "node:crypto";
import { dbProvider, getDb, Prisma } from "../../db";

/** Lost races (PostgreSQL only) before the gold path gives up and the ordinary queue is used. */
const MAX_RETRIES = 5;

/** The candidate ids of the comparison picked (`pick`) in a random order: the shown order of a new lease. */
export function shuffledCandidates(isPg: boolean) {
  return isPg
    ? Prisma.sql`(SELECT jsonb_agg(k."id" ORDER BY random()) FROM "Candidate" k WHERE k."comparisonId" = pick."id")`
    : Prisma.sql`(SELECT json_group_array(r."id") FROM
        (SELECT k."id" FROM "Candidate" k WHERE k."comparisonId" = pick."id" ORDER BY random()) r)`;
}

export async function leaseGold(o: {
  projectId: string;
  userId: string;
  guidelineVersion: number;
  now: Date;
  expiresAt: Date;
}): Promise<string | null> {
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
    const r = await pickAndLeaseGold(o);
    if (r.assignmentId) return r.assignmentId;
    if (!r.eligible) return null;
  }
  return null;
}

async function pickAndLeaseGold(o: {
  projectId: string;
  userId: string;
  guidelineVersion: number;
  now: Date;
  expiresAt: Date;
}): Promise<{ eligible: boolean; assignmentId: string | null }> {
  const db = getDb();
  const isPg = dbProvider(db) === "postgres";
  const t = (d: Date) => (isPg ? Prisma.sql`${d.toISOString().replace("Z", "")}::timestamp(3)` : Prisma.sql`${d}`);
  const id = randomUUID();
  const pick = Prisma.sql`WITH pick AS (
      SELECT c."id", c."promptId" FROM "Comparison" c
      WHERE c."projectId" = ${o.projectId} AND c."isGold" AND c."status" = 'open'
        AND NOT EXISTS (SELECT 1 FROM "Assignment" a WHERE a."comparisonId" = c."id" AND a."userId" = ${o.userId})
        AND NOT EXISTS (SELECT 1 FROM "Skip" s WHERE s."comparisonId" = c."id" AND s."userId" = ${o.userId})
        AND (SELECT COUNT(*) FROM "Candidate" k WHERE k."comparisonId" = c."id") >= 2
      ORDER BY c."promptSeq" ASC, c."round" ASC
      LIMIT 1
    ),
    lease AS (
      SELECT pick."id", pick."promptId",
        (SELECT COALESCE(MAX(a."slot"), -1) + 1 FROM "Assignment" a WHERE a."comparisonId" = pick."id") AS "slot",
        ${shuffledCandidates(isPg)} AS "shownOrder"
      FROM pick
    )`;
  const insert = Prisma.sql`INSERT INTO "Assignment"
      ("id", "projectId", "promptId", "comparisonId", "userId", "slot", "status", "shownOrder", "guidelineVersion", "leasedAt", "expiresAt", "selection")
    SELECT ${id}, ${o.projectId}, lease."promptId", lease."id", ${o.userId}, lease."slot", 'active', lease."shownOrder",
      ${o.guidelineVersion}, ${t(o.now)}, ${t(o.expiresAt)}, 'gold'
    FROM lease`;
  if (isPg) {
    const [row] = await db.$queryRaw<{ eligible: number | bigint; id: string | null }[]>`${pick},
      ins AS (${insert} ON CONFLICT DO NOTHING RETURNING "id")
      SELECT (SELECT COUNT(*) FROM pick) AS "eligible", (SELECT "id" FROM ins) AS "id"`;
    return { eligible: Number(row!.eligible) > 0, assignmentId: row!.id };
  }
  const rows = await db.$queryRaw<{ id: string }[]>`${pick} ${insert} RETURNING "id"`;
  return { eligible: rows.length > 0, assignmentId: rows[0]?.id ?? null };
}
