// The job table as a durable queue. A claim takes a lease (lockedBy, lockedUntil) that the worker
// renews while the handler runs; a job whose lease ran out is claimable again (its worker died).
// Claims are one atomic statement: `FOR UPDATE SKIP LOCKED` on PostgreSQL (racing workers skip
// each other's rows instead of waiting or double-claiming), a conditional UPDATE on SQLite (one
// writer at a time). Every write after the claim is conditioned on the lease holder, so a worker
// that lost its lease cannot overwrite the new holder's outcome.
import { randomUUID } from "node:crypto";
import { Prisma, dbProvider, getDb } from "../db";
import { isUniqueViolation } from "../services/queue/is-unique-violation";
import { JOBS, retryDelayMs, type TJobDef, type TJobKind, type TJobPayload } from "./contracts";

export type TClaimedJob = {
  id: string;
  kind: string;
  version: number;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
  concurrencyKey: string | null;
  lockedBy: string;
  lockedUntil: Date;
};
/** The lease holder: the claim itself (its id and lockedBy). */
type THolder = { id: string; lockedBy: string };

/** Adds a job; false when a job with this id exists already (scheduled slots, idempotent enqueue). */
export async function enqueueJob<K extends TJobKind>(opts: {
  id?: string;
  kind: K;
  payload: TJobPayload<K>;
  runAt?: Date;
  concurrencyKey?: string;
}): Promise<boolean> {
  const def: TJobDef = JOBS[opts.kind];
  const payload = def.payload.parse(opts.payload) as Prisma.InputJsonValue;
  try {
    await getDb().job.create({
      data: {
        id: opts.id ?? randomUUID(),
        kind: opts.kind,
        version: def.version,
        payload,
        maxAttempts: def.maxAttempts,
        concurrencyKey: opts.concurrencyKey ?? null,
        runAt: opts.runAt ?? new Date(),
      },
    });
    return true;
  } catch (e) {
    if (isUniqueViolation(e)) return false;
    throw e;
  }
}

/** PostgreSQL's timestamp(3) columns hold UTC without a zone: compare with a UTC literal, whatever the session zone. */
const pgTime = (d: Date) => Prisma.sql`${d.toISOString().replace("Z", "")}::timestamp(3)`;

type TRawJob = Omit<TClaimedJob, "lockedBy" | "lockedUntil" | "payload"> & { payload: unknown };

async function claimOne(
  kinds: string[],
  limit: number | null,
  o: { workerId: string; now: Date; until: Date; jobId?: string },
): Promise<TRawJob | null> {
  const db = getDb();
  const isPg = dbProvider(db) === "postgres";
  const t = (d: Date) => (isPg ? pgTime(d) : Prisma.sql`${d}`);
  // Queued and due, or running on a lease that ran out with runs left (a dead worker's job).
  const only = o.jobId === undefined ? Prisma.empty : Prisma.sql`j."id" = ${o.jobId} AND`;
  const due = Prisma.sql`${only} j."kind" IN (${Prisma.join(kinds)}) AND (
      (j."status" = 'queued' AND j."runAt" <= ${t(o.now)})
      OR (j."status" = 'running' AND j."lockedUntil" < ${t(o.now)} AND j."attempts" < j."maxAttempts"))`;
  const underLimit =
    limit === null
      ? Prisma.empty
      : Prisma.sql`AND (SELECT COUNT(*) FROM "Job" r WHERE r."kind" = j."kind" AND r."status" = 'running'
          AND r."lockedUntil" >= ${t(o.now)} AND r."id" <> j."id"
          AND (r."concurrencyKey" = j."concurrencyKey" OR (r."concurrencyKey" IS NULL AND j."concurrencyKey" IS NULL))) < ${limit}`;
  const set = Prisma.sql`"status" = 'running', "lockedBy" = ${o.workerId}, "lockedAt" = ${t(o.now)},
      "lockedUntil" = ${t(o.until)}, "attempts" = "attempts" + 1`;
  const returning = Prisma.sql`RETURNING "id", "kind", "version", "payload", "attempts", "maxAttempts", "concurrencyKey"`;
  if (!isPg) {
    const rows = await db.$queryRaw<TRawJob[]>`UPDATE "Job" SET ${set}
      WHERE "id" = (SELECT j."id" FROM "Job" j WHERE ${due} ${underLimit} ORDER BY j."runAt", j."id" LIMIT 1)
      ${returning}`;
    return rows[0] ?? null;
  }
  const claim = (tx: Pick<typeof db, "$queryRaw">) => tx.$queryRaw<TRawJob[]>`UPDATE "Job" SET ${set}
      WHERE "id" = (SELECT j."id" FROM "Job" j WHERE ${due} ${underLimit} ORDER BY j."runAt", j."id" LIMIT 1 FOR UPDATE SKIP LOCKED)
      ${returning}`;
  if (limit === null) return (await claim(db))[0] ?? null;
  // A limit counts other claims, which SKIP LOCKED cannot see: claims of a limited kind take turns.
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`prefloop-job:${kinds[0]}`}))::text`;
    return (await claim(tx))[0] ?? null;
  });
}

/** Claims one runnable job of the given kinds (or just `jobId`) under a lease of `leaseMs`, or null. */
export async function claimJob(opts: {
  workerId: string;
  kinds: string[];
  leaseMs: number;
  now?: Date;
  jobId?: string;
}): Promise<TClaimedJob | null> {
  const now = opts.now ?? new Date();
  const until = new Date(now.getTime() + opts.leaseMs);
  const limited = opts.kinds.filter((k) => (JOBS as Record<string, TJobDef>)[k]?.concurrency !== undefined);
  const free = opts.kinds.filter((k) => !limited.includes(k));
  const o = { workerId: opts.workerId, now, until, ...(opts.jobId !== undefined ? { jobId: opts.jobId } : {}) };
  for (const kind of limited) {
    const row = await claimOne([kind], (JOBS as Record<string, TJobDef>)[kind]!.concurrency!, o);
    if (row) return toClaimed(row, o);
  }
  if (free.length === 0) return null;
  const row = await claimOne(free, null, o);
  return row ? toClaimed(row, o) : null;
}

function toClaimed(row: TRawJob, o: { workerId: string; until: Date }): TClaimedJob {
  return {
    ...row,
    version: Number(row.version),
    attempts: Number(row.attempts),
    maxAttempts: Number(row.maxAttempts),
    payload: typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload,
    lockedBy: o.workerId,
    lockedUntil: o.until,
  };
}

/**
 * Extends the lease; false when the worker no longer holds it (it ran out and another worker claimed the
 * job). A lease that ran out but was not claimed yet is still this worker's: a claim replaces lockedBy.
 */
export async function renewLease(job: THolder & { leaseMs: number; now?: Date }): Promise<boolean> {
  const now = job.now ?? new Date();
  const { count } = await getDb().job.updateMany({
    where: { id: job.id, status: "running", lockedBy: job.lockedBy },
    data: { lockedUntil: new Date(now.getTime() + job.leaseMs) },
  });
  return count === 1;
}

/** Records the result; false when the lease was lost (another worker owns the job now). */
export async function finishJob(job: THolder, result: unknown): Promise<boolean> {
  const { count } = await getDb().job.updateMany({
    where: { id: job.id, status: "running", lockedBy: job.lockedBy },
    data: {
      status: "done",
      result: result ?? Prisma.JsonNull,
      finishedAt: new Date(),
      lockedUntil: null,
      error: null,
    },
  });
  return count === 1;
}

export type TFailOutcome = { status: "queued"; runAt: Date } | { status: "failed" } | { status: "lost" };

/**
 * A run failed: back to the queue after `retryDelayMs(attempts)`, or failed for good with its error once
 * the runs are used up (or at once when `isPermanent`: retrying cannot help, e.g. an unknown payload version).
 */
export async function failJob(
  job: THolder & { attempts: number; maxAttempts: number },
  error: unknown,
  opts: { now?: Date; isPermanent?: boolean } = {},
): Promise<TFailOutcome> {
  const now = opts.now ?? new Date();
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 4000);
  const isFinal = opts.isPermanent || job.attempts >= job.maxAttempts;
  const runAt = new Date(now.getTime() + retryDelayMs(job.attempts));
  const { count } = await getDb().job.updateMany({
    where: { id: job.id, status: "running", lockedBy: job.lockedBy },
    data: isFinal
      ? { status: "failed", error: message, finishedAt: now, lockedUntil: null }
      : { status: "queued", error: message, runAt, lockedBy: null, lockedUntil: null },
  });
  if (count === 0) return { status: "lost" };
  return isFinal ? { status: "failed" } : { status: "queued", runAt };
}

/** Hands a job back unfinished (the worker is stopping): queued again at once, the run not counted. */
export async function releaseJob(job: THolder): Promise<boolean> {
  const { count } = await getDb().job.updateMany({
    where: { id: job.id, status: "running", lockedBy: job.lockedBy },
    data: { status: "queued", lockedBy: null, lockedAt: null, lockedUntil: null, attempts: { decrement: 1 } },
  });
  return count === 1;
}

/**
 * Fails, for good, running jobs whose lease ran out with no run left (their worker died on the last run),
 * and returns them so the caller can run the kind's clean-up.
 */
export async function failAbandonedJobs(now = new Date()) {
  const db = getDb();
  const stale = await db.job.findMany({
    where: { status: "running", lockedUntil: { lt: now }, attempts: { gte: db.job.fields.maxAttempts } },
    take: 50,
  });
  const failed: typeof stale = [];
  for (const job of stale) {
    const { count } = await db.job.updateMany({
      where: { id: job.id, status: "running", lockedBy: job.lockedBy, lockedUntil: { lt: now } },
      data: {
        status: "failed",
        finishedAt: now,
        lockedUntil: null,
        error: `its worker (${job.lockedBy}) stopped responding during the last of ${job.maxAttempts} runs`,
      },
    });
    if (count === 1) failed.push(job);
  }
  return failed;
}

/** Deletes finished (done) jobs older than `before`; failed ones stay for inspection. */
export async function pruneFinishedJobs(before: Date): Promise<number> {
  const { count } = await getDb().job.deleteMany({ where: { status: "done", finishedAt: { lt: before } } });
  return count;
}

/** Whether a job of `kind` for `concurrencyKey` is waiting or running (schedulers need not add another). */
export async function hasUnfinishedJob(kind: TJobKind, concurrencyKey: string): Promise<boolean> {
  const found = await getDb().job.findFirst({
    where: { kind, concurrencyKey, status: { in: ["queued", "running"] } },
    select: { id: true },
  });
  return found !== null;
}
