// The job table as a queue: idempotent enqueue, exclusive claims under racing workers, leases that
// expire and are renewed, retries with back-off, concurrency limits, pruning. Each test makes its own
// jobs and claims at its own clock, so none depends on another's rows.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import {
  claimJob,
  enqueueJob,
  failAbandonedJobs,
  failJob,
  finishJob,
  pruneFinishedJobs,
  releaseJob,
  renewLease,
} from "./job-queue";
import { retryDelayMs, scheduledJobId } from "./contracts";

const t = useTestDb();
const KIND = "queue.release-expired-leases" as const;
const LEASE = 60_000;

/** Each test runs a day before the previous one, so no job another test left behind is due at its clock. */
let epoch = Date.UTC(2020, 0, 1);
const clock = () => (epoch -= 86_400_000);

async function only(id: string, now: number) {
  await enqueueJob({ id, kind: KIND, payload: {}, runAt: new Date(now) });
  return id;
}
async function claimAt(now: number, workerId = "w", leaseMs = LEASE) {
  return claimJob({ workerId, kinds: [KIND], leaseMs, now: new Date(now) });
}

describe("job queue", () => {
  it("enqueues a scheduled job once, however many schedulers race for its slot", async () => {
    const id = scheduledJobId(KIND, `slot-${randomUUID()}`);
    const results = await Promise.all(Array.from({ length: 5 }, () => enqueueJob({ id, kind: KIND, payload: {} })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t.db().job.count({ where: { id } })).toBe(1);
  });

  it("rejects a payload that breaks the job's contract", async () => {
    await expect(enqueueJob({ kind: KIND, payload: { projectId: 42 } as never })).rejects.toThrow();
  });

  it("racing claimers never take the same job, and every job is taken", async () => {
    const now = clock();
    const ids = await Promise.all(Array.from({ length: 24 }, (_, i) => only(`race-${now}-${i}`, now)));
    const taken: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (;;) {
          const job = await claimAt(now, `w${w}`);
          if (!job) return;
          taken.push(job.id);
        }
      }),
    );
    expect(taken.length).toBe(new Set(taken).size);
    expect(new Set(taken)).toEqual(new Set(ids));
  });

  it("retries a failing job after 5 s, then 10 s, then fails it with its error", async () => {
    const now = clock();
    const id = await only(`flaky-${now}`, now);
    let at = now;
    for (let attempt = 1; attempt <= 2; attempt++) {
      const job = await claimAt(at);
      expect(job?.id).toBe(id);
      expect(job?.attempts).toBe(attempt);
      const outcome = await failJob(job!, new Error(`boom ${attempt}`), { now: new Date(at) });
      expect(outcome).toEqual({ status: "queued", runAt: new Date(at + retryDelayMs(attempt)) });
      expect(retryDelayMs(attempt)).toBe(5_000 * 2 ** (attempt - 1));
      expect(await claimAt(at + retryDelayMs(attempt) - 1)).toBeNull(); // not before its back-off
      at += retryDelayMs(attempt);
    }
    const last = await claimAt(at);
    expect(last?.attempts).toBe(3);
    expect(await failJob(last!, new Error("boom 3"), { now: new Date(at) })).toEqual({ status: "failed" });
    const row = await t.db().job.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: "failed", error: "boom 3", attempts: 3 });
    expect(await claimAt(at + 3_600_000)).toBeNull();
  });

  it("a permanent failure is final at the first run", async () => {
    const now = clock();
    await only(`perm-${now}`, now);
    const job = await claimAt(now);
    expect(await failJob(job!, new Error("unknown version"), { now: new Date(now), isPermanent: true })).toEqual({
      status: "failed",
    });
  });

  it("a lease that runs out makes the job claimable again; the old holder can neither renew nor finish it", async () => {
    const now = clock();
    const id = await only(`lease-${now}`, now);
    const first = await claimAt(now, "dead", 1_000);
    expect(first?.id).toBe(id);
    expect(await claimAt(now + 999, "other")).toBeNull(); // the lease holds
    const second = await claimAt(now + 1_001, "other");
    expect(second).toMatchObject({ id, attempts: 2, lockedBy: "other" });
    expect(await renewLease({ ...first!, leaseMs: 1_000, now: new Date(now + 1_002) })).toBe(false);
    expect(await finishJob(first!, { released: 0 })).toBe(false);
    expect(await finishJob(second!, { released: 1 })).toBe(true);
    expect(await t.db().job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "done",
      result: { released: 1 },
    });
  });

  it("a renewed lease keeps other workers off", async () => {
    const now = clock();
    await only(`renew-${now}`, now);
    const job = await claimAt(now, "alive", 1_000);
    expect(await renewLease({ ...job!, leaseMs: 1_000, now: new Date(now + 800) })).toBe(true);
    expect(await claimAt(now + 1_500, "other")).toBeNull();
    expect((await claimAt(now + 1_801, "other"))?.id).toBe(job!.id);
  });

  it("a job handed back is queued again without using up a run", async () => {
    const now = clock();
    const id = await only(`release-${now}`, now);
    const job = await claimAt(now);
    expect(await releaseJob(job!)).toBe(true);
    expect(await t.db().job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "queued",
      attempts: 0,
      lockedBy: null,
    });
    expect((await claimAt(now))?.attempts).toBe(1);
  });

  it("a job whose worker died on its last run fails visibly", async () => {
    const now = clock();
    const id = `abandoned-${now}`;
    await t.db().job.create({
      data: {
        id,
        kind: KIND,
        version: 1,
        payload: {},
        status: "running",
        attempts: 3,
        maxAttempts: 3,
        lockedBy: "gone",
        lockedUntil: new Date(now),
      },
    });
    expect(await claimAt(now + 1)).toBeNull();
    const failed = await failAbandonedJobs(new Date(now + 1));
    expect(failed.map((j) => j.id)).toContain(id);
    const row = await t.db().job.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("failed");
    expect(row.error).toMatch(/stopped responding/);
  });

  it("a kind's concurrency limit holds per key, also under racing claimers", async () => {
    const key = `project-${randomUUID()}`;
    const other = `project-${randomUUID()}`;
    for (let i = 0; i < 4; i++)
      await enqueueJob({ kind: "import", payload: { importId: `i${i}` }, concurrencyKey: key });
    await enqueueJob({ kind: "import", payload: { importId: "o" }, concurrencyKey: other });
    const claims = await Promise.all(
      Array.from({ length: 6 }, (_, w) => claimJob({ workerId: `w${w}`, kinds: ["import"], leaseMs: LEASE })),
    );
    const got = claims.filter((c) => c !== null);
    expect(got.filter((c) => c.concurrencyKey === key)).toHaveLength(1);
    expect(got.filter((c) => c.concurrencyKey === other)).toHaveLength(1);
    const running = got.find((c) => c.concurrencyKey === key)!;
    await finishJob(running, null);
    expect((await claimJob({ workerId: "next", kinds: ["import"], leaseMs: LEASE }))?.concurrencyKey).toBe(key);
  });

  it("prunes finished jobs older than the cut-off and keeps failed ones", async () => {
    const now = clock();
    const id = await only(`done-old-${now}`, now);
    const failedId = await only(`failed-old-${now}`, now);
    const a = await claimAt(now);
    const b = await claimAt(now);
    const done = a!.id === id ? a! : b!;
    const failed = a!.id === failedId ? a! : b!;
    await finishJob(done, { released: 0 });
    await failJob(failed, new Error("x"), { isPermanent: true });
    expect(await pruneFinishedJobs(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await t.db().job.findUnique({ where: { id } })).toBeNull();
    expect(await t.db().job.findUnique({ where: { id: failedId } })).not.toBeNull();
  });
});
