// The web-to-worker contract: each job kind has an id scheme, a version and a zod payload schema,
// shared by whoever enqueues (web, CLI, scheduler) and the worker that runs it.
import { z } from "zod";

export const JOBS = {
  "queue.release-expired-leases": {
    version: 1,
    payload: z.object({ projectId: z.string().optional() }),
  },
} as const;

export type TJobKind = keyof typeof JOBS;
export type TJobPayload<K extends TJobKind> = z.infer<(typeof JOBS)[K]["payload"]>;

export const isJobKind = (kind: string): kind is TJobKind => Object.hasOwn(JOBS, kind);

/** Deterministic id for scheduled work: two schedulers racing for the same slot collide on it. */
export const scheduledJobId = (kind: TJobKind, slot: string) => `${kind}@${slot}`;
