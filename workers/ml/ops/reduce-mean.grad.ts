// ReduceMean's gradient: dX = Expand(dY / n, shape(X)), n the number of elements each mean averaged (a constant
// when the reduced dims are static, else a product of Shape entries).
import { at, type GraphBuilder, type Node, type Value } from "../ir";
import { cast } from "./cast";
import { div } from "./div";
import { expand } from "./expand";
import { gather } from "./gather";
import { gradOf, inputOf, perInput, scalar, shapeOf } from "./grad-util";
import { int64Scalar } from "./int-inputs";
import { mul } from "./mul";
import type { GradRule } from "./op";
import { reducedAxes, withKeptDims } from "./reduce-family.grad";
import { ReduceMean } from "./reduce-mean";
import { shape } from "./shape";

function count(b: GraphBuilder, x: Value, axes: readonly number[]): Value {
  const dims = axes.map((a) => at(x.type.shape, a));
  const fixed = dims.reduce<number>((p, d) => (typeof d === "number" ? p * d : p), 1);
  let n = scalar(b, x, fixed);
  const s = axes.some((_, i) => typeof dims[i] !== "number") ? shape(b, x) : null;
  axes.forEach((a, i) => {
    if (s !== null && typeof dims[i] !== "number")
      n = mul(b, n, cast(b, gather(b, s, int64Scalar(b, a)), x.type.dtype));
  });
  return n;
}

function meanGrad(b: GraphBuilder, node: Node, g: Value): Value {
  const x = inputOf(node, 0);
  const axes = reducedAxes(ReduceMean, node);
  if (axes === "noop") return g;
  if (axes === "runtime") throw new Error(`ReduceMean gradient: node ${node.name} needs its axes known at build time`);
  return expand(b, div(b, withKeptDims(b, ReduceMean, node, axes, g), count(b, x, axes)), shapeOf(b, x));
}

export const reduceMeanGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => meanGrad(b, node, gradOf(node, gys)), null]);
