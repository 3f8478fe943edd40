// Workers as they report themselves: each worker process upserts its row (host, pid, release, the
// onnxruntime execution provider and threads its model jobs use) when it starts and on every heartbeat,
// and marks it stopped when it exits cleanly. A worker killed without a chance to say so simply stops
// beating: the admin sees how long ago it was last seen.
import { getDb } from "../db";

export type TWorkerReport = {
  id: string;
  hostname: string;
  pid: number;
  version: string;
  executionProvider: "cpu" | "cuda";
  intraOpThreads: number;
  interOpThreads: number;
  cpus: number;
  heartbeatMs: number;
};

/** Rows of workers not seen for this long are deleted by the next report. */
const FORGET_AFTER_MS = 7 * 86_400_000;

/** At start (`isStart`: a new process, perhaps with a reused host:pid) or on a heartbeat. */
export async function reportWorker(w: TWorkerReport, o: { isStart: boolean; now?: Date }): Promise<void> {
  const db = getDb();
  const now = o.now ?? new Date();
  const { id, ...rest } = w;
  await db.worker.upsert({
    where: { id },
    create: { id, ...rest, startedAt: now, lastSeenAt: now },
    // A beat never revives a worker marked stopped.
    update: o.isStart ? { ...rest, startedAt: now, lastSeenAt: now, stoppedAt: null } : { lastSeenAt: now },
  });
  await db.worker.deleteMany({ where: { lastSeenAt: { lt: new Date(now.getTime() - FORGET_AFTER_MS) } } });
}

export async function markWorkerStopped(id: string, now = new Date()): Promise<void> {
  await getDb().worker.updateMany({ where: { id }, data: { stoppedAt: now, lastSeenAt: now } });
}

/**
 * Workers seen in the last day, the live ones first, each with the jobs it holds. A worker is "live" when
 * it has not stopped and beat within three of its heartbeat intervals, "silent" when it missed more.
 */
export async function findWorkers(o: { now?: Date } = {}) {
  const db = getDb();
  const now = o.now ?? new Date();
  const rows = await db.worker.findMany({
    where: { lastSeenAt: { gte: new Date(now.getTime() - 86_400_000) } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    take: 100,
  });
  const running = await db.job.findMany({
    where: { status: "running", lockedBy: { in: rows.map((r) => r.id) } },
    select: { id: true, kind: true, lockedBy: true },
  });
  const state = (r: (typeof rows)[number]): "live" | "silent" | "stopped" =>
    r.stoppedAt ? "stopped" : now.getTime() - r.lastSeenAt.getTime() > 3 * r.heartbeatMs ? "silent" : "live";
  const order = { live: 0, silent: 1, stopped: 2 } as const;
  return rows
    .map((r) => ({ ...r, state: state(r), jobs: running.filter((j) => j.lockedBy === r.id) }))
    .sort((a, b) => order[a.state] - order[b.state]);
}
