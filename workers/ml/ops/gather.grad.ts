// Gather's gradient: dY scatter-added back into zeros of X's shape at the gathered positions (an embedding's
// gradient), through ScatterElements(reduction="add"); repeated indices accumulate. Indices get none.
// dY [..a, ..i, ..b] is viewed as [..a, N, ..b] (N = number of indices) and the indices are broadcast to that
// shape. NOTE: the broadcast int64 indices are as large as dY; ScatterND would need only [N, 1], at the price
// of moving the axis first (a Transpose of dY and of the result when axis > 0).
import { type GraphBuilder, type Node, type Value } from "../ir";
import { concat } from "./concat";
import { expand } from "./expand";
import { Gather } from "./gather";
import { attrsOf, gradOf, inputOf, perInput, shapeOf, staticDims, zerosLike } from "./grad-util";
import { int64s } from "./int-inputs";
import type { GradRule } from "./op";
import { reshape } from "./reshape";
import { scatterElements } from "./scatter-elements";

function flatShape(b: GraphBuilder, x: Value, axis: number): Value {
  const r = x.type.shape.length;
  const known = staticDims(x.type.shape);
  if (known) return int64s(b, [...known.slice(0, axis), -1, ...known.slice(axis + 1)]);
  const pieces = [
    axis > 0 ? shapeOf(b, x, 0, axis) : null,
    int64s(b, [-1]),
    axis + 1 < r ? shapeOf(b, x, axis + 1, r) : null,
  ];
  return concat(
    b,
    pieces.filter((p): p is Value => p !== null),
    { axis: 0 },
  );
}

function scatterBack(b: GraphBuilder, node: Node, g: Value): Value {
  const [x, idx] = [inputOf(node, 0), inputOf(node, 1)];
  const r = x.type.shape.length;
  const axis = (attrsOf(Gather, node).axis + r) % r;
  const gFlat = idx.type.shape.length === 1 ? g : reshape(b, g, flatShape(b, x, axis)); // [..a, N, ..b]
  const ones = (n: number) => new Array<number>(n).fill(1);
  const idxFlat = reshape(b, idx, [...ones(axis), -1, ...ones(r - axis - 1)]); // [1.., N, ..1]
  const idxFull = expand(b, idxFlat, shapeOf(b, gFlat)); // [..a, N, ..b]
  return scatterElements(b, zerosLike(b, x), idxFull, gFlat, { axis, reduction: "add" });
}

export const gatherGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => scatterBack(b, node, gradOf(node, gys)), null]);
