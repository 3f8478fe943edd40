// Runs claimed jobs one at a time: checks the payload version and contract, renews the lease while
// the handler runs, records the outcome, and on stop() hands the running job back to the queue.
import { JOBS, type TJobDef, type TJobKind, type TJobPayload } from "./contracts";
import { claimJob, failAbandonedJobs, failJob, finishJob, releaseJob, renewLease, type TClaimedJob } from "./job-queue";

export type TJobContext = {
  jobId: string;
  attempt: number;
  /** Aborted when the worker stops or loses the lease: stop at the next safe point and throw. */
  signal: AbortSignal;
};
export type TJobHandler<K extends TJobKind> = {
  run: (payload: TJobPayload<K>, ctx: TJobContext) => Promise<unknown>;
  /** After the job failed for good (runs used up, refused, or its worker died on the last run). */
  onFailed?: (payload: TJobPayload<K>, reason: string) => Promise<void>;
};
export type THandlers = { [K in TJobKind]?: TJobHandler<K> };

export type TRunnerOptions = {
  workerId: string;
  handlers: THandlers;
  leaseMs: number;
  log?: (line: string) => void;
};

export class StopRequested extends Error {
  constructor() {
    super("the worker is stopping");
  }
}

export function createJobRunner(o: TRunnerOptions) {
  const log = o.log ?? ((line: string) => console.log(line));
  const kinds = Object.keys(o.handlers);
  let running: { job: TClaimedJob; abort: AbortController; done: Promise<void> } | null = null;
  let isStopping = false;
  const handlerOf = (kind: string) => (o.handlers as Record<string, TJobHandler<TJobKind> | undefined>)[kind];

  async function onFailed(kind: string, payload: unknown, reason: string) {
    const parsed = (JOBS as Record<string, TJobDef>)[kind]?.payload.safeParse(payload);
    if (!parsed?.success) return;
    await handlerOf(kind)
      ?.onFailed?.(parsed.data as never, reason)
      .catch((e: unknown) => log(`clean-up of failed ${kind} job failed: ${String(e)}`));
  }

  async function run(job: TClaimedJob): Promise<void> {
    const def = (JOBS as Record<string, TJobDef>)[job.kind];
    const handler = handlerOf(job.kind);
    if (!def || !handler) {
      await failJob(job, new Error(`no handler for job kind "${job.kind}" in this worker`), { isPermanent: true });
      return;
    }
    if (job.version !== def.version) {
      const reason = `payload version ${job.version} of "${job.kind}" is not known to this worker (it runs version ${def.version}); run a worker of the same release as the web server`;
      await failJob(job, new Error(reason), { isPermanent: true });
      log(`job ${job.id} refused: ${reason}`);
      return;
    }
    const parsed = def.payload.safeParse(job.payload);
    if (!parsed.success) {
      const reason = `payload breaks the "${job.kind}" v${def.version} contract: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.message}`).join("; ")}`;
      await failJob(job, new Error(reason), { isPermanent: true });
      return;
    }
    const abort = new AbortController();
    let isLost = false;
    const renew = setInterval(
      () =>
        void renewLease({ ...job, leaseMs: o.leaseMs }).then(
          (held) => {
            if (!held && !abort.signal.aborted) {
              isLost = true;
              abort.abort(new Error("the job's lease was lost"));
            }
          },
          (e: unknown) => log(`lease renewal of ${job.id} failed: ${String(e)}`),
        ),
      Math.max(50, Math.floor(o.leaseMs / 3)),
    );
    const done = (async () => {
      try {
        const result = await handler.run(parsed.data as never, {
          jobId: job.id,
          attempt: job.attempts,
          signal: abort.signal,
        });
        if (!(await finishJob(job, result))) log(`job ${job.id} finished after its lease was lost; result dropped`);
      } catch (e) {
        if (isLost) return; // another worker owns the job now
        if (isStopping) {
          await releaseJob(job);
          log(`job ${job.id} handed back`);
          return;
        }
        log(`job ${job.id} (${job.kind}) failed: ${e instanceof Error ? e.message : String(e)}`);
        const outcome = await failJob(job, e);
        if (outcome.status === "failed")
          await onFailed(job.kind, job.payload, e instanceof Error ? e.message : String(e));
      } finally {
        clearInterval(renew);
      }
    })();
    running = { job, abort, done };
    await done;
    running = null;
  }

  return {
    /** Claims and runs one job; false when none was due. */
    async runNext(): Promise<boolean> {
      if (isStopping) return false;
      for (const job of await failAbandonedJobs())
        await onFailed(job.kind, job.payload, job.error ?? "its worker died");
      const job = await claimJob({ workerId: o.workerId, kinds, leaseMs: o.leaseMs });
      if (!job) return false;
      await run(job);
      return true;
    },
    /** Claims the job `jobId` if it is runnable and runs it here (a CLI running its own job); false if not claimable. */
    async runJobById(jobId: string): Promise<boolean> {
      const job = await claimJob({ workerId: o.workerId, kinds, leaseMs: o.leaseMs, jobId });
      if (!job) return false;
      await run(job);
      return true;
    },
    /** Stops claiming; a running job is asked to stop and handed back to the queue. */
    async stop(): Promise<void> {
      isStopping = true;
      const r = running;
      if (!r) return;
      r.abort.abort(new StopRequested());
      await r.done;
    },
    get isStopping() {
      return isStopping;
    },
  };
}
