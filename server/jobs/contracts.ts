// The web-to-worker contract: each job kind has a version, a zod payload schema and its queue
// settings, shared by whoever enqueues (web, CLI, scheduler) and the worker that runs it.
// Changing a payload's shape means a new version: a worker refuses versions it does not know.
import { z } from "zod";

export type TJobDef = {
  version: number;
  payload: z.ZodType;
  /** Runs (first run included) before the job fails for good. */
  maxAttempts: number;
  /** At most this many jobs of the kind run at once per concurrency key (none: no limit). */
  concurrency?: number;
};

export const JOBS = {
  "queue.release-expired-leases": {
    version: 1,
    payload: z.object({ projectId: z.string().optional() }),
    maxAttempts: 3,
  },
  /** Reads a spooled prompt file into a project (ImportBatch `importId` holds the file and the options). */
  import: {
    version: 1,
    // withoutRankings: import the prompts and candidates only, leaving out the rankings the file carries.
    payload: z.object({ importId: z.string().min(1).max(64), withoutRankings: z.boolean().optional() }),
    maxAttempts: 3,
    concurrency: 1, // per project: imports into one project take turns
  },
  /** Tops up a project's buffer of ready comparisons with candidates from its active policy. */
  "generate.candidates": {
    version: 1,
    payload: z.object({ projectId: z.string().min(1).max(64) }),
    maxAttempts: 3,
    concurrency: 1, // per project: one generation at a time
  },
  /** One training round (TrainingRun `runId`): DPO from the judgments, evaluation, registration, promotion. */
  "train.round": {
    version: 1,
    payload: z.object({ runId: z.string().min(1).max(64) }),
    maxAttempts: 2,
    concurrency: 1, // per project: one training run at a time
  },
} as const satisfies Record<string, TJobDef>;

export type TJobKind = keyof typeof JOBS;
export type TJobPayload<K extends TJobKind> = z.infer<(typeof JOBS)[K]["payload"]>;

export const isJobKind = (kind: string): kind is TJobKind => Object.hasOwn(JOBS, kind);

/** Deterministic id for scheduled work: two schedulers racing for the same slot collide on it. */
export const scheduledJobId = (kind: TJobKind, slot: string) => `${kind}@${slot}`;

/** Delay before run `attempt + 1` after run `attempt` failed: 5 s, 10 s, 20 s … capped at 10 minutes. */
export const retryDelayMs = (attempt: number) => Math.min(5_000 * 2 ** (attempt - 1), 600_000);
