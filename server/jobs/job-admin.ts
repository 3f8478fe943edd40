// The admin's view of the job queue: a filtered, paginated list, retry of a failed job and cancel of a
// queued one. Both are one conditional UPDATE (status in the WHERE), so two admins clicking at once
// change the job once: the second finds the status changed and is told so. A claimed (running) job is
// never cancelled here: its worker holds the lease and only the worker can stop its handler and run the
// kind's clean-up; the admin stops the worker (SIGTERM hands the job back) and cancels it then.
import { getDb } from "../db";
import { AppError } from "../errors";
import { recordAudit } from "../services/audit/record-audit";
import { JOBS, type TJobKind } from "./contracts";

export const JOB_STATUSES = ["queued", "running", "done", "failed", "cancelled"] as const;
export type TJobStatus = (typeof JOB_STATUSES)[number];

/**
 * Kinds a failed job of which cannot be retried as is: their handler finds the record it owns failed
 * (its onFailed clean-up ran) and does nothing. The admin starts a new one instead.
 */
const NOT_RETRYABLE: Partial<Record<TJobKind, string>> = {
  import: "A failed import cannot be re-run: its file was released. Upload the file again.",
  "train.round": "A failed training round is not re-run: request a new round from the Models tab.",
};
/** Kinds whose queued job owns a record that cancelling must close too (see `cancelJob`). */
const NOT_CANCELLABLE: Partial<Record<TJobKind, string>> = {
  import: "A queued import cannot be cancelled here: let it run, then remove its prompts if unwanted.",
};

export async function findJobs(o: {
  status?: TJobStatus;
  kind?: TJobKind;
  projectId?: string;
  page: number;
  pageSize: number;
}) {
  const db = getDb();
  const where = {
    ...(o.status ? { status: o.status } : {}),
    ...(o.kind ? { kind: o.kind } : {}),
    // Project-scoped kinds carry their project as the concurrency key.
    ...(o.projectId ? { concurrencyKey: o.projectId } : {}),
  };
  const [total, rows] = await Promise.all([
    db.job.count({ where }),
    db.job.findMany({
      where,
      // Newest first; finished ones by when they ended.
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: o.page * o.pageSize,
      take: o.pageSize,
    }),
  ]);
  const projectIds = [...new Set(rows.map((r) => r.concurrencyKey).filter((k): k is string => k !== null))];
  const projects = await db.project.findMany({ where: { id: { in: projectIds } }, select: { id: true, slug: true } });
  const slugs = new Map(projects.map((p) => [p.id, p.slug]));
  const now = Date.now();
  return {
    total,
    page: o.page,
    pageSize: o.pageSize,
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      version: r.version,
      status: r.status,
      attempts: r.attempts,
      maxAttempts: r.maxAttempts,
      runAt: r.runAt,
      projectId: r.concurrencyKey,
      projectSlug: r.concurrencyKey ? (slugs.get(r.concurrencyKey) ?? null) : null,
      workerId: r.status === "running" ? r.lockedBy : null,
      leaseUntil: r.status === "running" ? r.lockedUntil : null,
      isLeaseExpired: r.status === "running" && r.lockedUntil !== null && r.lockedUntil.getTime() < now,
      error: r.error,
      payload: r.payload,
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
      canRetry: r.status === "failed" && !(r.kind in NOT_RETRYABLE),
      canCancel: r.status === "queued" && !(r.kind in NOT_CANCELLABLE),
    })),
  };
}

async function getJob(jobId: string) {
  const job = await getDb().job.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError("NOT_FOUND", "No such job.");
  return job;
}

/** Puts a failed job back in the queue, due now, with all its runs again. */
export async function retryJob(o: { actorId: string; jobId: string }) {
  const job = await getJob(o.jobId);
  const refusal = NOT_RETRYABLE[job.kind as TJobKind];
  if (refusal) throw new AppError("CONFLICT", refusal);
  if (!(job.kind in JOBS)) throw new AppError("CONFLICT", `This release does not know job kind "${job.kind}".`);
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: job.id, status: "failed" },
      data: { status: "queued", attempts: 0, runAt: new Date(), error: null, finishedAt: null, lockedBy: null },
    });
    if (count === 0)
      throw new AppError("CONFLICT", `Only a failed job can be retried; this one is ${await statusOf(tx, job.id)}.`);
    await recordAudit(
      {
        actorId: o.actorId,
        action: "job.retry",
        targetType: "job",
        targetId: job.id,
        details: { kind: job.kind, attempts: job.attempts, error: job.error },
      },
      tx,
    );
    return { id: job.id, status: "queued" as const };
  });
}

/** Cancels a job that no worker has claimed yet; a queued training round's run is marked failed with it. */
export async function cancelJob(o: { actorId: string; jobId: string }) {
  const job = await getJob(o.jobId);
  const refusal = NOT_CANCELLABLE[job.kind as TJobKind];
  if (refusal) throw new AppError("CONFLICT", refusal);
  if (job.status === "running") {
    throw new AppError(
      "CONFLICT",
      `This job is running on worker ${job.lockedBy ?? "?"}; a running job cannot be cancelled. Stop that worker (SIGTERM hands the job back), then cancel it.`,
    );
  }
  return getDb().$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id: job.id, status: "queued" },
      data: { status: "cancelled", finishedAt: new Date(), error: "cancelled by an admin" },
    });
    if (count === 0)
      throw new AppError("CONFLICT", `Only a queued job can be cancelled; this one is ${await statusOf(tx, job.id)}.`);
    // The run's record must not wait for a job that will never run (it would block new rounds).
    const run = job.kind === "train.round" ? JOBS["train.round"].payload.safeParse(job.payload) : null;
    if (run?.success) {
      await tx.trainingRun.updateMany({
        where: { id: run.data.runId, status: "queued" },
        data: { status: "failed", error: "its job was cancelled by an admin", finishedAt: new Date() },
      });
    }
    await recordAudit(
      { actorId: o.actorId, action: "job.cancel", targetType: "job", targetId: job.id, details: { kind: job.kind } },
      tx,
    );
    return { id: job.id, status: "cancelled" as const };
  });
}

async function statusOf(tx: Pick<ReturnType<typeof getDb>, "job">, id: string) {
  return (await tx.job.findUnique({ where: { id }, select: { status: true } }))?.status ?? "gone";
}
