// Learning-rate schedules as transformers' get_scheduler lambdas (constant, warm-up, linear, cosine); not an optimiser.
// The lr of optimiser step k (0-based) is baseLr * lambda(k): HF calls scheduler.step() after optimizer.step(),
// so with warm-up the first step runs at lambda(0) = 0.

export type ScheduleKind = "constant" | "constant_with_warmup" | "linear" | "cosine";

export interface ScheduleOptions {
  readonly kind: ScheduleKind;
  readonly baseLr: number;
  /** Number of optimiser steps of the whole run (HF's num_training_steps). */
  readonly totalSteps: number;
  /** Warm-up as a step count (HF's warmup_steps); exclusive with `warmupRatio`. */
  readonly warmupSteps?: number;
  /** Warm-up as a fraction of `totalSteps`, rounded up (HF's get_warmup_steps: ceil(total * ratio)). */
  readonly warmupRatio?: number;
  /** Cosine only: number of waves (HF default 0.5, from baseLr down to 0). */
  readonly numCycles?: number;
}

export interface LrSchedule {
  readonly kind: ScheduleKind;
  readonly baseLr: number;
  readonly totalSteps: number;
  readonly warmupSteps: number;
  /** The multiplier of baseLr at optimiser step `step` (0 <= step <= totalSteps). */
  lambda(step: number): number;
  /** baseLr * lambda(step): the lr optimiser step `step` uses. */
  lrAt(step: number): number;
}

/** HF's get_warmup_steps: explicit steps win, else ceil(totalSteps * ratio). */
export function warmupStepsOf(totalSteps: number, warmupSteps = 0, warmupRatio = 0): number {
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0)
    throw new RangeError(`schedule: warmupSteps must be a non-negative integer, got ${warmupSteps}`);
  if (!(warmupRatio >= 0 && warmupRatio <= 1))
    throw new RangeError(`schedule: warmupRatio must be in [0, 1], got ${warmupRatio}`);
  if (warmupSteps > 0 && warmupRatio > 0) throw new RangeError("schedule: give warmupSteps or warmupRatio, not both");
  return warmupSteps > 0 ? warmupSteps : Math.ceil(totalSteps * warmupRatio);
}

export function createSchedule(options: ScheduleOptions): LrSchedule {
  const { kind, baseLr, totalSteps, numCycles = 0.5 } = options;
  if (!Number.isFinite(baseLr) || baseLr < 0)
    throw new RangeError(`schedule: baseLr must be finite and >= 0, got ${baseLr}`);
  if (!Number.isInteger(totalSteps) || totalSteps < 1)
    throw new RangeError(`schedule: totalSteps must be a positive integer, got ${totalSteps}`);
  if (!Number.isFinite(numCycles) || numCycles <= 0)
    throw new RangeError(`schedule: numCycles must be finite and > 0, got ${numCycles}`);
  const warmup = warmupStepsOf(totalSteps, options.warmupSteps, options.warmupRatio);
  if (kind === "constant" && warmup > 0)
    throw new RangeError("schedule: 'constant' takes no warm-up (use 'constant_with_warmup')");
  if (warmup > totalSteps)
    throw new RangeError(`schedule: ${warmup} warm-up steps exceed the ${totalSteps} total steps`);
  const decaySteps = Math.max(1, totalSteps - warmup);
  const after = (step: number): number => {
    switch (kind) {
      case "constant":
      case "constant_with_warmup":
        return 1;
      case "linear":
        return Math.max(0, (totalSteps - step) / decaySteps);
      case "cosine": {
        const progress = (step - warmup) / decaySteps;
        return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
      }
    }
  };
  const lambda = (step: number): number => {
    if (!Number.isInteger(step) || step < 0 || step > totalSteps)
      throw new RangeError(`schedule: step ${step} is outside 0..${totalSteps}`);
    return step < warmup ? step / Math.max(1, warmup) : after(step);
  };
  return { kind, baseLr, totalSteps, warmupSteps: warmup, lambda, lrAt: (step) => baseLr * lambda(step) };
}
