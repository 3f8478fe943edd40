// A real worker process reports what it runs on: its row (host, pid, release, execution provider,
// threads) appears when it starts, its heartbeat moves on, and a clean stop marks it stopped. A worker
// told to use a provider it cannot use refuses to start and says why.
import os from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { useTestDb } from "../server/test/test-db";
import { findWorkers } from "../server/jobs/worker-registry";
import { isCudaInstalled } from "./ml/runtime/providers";
import { exited, spawnWorker, waitFor } from "./test-support/worker-process";

const t = useTestDb();
const children: ReturnType<typeof spawnWorker>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

describe("the worker's report", () => {
  it("a started worker appears with its provider and threads, beats, and is marked stopped on SIGTERM", async () => {
    const worker = spawnWorker(
      { provider: t.provider, url: t.url() },
      { WORKER_HEARTBEAT_MS: "1000", WORKER_THREADS: "2" },
    );
    children.push(worker);
    const id = `${os.hostname()}:${worker.pid}`;
    const first = await waitFor(
      `worker ${id} to report`,
      async () => (await t.db().worker.findUnique({ where: { id } })) ?? undefined,
    );
    expect(first).toMatchObject({
      hostname: os.hostname(),
      pid: worker.pid,
      version: "0.1.0",
      executionProvider: "cpu",
      intraOpThreads: 2,
      interOpThreads: 0,
      cpus: os.cpus().length,
      heartbeatMs: 1000,
      stoppedAt: null,
    });
    await waitFor("a later heartbeat", async () => {
      const row = await t.db().worker.findUniqueOrThrow({ where: { id } });
      return row.lastSeenAt.getTime() > first.lastSeenAt.getTime();
    });
    expect((await findWorkers()).find((w) => w.id === id)?.state).toBe("live");
    // Three missed beats later (seen from the future), the same row reads as silent.
    const later = new Date(Date.now() + 5_000);
    expect((await findWorkers({ now: later })).find((w) => w.id === id)?.state).toBe("silent");

    worker.kill("SIGTERM");
    expect(await exited(worker)).toEqual({ code: 0, signal: null });
    const stopped = await t.db().worker.findUniqueOrThrow({ where: { id } });
    expect(stopped.stoppedAt).toBeInstanceOf(Date);
    expect((await findWorkers()).find((w) => w.id === id)?.state).toBe("stopped");
  }, 60_000);

  it("refuses to start with a provider it does not know, or CUDA where onnxruntime has no CUDA provider", async () => {
    const bad = spawnWorker({ provider: t.provider, url: t.url() }, { WORKER_PROVIDER: "gpu" });
    children.push(bad);
    expect(await exited(bad)).toEqual({ code: 1, signal: null });
    expect(bad.output()).toContain('WORKER_PROVIDER must be "cpu" or "cuda", got "gpu"');
    const threads = spawnWorker({ provider: t.provider, url: t.url() }, { WORKER_THREADS: "two" });
    children.push(threads);
    expect(await exited(threads)).toEqual({ code: 1, signal: null });
    expect(threads.output()).toContain("WORKER_THREADS must be a whole number from 0");
    if (!isCudaInstalled()) {
      const cuda = spawnWorker({ provider: t.provider, url: t.url() }, { WORKER_PROVIDER: "cuda" });
      children.push(cuda);
      expect(await exited(cuda)).toEqual({ code: 1, signal: null });
      expect(cuda.output()).toContain('WORKER_PROVIDER is "cuda", but the CUDA execution provider');
    }
    expect(await t.db().worker.count({ where: { pid: { in: [bad.pid!, threads.pid!] } } })).toBe(0);
  }, 60_000);
});
