// The worker process: schedules its periodic jobs and runs queued jobs from the database, one at a
// time, under a lease it renews. SIGTERM or SIGINT: the running job is handed back, then it exits.
import "../server/cli/require-node"; // first: an unsupported Node.js stops here with one line
import { hostname } from "node:os";
import { env } from "../server/env";
import { isAppError } from "../server/errors";
import { getDb } from "../server/db";
import { scheduledJobId } from "../server/jobs/contracts";
import { enqueueJob, hasUnfinishedJob, pruneFinishedJobs } from "../server/jobs/job-queue";
import { createJobRunner } from "../server/jobs/job-runner";
import { appHandlers } from "../server/jobs/app-handlers";
import { findGeneratingProjects } from "../server/services/generation/generating-projects";
import { generateCandidates } from "./generation/generate-job";
import { trainRound } from "./training/train-round-job";
import { findProjectsDueForTraining, requestTrainingRun } from "../server/services/training/request-training-run";
import { markWorkerStopped, reportWorker } from "../server/jobs/worker-registry";
import { workerReport, workerRuntime } from "./runtime-config";

const POLL_MS = Number(process.env.WORKER_POLL_MS ?? 2_000);
/** How long a claimed job stays this worker's without a renewal (renewed every third of it). */
const LEASE_MS = Number(process.env.WORKER_LEASE_MS ?? 60_000);
const KEEP_FINISHED_MS = 7 * 86_400_000;
/** How often each generating project's candidate buffer is topped up (one job per project per slot). */
const GENERATION_SLOT_MS = Number(process.env.GENERATION_SLOT_MS ?? 10_000);
/** How often the worker reports itself (the admin's "last seen"); it counts as silent after 3 missed beats. */
const HEARTBEAT_MS = Number(process.env.WORKER_HEARTBEAT_MS ?? 10_000);
const workerId = `${hostname()}:${process.pid}`;

async function scheduleMaintenance(now: Date) {
  const minute = now.toISOString().slice(0, 16);
  const isNew = await enqueueJob({
    id: scheduledJobId("queue.release-expired-leases", minute),
    kind: "queue.release-expired-leases",
    payload: {},
  });
  // Once a minute (by whichever worker enqueued this minute's job): forget old finished jobs.
  if (isNew) await pruneFinishedJobs(new Date(now.getTime() - KEEP_FINISHED_MS));
  const slot = Math.floor(now.getTime() / GENERATION_SLOT_MS);
  for (const projectId of await findGeneratingProjects()) {
    if (await hasUnfinishedJob("generate.candidates", projectId)) continue;
    await enqueueJob({
      id: scheduledJobId("generate.candidates", `${projectId}@${slot}`),
      kind: "generate.candidates",
      payload: { projectId },
      concurrencyKey: projectId,
    });
  }
  for (const projectId of await findProjectsDueForTraining()) {
    // Racing schedulers: the second finds the first's run unfinished and is refused (CONFLICT).
    await requestTrainingRun({ projectId, trigger: "schedule" }).catch((e: unknown) => {
      if (!(isAppError(e) && e.code === "CONFLICT")) throw e;
    });
  }
}

async function main() {
  env();
  let report;
  try {
    report = workerReport(workerId, workerRuntime(), HEARTBEAT_MS);
  } catch (e) {
    console.error(`worker ${workerId} cannot start: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  await reportWorker(report, { isStart: true });
  // A timer of its own: model work runs in child processes, so the beat goes on while a job runs.
  let beat = Promise.resolve();
  const heartbeat = setInterval(() => {
    beat = reportWorker(report, { isStart: false }).catch((e: unknown) => console.error("worker heartbeat failed:", e));
  }, HEARTBEAT_MS);
  const runner = createJobRunner({
    workerId,
    handlers: { ...appHandlers, "generate.candidates": generateCandidates, "train.round": trainRound },
    leaseMs: LEASE_MS,
  });
  console.log(
    `worker ${workerId} started (${env().DB_PROVIDER}, provider ${report.executionProvider}, ${report.intraOpThreads || "default"} threads)`,
  );
  let wake: (() => void) | null = null;
  const stop = () => {
    if (runner.isStopping) return;
    console.log("worker stopping…");
    void runner.stop().then(() => wake?.());
    wake?.();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  while (!runner.isStopping) {
    try {
      await scheduleMaintenance(new Date());
      while (await runner.runNext());
    } catch (e) {
      console.error("worker loop error:", e);
    }
    if (runner.isStopping) break;
    await new Promise<void>((r) => {
      wake = r;
      setTimeout(r, POLL_MS);
    });
  }
  await runner.stop();
  clearInterval(heartbeat);
  await beat; // a beat in flight must not land after the stop mark
  await markWorkerStopped(workerId).catch((e: unknown) => console.error("could not mark the worker stopped:", e));
  await getDb().$disconnect();
  console.log("worker stopped");
  process.exit(0);
}

void main();
