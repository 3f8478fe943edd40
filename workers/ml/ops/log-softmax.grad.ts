// LogSoftmax's gradient along its axis: dX = dY - exp(Y) * sum(dY) (exp(Y) is the softmax, in [0, 1]).
// A LogSoftmax read by a GatherElements (cross-entropy, token log-probs) is differentiated by autodiff's
// fused rule instead (autodiff/fused-log-softmax-gather.ts), which skips the dense scattered dY.
import { attrsOf, gradOf, outputOf, perInput } from "./grad-util";
import { exp } from "./exp";
import { LogSoftmax } from "./log-softmax";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { reduceSum } from "./reduce-sum";
import { sub } from "./sub";

export const logSoftmaxGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const { axis } = attrsOf(LogSoftmax, node);
  return perInput(needs, [() => sub(b, g, mul(b, exp(b, outputOf(node)), reduceSum(b, g, [axis], { keepdims: 1 })))]);
};
