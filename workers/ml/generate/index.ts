// Public surface of token selection for generation: parameters, processors, the seeded sampler, stopping.
// Token choice is pure TypeScript on Float32Array logits; generate.ts is the decoding loop over a loaded model.
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
export { generate, type TGenerateOptions, type TGenerateResult, type TGenerateStats } from "./generate";
export { CandidateState, type TCandidate, type TTokenEvent } from "./candidate";
export { ContextWindowError, preparePrompts, type TPreparedPrompt } from "./prompts";
export { cacheLength, repeatRowIndices, takeCacheRows, takeRows, type TKvCache, type TLayerKv } from "./kv-cache";
