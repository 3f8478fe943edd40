// The job table as a queue: idempotent enqueue by id, exclusive claims, retries with back-off, pruning.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import { claimJob, enqueueJob, failJob, finishJob, pruneFinishedJobs } from "./job-queue";
import { scheduledJobId } from "./contracts";

const t = useTestDb();
const KIND = "queue.release-expired-leases" as const;

describe("job queue", () => {
  it("enqueues a scheduled job once, however many schedulers race for its slot", async () => {
    const id = scheduledJobId(KIND, "2026-01-01T10:00");
    const results = await Promise.all(Array.from({ length: 5 }, () => enqueueJob({ id, kind: KIND, payload: {} })));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await t.db().job.count({ where: { id } })).toBe(1);
  });

  it("rejects a payload that breaks the job's contract", async () => {
    await expect(enqueueJob({ id: "bad", kind: KIND, payload: { projectId: 42 } as never })).rejects.toThrow();
  });

  it("hands a job to exactly one of several workers claiming at once", async () => {
    await enqueueJob({ id: "one", kind: KIND, payload: {} });
    const claims = await Promise.all(["w1", "w2", "w3", "w4"].map((workerId) => claimJob({ workerId, kinds: [KIND] })));
    expect(claims.filter((c) => c?.id === "one")).toHaveLength(1);
  });

  it("retries a failing job with back-off, then marks it failed after three attempts", async () => {
    await enqueueJob({ id: "flaky", kind: KIND, payload: {} });
    for (let attempt = 1; attempt <= 3; attempt++) {
      const job = await claimJob({ workerId: "w", kinds: [KIND], now: new Date(Date.now() + attempt * 60_000) });
      expect(job?.id).toBe("flaky");
      expect(job?.attempts).toBe(attempt);
      await failJob(job!.id, job!.attempts, new Error(`boom ${attempt}`));
    }
    const row = await t.db().job.findUniqueOrThrow({ where: { id: "flaky" } });
    expect(row.status).toBe("failed");
    expect(row.error).toBe("boom 3");
    expect(await claimJob({ workerId: "w", kinds: [KIND], now: new Date(Date.now() + 3600_000) })).toBeNull();
  });

  it("prunes finished jobs older than the cut-off and keeps failed ones", async () => {
    await enqueueJob({ id: "done-old", kind: KIND, payload: {} });
    const job = await claimJob({ workerId: "w", kinds: [KIND] });
    await finishJob(job!.id, { released: 0 });
    expect(await pruneFinishedJobs(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await t.db().job.findUnique({ where: { id: "done-old" } })).toBeNull();
    expect(await t.db().job.findUnique({ where: { id: "flaky" } })).not.toBeNull();
  });
});
