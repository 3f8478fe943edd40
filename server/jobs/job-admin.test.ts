// The admin's job queue: filtered pages, retry of a failed job (exactly once under racing admins),
// cancel of a queued job, refusal to cancel a claimed one, and the audit trail of both.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import { makeProject, makeUser } from "../test/factories";
import { isAppError } from "../errors";
import { claimJob, enqueueJob, failJob } from "./job-queue";
import { cancelJob, findJobs, retryJob } from "./job-admin";

const t = useTestDb();
const KIND = "queue.release-expired-leases" as const;
/** Jobs due long ago, so a claim at "now" takes them first. */
const PAST = new Date(Date.UTC(2001, 0, 1));

async function failedJob(id = `failed-${randomUUID()}`) {
  await enqueueJob({ id, kind: KIND, payload: {}, runAt: PAST });
  const job = await claimJob({ workerId: "w-fail", kinds: [KIND], leaseMs: 60_000, jobId: id });
  expect(job?.id).toBe(id);
  expect((await failJob(job!, new Error("disk full"), { isPermanent: true })).status).toBe("failed");
  return id;
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return "OK";
}

describe("the admin's job queue", () => {
  it("lists jobs filtered by status, kind and project, a page at a time, with the failure's error", async () => {
    const project = await makeProject({ prompts: 1, candidates: 2 });
    const other = await makeProject({ prompts: 1, candidates: 2 });
    for (let i = 0; i < 5; i++) {
      await enqueueJob({ kind: "generate.candidates", payload: { projectId: project.id }, concurrencyKey: project.id });
    }
    await enqueueJob({ kind: "generate.candidates", payload: { projectId: other.id }, concurrencyKey: other.id });
    const failed = await failedJob();

    const page0 = await findJobs({ kind: "generate.candidates", projectId: project.id, page: 0, pageSize: 2 });
    const page2 = await findJobs({ kind: "generate.candidates", projectId: project.id, page: 2, pageSize: 2 });
    expect(page0.total).toBe(5);
    expect(page0.items).toHaveLength(2);
    expect(page2.items).toHaveLength(1);
    expect(page0.items.every((j) => j.projectSlug === project.slug && j.status === "queued" && j.canCancel)).toBe(true);
    const ids = new Set([...page0.items, ...page2.items].map((j) => j.id));
    const page1 = await findJobs({ kind: "generate.candidates", projectId: project.id, page: 1, pageSize: 2 });
    for (const j of page1.items) ids.add(j.id);
    expect(ids.size).toBe(5);

    const failures = await findJobs({ status: "failed", kind: KIND, page: 0, pageSize: 100 });
    const row = failures.items.find((j) => j.id === failed);
    expect(row).toMatchObject({ status: "failed", error: "disk full", attempts: 1, canRetry: true, canCancel: false });
    expect(failures.items.every((j) => j.status === "failed")).toBe(true);
  });

  it("shows a running job's worker and lease", async () => {
    const id = `running-${randomUUID()}`;
    await enqueueJob({ id, kind: KIND, payload: {}, runAt: PAST });
    await claimJob({ workerId: "host-a:4242", kinds: [KIND], leaseMs: 60_000, jobId: id });
    const { items } = await findJobs({ status: "running", page: 0, pageSize: 100 });
    const row = items.find((j) => j.id === id)!;
    expect(row.workerId).toBe("host-a:4242");
    expect(row.leaseUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(row.isLeaseExpired).toBe(false);
  });

  it("retries a failed job: queued again with all its runs, claimable, and audited", async () => {
    const admin = await makeUser({ role: "admin" });
    const id = await failedJob();
    expect(await retryJob({ actorId: admin.id, jobId: id })).toEqual({ id, status: "queued" });
    const job = await t.db().job.findUniqueOrThrow({ where: { id } });
    expect(job).toMatchObject({ status: "queued", attempts: 0, error: null, finishedAt: null });
    const audit = await t.db().auditLog.findMany({ where: { targetId: id } });
    expect(audit.map((a) => [a.action, a.actorId])).toEqual([["job.retry", admin.id]]);
    expect(audit[0]!.details).toMatchObject({ error: "disk full" });
    expect((await claimJob({ workerId: "w2", kinds: [KIND], leaseMs: 60_000, jobId: id }))?.id).toBe(id);
    // Now running: a second retry is refused and says why.
    expect(await refusal(retryJob({ actorId: admin.id, jobId: id }))).toBe(
      "CONFLICT: Only a failed job can be retried; this one is running.",
    );
  });

  it("re-queues a failed job exactly once when two admins retry it at the same moment", async () => {
    const admin = await makeUser({ role: "admin" });
    for (let round = 0; round < 5; round++) {
      const id = await failedJob();
      const outcomes = await Promise.all([0, 1].map(() => refusal(retryJob({ actorId: admin.id, jobId: id }))));
      expect(outcomes.sort()).toEqual(["CONFLICT: Only a failed job can be retried; this one is queued.", "OK"]);
      expect(await t.db().auditLog.count({ where: { targetId: id, action: "job.retry" } })).toBe(1);
      expect(await t.db().job.count({ where: { id, status: "queued" } })).toBe(1);
    }
  });

  it("refuses to retry a kind whose handler would find its record failed", async () => {
    const admin = await makeUser({ role: "admin" });
    const id = `import-${randomUUID()}`;
    await t.db().job.create({
      data: { id, kind: "import", version: 1, payload: { importId: "x" }, status: "failed", error: "bad file" },
    });
    expect(await refusal(retryJob({ actorId: admin.id, jobId: id }))).toMatch(/^CONFLICT: A failed import cannot/);
    expect((await t.db().job.findUniqueOrThrow({ where: { id } })).status).toBe("failed");
  });

  it("cancels a queued job, which no worker then claims; a claimed job is refused, its lease untouched", async () => {
    const admin = await makeUser({ role: "admin" });
    const queued = `queued-${randomUUID()}`;
    await enqueueJob({ id: queued, kind: KIND, payload: {}, runAt: PAST });
    expect(await cancelJob({ actorId: admin.id, jobId: queued })).toEqual({ id: queued, status: "cancelled" });
    expect(await claimJob({ workerId: "w", kinds: [KIND], leaseMs: 60_000, jobId: queued })).toBeNull();
    expect(await t.db().auditLog.count({ where: { targetId: queued, action: "job.cancel" } })).toBe(1);
    expect(await refusal(cancelJob({ actorId: admin.id, jobId: queued }))).toBe(
      "CONFLICT: Only a queued job can be cancelled; this one is cancelled.",
    );

    const claimed = `claimed-${randomUUID()}`;
    await enqueueJob({ id: claimed, kind: KIND, payload: {}, runAt: PAST });
    const lease = await claimJob({ workerId: "host-b:7", kinds: [KIND], leaseMs: 60_000, jobId: claimed });
    expect(await refusal(cancelJob({ actorId: admin.id, jobId: claimed }))).toMatch(
      /^CONFLICT: This job is running on worker host-b:7; a running job cannot be cancelled/,
    );
    const after = await t.db().job.findUniqueOrThrow({ where: { id: claimed } });
    expect(after).toMatchObject({ status: "running", lockedBy: "host-b:7", lockedUntil: lease!.lockedUntil });
    expect(await t.db().auditLog.count({ where: { targetId: claimed } })).toBe(0);
  });

  it("cancelling a queued training round fails its run, so it does not block the next round", async () => {
    const admin = await makeUser({ role: "admin" });
    const project = await makeProject({ prompts: 1, candidates: 2 });
    const run = await t.db().trainingRun.create({ data: { projectId: project.id, number: 1 } });
    const id = `train-${randomUUID()}`;
    await enqueueJob({ id, kind: "train.round", payload: { runId: run.id }, concurrencyKey: project.id });
    await cancelJob({ actorId: admin.id, jobId: id });
    expect(await t.db().trainingRun.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "failed",
      error: "its job was cancelled by an admin",
    });
  });

  it("says when the job does not exist", async () => {
    const admin = await makeUser({ role: "admin" });
    expect(await refusal(cancelJob({ actorId: admin.id, jobId: "nope" }))).toBe("NOT_FOUND: No such job.");
    expect(await refusal(retryJob({ actorId: admin.id, jobId: "nope" }))).toBe("NOT_FOUND: No such job.");
  });
});
