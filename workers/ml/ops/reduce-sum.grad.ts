// ReduceSum's gradient: dY copied back over the reduced axes, dX = Expand(dY with kept dims, shape(X)).
import { expand } from "./expand";
import { gradOf, inputOf, perInput, shapeOf } from "./grad-util";
import type { GradRule } from "./op";
import { reducedAxes, withKeptDims } from "./reduce-family.grad";
import { ReduceSum } from "./reduce-sum";

export const reduceSumGrad: GradRule = (b, node, gys, needs) => {
  const g = gradOf(node, gys);
  const x = inputOf(node, 0);
  const axes = reducedAxes(ReduceSum, node);
  return perInput(needs, [
    () => (axes === "noop" ? g : expand(b, withKeptDims(b, ReduceSum, node, axes, g), shapeOf(b, x))),
    null,
  ]);
};
