// Softmax's gradient along its axis: dX = Y * (dY - sum(dY * Y)) (Y the forward probabilities).
import { attrsOf, gradOf, outputOf, perInput } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { reduceSum } from "./reduce-sum";
import { Softmax } from "./softmax";
import { sub } from "./sub";

export const softmaxGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const y = outputOf(node);
  const { axis } = attrsOf(Softmax, node);
  return perInput(needs, [() => mul(b, y, sub(b, g, reduceSum(b, mul(b, g, y), [axis], { keepdims: 1 })))]);
};
