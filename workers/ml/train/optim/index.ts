// Public surface of the optimiser package (AdamW, clipping, lr schedules, state files); pure TypeScript, no graph.
export { ADAMW_DEFAULTS, AdamW, isNoDecayParameter, validateAdamWConfig } from "./adamw";
export type { AdamWConfig, AdamWMoments, AdamWParam, AdamWState } from "./adamw";
export { clipGradNorm, globalGradNorm } from "./clip";
export { createSchedule, warmupStepsOf } from "./schedule";
export type { LrSchedule, ScheduleKind, ScheduleOptions } from "./schedule";
export {
  loadOptimizerState,
  OPTIMIZER_META_FILE,
  OPTIMIZER_TENSORS_FILE,
  readOptimizerMeta,
  saveOptimizerState,
} from "./state";
export type { TOptimizerMeta } from "./state";
