// Numbers for an admin's project overview: comparison states (a prompt's candidate set of one round), throughput
// per day (in all and per labeller), each labeller's totals, the distribution of time on task, skips by reason.
// Judgments and skips of the window are read in keyset pages of the few columns needed, so a big project never
// loads its rankings.
import { getDb } from "../../db";
import { AppError } from "../../errors";

export const DASHBOARD_DAYS = { default: 30, min: 7, max: 365 } as const;
/** Labellers drawn as their own series in the throughput chart; the rest are summed as "others". */
export const THROUGHPUT_SERIES = 8;
/**
 * Time-on-task bins (active time: the page visible and the labeller not idle), in seconds. Doubling widths
 * read well on a linear axis and keep the too-fast end (under 5 s) apart.
 */
export const TIME_BINS_S = [0, 5, 10, 20, 40, 80, 160, 320] as const;

const PAGE = 5000;
const DAY_MS = 86_400_000;
const dayKey = (d: Date) => d.toISOString().slice(0, 10);

/** The q-quantile of sorted values by linear interpolation (R-7, numpy's default); null when empty. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

export function timeBin(activeMs: number): number {
  const s = activeMs / 1000;
  let i = 0;
  while (i + 1 < TIME_BINS_S.length && s >= TIME_BINS_S[i + 1]!) i++;
  return i;
}

type TLabellerAcc = { judgments: number; perDay: number[]; activeMs: number[] };

export async function getProjectDashboard(opts: { projectId: string; days?: number; now?: Date }) {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: opts.projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const days = opts.days ?? DASHBOARD_DAYS.default;
  if (!Number.isInteger(days) || days < DASHBOARD_DAYS.min || days > DASHBOARD_DAYS.max)
    throw new AppError("BAD_INPUT", `days: a whole number from ${DASHBOARD_DAYS.min} to ${DASHBOARD_DAYS.max}.`);
  const where = { projectId: project.id };
  // Progress counts the project's own comparisons: a gold comparison is ranked by every labeller, past the
  // overlap, and would read as "complete" work that adds nothing to the dataset.
  const ownWhere = { projectId: project.id, isGold: false };
  const [total, complete, untouched, judgments, skips, byLabeller, skipsByLabeller] = await Promise.all([
    db.comparison.count({ where: { ...ownWhere, status: { not: "retired" } } }),
    db.comparison.count({
      where: { ...ownWhere, status: { not: "retired" }, judgmentCount: { gte: project.overlap } },
    }),
    db.comparison.count({
      where: {
        ...ownWhere,
        status: { not: "retired" },
        judgmentCount: 0,
        assignments: { none: {} },
        skips: { none: {} },
      },
    }),
    db.judgment.count({ where }),
    db.skip.groupBy({ by: ["reason"], where, _count: { _all: true } }),
    db.judgment.groupBy({ by: ["userId"], where, _count: { _all: true }, _max: { createdAt: true } }),
    db.skip.groupBy({ by: ["userId"], where, _count: { _all: true } }),
  ]);

  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - (days - 1) * DAY_MS);
  since.setUTCHours(0, 0, 0, 0);
  const dayList: string[] = [];
  for (let d = new Date(since); d <= now; d = new Date(d.getTime() + DAY_MS)) dayList.push(dayKey(d));
  const dayIndex = new Map(dayList.map((d, i) => [d, i]));
  const perDay = dayList.map(() => 0);
  const skipsPerDay = dayList.map(() => 0);
  const bins = TIME_BINS_S.map(() => 0);
  const allActive: number[] = [];
  const acc = new Map<string, TLabellerAcc>();

  let cursor: string | undefined;
  for (;;) {
    const page = await db.judgment.findMany({
      where: { ...where, createdAt: { gte: since } },
      select: { id: true, createdAt: true, userId: true, activeMs: true },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const j of page) {
      const d = dayIndex.get(dayKey(j.createdAt));
      if (d === undefined) continue; // a clock ahead of `now`
      perDay[d]!++;
      bins[timeBin(j.activeMs)]!++;
      allActive.push(j.activeMs);
      let a = acc.get(j.userId);
      if (!a) acc.set(j.userId, (a = { judgments: 0, perDay: dayList.map(() => 0), activeMs: [] }));
      a.judgments++;
      a.perDay[d]!++;
      a.activeMs.push(j.activeMs);
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]?.id;
  }
  let skipCursor: string | undefined;
  for (;;) {
    const page = await db.skip.findMany({
      where: { ...where, createdAt: { gte: since } },
      select: { id: true, createdAt: true },
      orderBy: { id: "asc" },
      take: PAGE,
      ...(skipCursor ? { cursor: { id: skipCursor }, skip: 1 } : {}),
    });
    for (const s of page) {
      const d = dayIndex.get(dayKey(s.createdAt));
      if (d !== undefined) skipsPerDay[d]!++;
    }
    if (page.length < PAGE) break;
    skipCursor = page[page.length - 1]?.id;
  }

  const userIds = [...new Set([...byLabeller.map((r) => r.userId), ...skipsByLabeller.map((r) => r.userId)])];
  const users = await db.user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, name: true, email: true },
  });
  const nameOf = new Map(users.map((u) => [u.id, u.name || u.email]));
  const skipCount = new Map(skipsByLabeller.map((r) => [r.userId, r._count._all]));
  const perLabeller = userIds
    .map((userId) => {
      const all = byLabeller.find((r) => r.userId === userId);
      const w = acc.get(userId);
      const sorted = [...(w?.activeMs ?? [])].sort((x, y) => x - y);
      return {
        userId,
        name: nameOf.get(userId) ?? "(deleted user)",
        judgments: all?._count._all ?? 0,
        skips: skipCount.get(userId) ?? 0,
        judgmentsInWindow: w?.judgments ?? 0,
        medianActiveMs: quantile(sorted, 0.5),
        lastJudgmentAt: all?._max.createdAt ?? null,
      };
    })
    .sort(
      (x, y) => y.judgmentsInWindow - x.judgmentsInWindow || y.judgments - x.judgments || x.name.localeCompare(y.name),
    );

  // The busiest labellers of the window get their own series; "others" is what remains of each day.
  const top = perLabeller.filter((l) => l.judgmentsInWindow > 0).slice(0, THROUGHPUT_SERIES);
  const othersPerDay = perDay.map((n, d) => n - top.reduce((s, l) => s + acc.get(l.userId)!.perDay[d]!, 0));
  const throughput = {
    series: [
      ...top.map((l) => ({ key: l.userId, name: l.name, perDay: acc.get(l.userId)!.perDay })),
      ...(othersPerDay.some((n) => n > 0) ? [{ key: "others", name: "Others", perDay: othersPerDay }] : []),
    ],
  };
  const sortedActive = allActive.sort((x, y) => x - y);

  return {
    prompts: { total, complete, untouched, inProgress: total - complete - untouched },
    judgments,
    labellers: byLabeller.length,
    days,
    dayList,
    judgmentsPerDay: dayList.map((day, d) => ({ day, count: perDay[d]!, skips: skipsPerDay[d]! })),
    throughput,
    perLabeller,
    timeOnTask: {
      n: sortedActive.length,
      medianMs: quantile(sortedActive, 0.5),
      p90Ms: quantile(sortedActive, 0.9),
      bins: TIME_BINS_S.map((from, i) => ({
        fromS: from,
        toS: TIME_BINS_S[i + 1] ?? null,
        count: bins[i]!,
      })),
    },
    skipReasons: skips
      .map((s) => ({ reason: s.reason, count: s._count._all }))
      .sort((x, y) => y.count - x.count || x.reason.localeCompare(y.reason)),
  };
}

export type TProjectDashboard = Awaited<ReturnType<typeof getProjectDashboard>>;
