// Public surface of the loss graph builders.
export { asFloat, logSigmoid, relu, scalar, sumAll } from "./common";
export { crossEntropy } from "./cross-entropy";
export { DPO_LOSS_TYPES, dpo, type TDpoConfig, type TDpoLossType } from "./dpo";
export { GRPO_LOSS_TYPES, grpo, rloo, type TGrpoConfig, type TGrpoInputs, type TGrpoLossType } from "./policy-gradient";
export { bradleyTerry, plackettLuce, type TPairInputs, type TRankingTerms } from "./reward";
export { entropySum, scoredMask, tokenLogprobs, type TTokenLogprobs } from "./token-logprobs";
export type { TLossOut } from "./types";
