// ReduceMax's gradient: a subgradient that sends dY to the positions holding the maximum.
// NOTE: ties share dY equally (PyTorch's amax does the same): dX = [X == Y] * dY / count(X == Y). A NaN
// maximum matches no position, so that row gets no gradient.
import { cast } from "./cast";
import { div } from "./div";
import { equal } from "./equal";
import { gradOf, inputOf, outputOf, perInput } from "./grad-util";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { reducedAxes, sameAxes, withKeptDims } from "./reduce-family.grad";
import { ReduceMax } from "./reduce-max";
import { reduceSum } from "./reduce-sum";

export const reduceMaxGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const x = inputOf(node, 0);
  const axes = reducedAxes(ReduceMax, node);
  const dX = () => {
    if (axes === "noop") return g;
    const isMax = cast(b, equal(b, x, withKeptDims(b, ReduceMax, node, axes, outputOf(node))), x.type.dtype); // X's shape
    const ties = reduceSum(b, isMax, sameAxes(node, axes), { keepdims: 1 });
    return mul(b, isMax, div(b, withKeptDims(b, ReduceMax, node, axes, g), ties));
  };
  return perInput(needs, [dX, null]);
};
