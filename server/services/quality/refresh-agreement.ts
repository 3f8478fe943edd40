// Keeps Comparison.agreement (stats/comparison-agreement.ts) in step with the comparison's judgments.
//
// Race-safe without a lock: the value is computed from the judgments read, and written only while the row's
// judgmentCount still equals the number of judgments it was computed from (judgments are immutable, and each
// insert raises judgmentCount in the same statement or transaction). A submit that commits in between makes
// this write a no-op, and its own refresh, which runs after its commit, reads every judgment. So the refresh of
// the last judgment to commit writes the value of all of them. On PostgreSQL the condition is re-checked on the
// row's latest version when a concurrent increment holds it.
import { getDb, type DbTx } from "../../db";
import { comparisonAgreement } from "./stats/comparison-agreement";
import type { Tiers } from "./stats/rankings";

function asTiers(v: unknown): string[][] {
  return Array.isArray(v)
    ? v.filter(Array.isArray).map((t) => t.filter((id): id is string => typeof id === "string"))
    : [];
}

/** Recomputes one comparison's agreement; inside the submit transaction on SQLite, after its statement on PostgreSQL. */
export async function refreshAgreement(
  db: DbTx,
  comparisonId: string,
  /** Tests only: runs between the read and the write, to interleave another submit there. */
  afterRead?: () => Promise<void>,
): Promise<void> {
  const rows = await db.judgment.findMany({ where: { comparisonId }, select: { tiers: true } });
  const agreement = comparisonAgreement(rows.map((r) => asTiers(r.tiers) as Tiers));
  await afterRead?.();
  await db.comparison.updateMany({ where: { id: comparisonId, judgmentCount: rows.length }, data: { agreement } });
}

const BACKFILL_PAGE = 200;

/**
 * One-off for comparisons judged before agreement was stored (or by a path that does not refresh it): those of
 * the project with two judgments or more and no agreement get one. Each is tried once per call (keyset on id),
 * so a call always ends. Returns how many it computed.
 */
export async function backfillAgreement(projectId: string): Promise<number> {
  const db = getDb();
  let after: string | undefined;
  let done = 0;
  for (;;) {
    const page = await db.comparison.findMany({
      where: { projectId, agreement: null, judgmentCount: { gte: 2 }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
      take: BACKFILL_PAGE,
    });
    for (const c of page) await refreshAgreement(db, c.id);
    done += page.length;
    if (page.length < BACKFILL_PAGE) return done;
    after = page[page.length - 1]!.id;
  }
}
