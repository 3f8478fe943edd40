// The worker process: schedules its periodic jobs and runs queued jobs from the database.
// The model engine (generation, training) joins here as new job kinds.
import { hostname } from "node:os";
import { env } from "../server/env";
import { getDb } from "../server/db";
import { JOBS, scheduledJobId, type TJobKind } from "../server/jobs/contracts";
import { claimJob, enqueueJob, failJob, finishJob, pruneFinishedJobs } from "../server/jobs/job-queue";
import { releaseExpiredLeases } from "../server/services/queue/release-expired-leases";

const POLL_MS = 2_000;
const workerId = `${hostname()}:${process.pid}`;

const handlers: { [K in TJobKind]: (payload: unknown) => Promise<unknown> } = {
  "queue.release-expired-leases": async (payload) => {
    const p = JOBS["queue.release-expired-leases"].payload.parse(payload);
    return { released: await releaseExpiredLeases({ projectId: p.projectId }) };
  },
};

const KEEP_FINISHED_MS = 7 * 86_400_000;

async function scheduleMaintenance(now: Date) {
  const minute = now.toISOString().slice(0, 16);
  const isNew = await enqueueJob({
    id: scheduledJobId("queue.release-expired-leases", minute),
    kind: "queue.release-expired-leases",
    payload: {},
  });
  // Once a minute (by whichever worker enqueued this minute's job): forget old finished jobs.
  if (isNew) await pruneFinishedJobs(new Date(now.getTime() - KEEP_FINISHED_MS));
}

async function runOnce(): Promise<boolean> {
  const job = await claimJob({ workerId, kinds: Object.keys(handlers) });
  if (!job) return false;
  try {
    await finishJob(job.id, await handlers[job.kind as TJobKind](job.payload));
  } catch (e) {
    console.error(`job ${job.id} failed:`, e);
    await failJob(job.id, job.attempts, e);
  }
  return true;
}

async function main() {
  env();
  console.log(`worker ${workerId} started (${env().DB_PROVIDER})`);
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  while (!stopping) {
    try {
      await scheduleMaintenance(new Date());
      while (!stopping && (await runOnce()));
    } catch (e) {
      console.error("worker loop error:", e);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await getDb().$disconnect();
  console.log("worker stopped");
}

void main();
