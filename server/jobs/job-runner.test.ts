// The job runner in-process against the real database: version and contract checks, outcomes,
// clean-up after a final failure, hand-back on stop.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import { createJobRunner, type THandlers } from "./job-runner";
import { enqueueJob } from "./job-queue";

const t = useTestDb();
const KIND = "queue.release-expired-leases" as const;
const quiet = () => {};

function runner(handlers: THandlers) {
  return createJobRunner({ workerId: `w-${randomUUID()}`, handlers, leaseMs: 60_000, log: quiet });
}

describe("job runner", () => {
  it("refuses, visibly and for good, a job whose payload version it does not know", async () => {
    const id = `v99-${randomUUID()}`;
    await t.db().job.create({ data: { id, kind: KIND, version: 99, payload: {}, maxAttempts: 3 } });
    let ran = false;
    const r = runner({ [KIND]: { run: () => Promise.resolve((ran = true)) } });
    while (await r.runNext());
    const row = await t.db().job.findUniqueOrThrow({ where: { id } });
    expect(ran).toBe(false);
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(1);
    expect(row.error).toMatch(
      /payload version 99 of "queue.release-expired-leases" is not known to this worker \(it runs version 1\)/,
    );
  });

  it("refuses a payload that breaks the kind's contract", async () => {
    const id = `bad-${randomUUID()}`;
    await t.db().job.create({ data: { id, kind: KIND, version: 1, payload: { projectId: 7 }, maxAttempts: 3 } });
    const r = runner({ [KIND]: { run: () => Promise.resolve(null) } });
    while (await r.runNext());
    expect(await t.db().job.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed" });
  });

  it("records the result, retries a failure later, and runs the clean-up once the runs are used up", async () => {
    const ok = `ok-${randomUUID()}`;
    await enqueueJob({ id: ok, kind: KIND, payload: { projectId: "p1" } });
    const seen: unknown[] = [];
    const r = runner({ [KIND]: { run: (p) => (seen.push(p), Promise.resolve({ done: p.projectId })) } });
    while (await r.runNext());
    expect(seen).toEqual([{ projectId: "p1" }]);
    expect(await t.db().job.findUniqueOrThrow({ where: { id: ok } })).toMatchObject({
      status: "done",
      result: { done: "p1" },
    });

    const bad = `boom-${randomUUID()}`;
    await enqueueJob({ id: bad, kind: KIND, payload: { projectId: "p2" } });
    const cleaned: string[] = [];
    const failing = runner({
      [KIND]: {
        run: async () => Promise.reject(new Error("boom")),
        onFailed: (p, reason) => (cleaned.push(`${p.projectId}: ${reason}`), Promise.resolve()),
      },
    });
    for (let run = 1; run <= 3; run++) {
      await t.db().job.update({ where: { id: bad }, data: { runAt: new Date(0) } }); // skip the back-off wait
      expect(await failing.runNext()).toBe(true);
      expect(cleaned).toEqual(run < 3 ? [] : ["p2: boom"]);
    }
    expect(await t.db().job.findUniqueOrThrow({ where: { id: bad } })).toMatchObject({
      status: "failed",
      error: "boom",
      attempts: 3,
    });
  });

  it("stop() aborts the running handler and hands its job back", async () => {
    const id = `stop-${randomUUID()}`;
    await enqueueJob({ id, kind: KIND, payload: {} });
    let started!: () => void;
    const isStarted = new Promise<void>((r) => (started = r));
    const r = runner({
      [KIND]: {
        run: (_p, ctx) =>
          new Promise((_resolve, reject) => {
            started();
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason as Error));
          }),
      },
    });
    const running = r.runNext();
    await isStarted;
    await r.stop();
    await running;
    expect(await t.db().job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "queued",
      attempts: 0,
      lockedBy: null,
    });
  });
});
