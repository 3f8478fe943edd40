// label.next: a labeller paused in the project (gold accuracy, labeller-pause.ts) gets the pause and its reason
// instead of a task; anyone else the lease of leaseNext (their open lease, a gold comparison at the project's
// gold rate, or the queue's next), or null when there is nothing left.
import { findOpenPause, type TPauseAnswer } from "../quality/labeller-pause";
import { leaseNext } from "./lease-next";
import type { TTask } from "./get-task";

export async function nextTaskOrPause(opts: {
  userId: string;
  projectSlug: string;
  now?: Date;
  random?: () => number;
}): Promise<TTask | TPauseAnswer | null> {
  const pause = await findOpenPause(opts);
  if (pause) return { pause: { reason: pause.reason, since: pause.createdAt } };
  return leaseNext(opts);
}
