// The job table as a queue: enqueue (idempotent by id), claim one due job, finish or fail it.
// Claiming is a conditional update on the status, so two workers cannot run the same job.
import { getDb } from "../db";
import { JOBS, type TJobKind, type TJobPayload } from "./contracts";
import { isUniqueViolation } from "../services/queue/is-unique-violation";

export async function enqueueJob<K extends TJobKind>(opts: {
  id: string;
  kind: K;
  payload: TJobPayload<K>;
  runAt?: Date;
}): Promise<boolean> {
  const payload = JOBS[opts.kind].payload.parse(opts.payload);
  try {
    await getDb().job.create({
      data: {
        id: opts.id,
        kind: opts.kind,
        version: JOBS[opts.kind].version,
        payload,
        runAt: opts.runAt ?? new Date(),
      },
    });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false; // already enqueued by someone else
    throw e;
  }
}

export async function claimJob(opts: { workerId: string; kinds: string[]; now?: Date }) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const due = await db.job.findMany({
    where: { status: "queued", runAt: { lte: now }, kind: { in: opts.kinds } },
    orderBy: { runAt: "asc" },
    take: 5,
  });
  for (const job of due) {
    const { count } = await db.job.updateMany({
      where: { id: job.id, status: "queued" },
      data: { status: "running", lockedBy: opts.workerId, lockedAt: now, attempts: { increment: 1 } },
    });
    if (count === 1) return { ...job, attempts: job.attempts + 1 };
  }
  return null;
}

export async function finishJob(id: string, result: unknown) {
  await getDb().job.update({
    where: { id },
    data: { status: "done", result: (result ?? null) as never, finishedAt: new Date() },
  });
}

const MAX_ATTEMPTS = 3;
export async function failJob(id: string, attempts: number, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  const isFinal = attempts >= MAX_ATTEMPTS;
  await getDb().job.update({
    where: { id },
    data: isFinal
      ? { status: "failed", error: message, finishedAt: new Date() }
      : { status: "queued", error: message, runAt: new Date(Date.now() + 2 ** attempts * 1000) }, // back off
  });
}

/** Deletes finished (done) jobs older than `before`; failed ones stay for inspection. */
export async function pruneFinishedJobs(before: Date): Promise<number> {
  const { count } = await getDb().job.deleteMany({ where: { status: "done", finishedAt: { lt: before } } });
  return count;
}
