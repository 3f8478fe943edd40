// Public surface of token selection for generation: parameters, processors, the seeded sampler, stopping.
// Pure TypeScript on Float32Array logits; not the model, the decoding loop or the tokenizer.
export { createRng, type TRng } from "./rng";
export {
  DEFAULT_SAMPLING_PARAMS,
  assertSamplingParams,
  parseSamplingParams,
  type TSamplingParams,
} from "./sampling-params";
export { applyMinP, applyProcessors, applyRepetitionPenalty, applyTemperature } from "./processors";
export { applyTopK } from "./top-k";
export { applyTopP, TOP_P_MAX_VOCAB } from "./top-p";
export { argmax, logSoftmaxAt, rowWeights, type TRowWeights } from "./row-math";
export { sampleNext, type TSampleContext, type TSampleResult } from "./sample";
export { StopChecker, type TFinish, type TFinishReason, type TStopOptions } from "./stop";
