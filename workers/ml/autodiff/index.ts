// Public surface of reverse-mode differentiation: `grad` and the fused-rule hook; rules live in ops/.
export { DEFAULT_FUSED, grad, type GradOptions } from "./grad";
export type { FusedContext, FusedRule } from "./fused";
export { logSoftmaxGather } from "./fused-log-softmax-gather";
