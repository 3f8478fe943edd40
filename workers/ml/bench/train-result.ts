// What each training-benchmark child process prints (engine-train.ts, torch_train.py): one JSON object.
import { z } from "zod";

/** Times in seconds, memory in bytes. */
export const ZTrainRun = z.object({
  stepSeconds: z.number(),
  stepRuns: z.array(z.number()),
  loadSeconds: z.number(),
  /** Loss (sum / count), global gradient norm before clipping and metrics of the first (warm-up) step, and
   *  the loss of the second: the same batch after one AdamW update. */
  first: z.object({ loss: z.number(), gradNorm: z.number(), metrics: z.record(z.string(), z.number()) }),
  secondLoss: z.number(),
  peakRssBytes: z.number(),
  /** VmRSS at named points (after loading, after the session, ...), in order. */
  rss: z.array(z.tuple([z.string(), z.number()])),
  cpuSeconds: z.number(),
  /** Median seconds per step in each phase (names differ by side). */
  phases: z.record(z.string(), z.number()),
});
export type TTrainRun = z.infer<typeof ZTrainRun>;
