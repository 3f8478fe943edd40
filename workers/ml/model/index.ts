// Public surface of the Llama-family model: config, weights, the one decoder definition, its graphs, loadModel.
export {
  MODEL_TYPES,
  loadModelConfig,
  parseModelConfig,
  type TModelConfig,
  type TModelType,
  type TRopeScaling,
  type TTorchDtype,
} from "./config";
export { CausalLM, loadModel, type TDecodeResult, type TLoadModelOptions, type TScoreResult } from "./causal-lm";
export { decoder, lmHead, type TDecoderInputs, type TDecoderOutputs } from "./decoder";
export { buildGraph, GRAPH_KINDS, rewardHead, type TGraphKind, type TGraphSource } from "./graphs";
export {
  isQuantizeMode,
  QUANTIZE_MODES,
  type TQuantizeMode,
  type TQuantizeOption,
  type TQuantizeScheme,
} from "./quantize";
export { ropeInvFreq, ropeTables, type TRopeTables } from "./rope";
export { completionBatch, leftPadBatch, PAD_POSITION, textFeeds, type TTextBatch } from "./text-batch";
export {
  initScoreHead,
  loadModelWeights,
  SCORE_WEIGHT,
  type TLoadedWeights,
  type TLoraParams,
  type TModelWeights,
  type TParams,
} from "./weights";
