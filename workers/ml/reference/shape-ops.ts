// Reference ops that only change or read shapes (Reshape, Unsqueeze, Squeeze, Expand, Shape, Range,
// ConstantOfShape) in float64; tests only.
import { at, getNumber, numel } from "../ir";
import { nodeAttrs, type ConstantOfShapeAttrs, type ReshapeAttrs, type ShapeAttrs } from "../ops";
import { broadcastShape, broadcastTo } from "./broadcast";
import { ints, normAxis, type NdArray } from "./ndarray";
import { input, outDType, type RefOp } from "./ref-op";

const withShape = (x: NdArray, shape: readonly number[]): NdArray => {
  if (numel(shape) !== x.data.length)
    throw new Error(`reference: cannot view [${x.shape.join(", ")}] as [${shape.join(", ")}]`);
  return { ...x, shape: [...shape] };
};

const reshape: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const req = ints(input(ins, 1, node));
  const allowzero = nodeAttrs<ReshapeAttrs>(node).allowzero;
  const shape = req.map((d, i) => (d === 0 && allowzero === 0 ? at(x.shape, i) : d));
  const minus = shape.indexOf(-1);
  if (minus >= 0) shape[minus] = x.data.length / numel(shape.filter((d) => d !== -1));
  return [withShape(x, shape)];
};

const unsqueeze: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const rank = x.shape.length + ints(input(ins, 1, node)).length;
  const axes = ints(input(ins, 1, node)).map((a) => normAxis(a, rank));
  const rest = [...x.shape];
  return [
    withShape(
      x,
      Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : (rest.shift() ?? 0))),
    ),
  ];
};

const squeeze: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const axes = ins[1]
    ? ints(ins[1]).map((a) => normAxis(a, x.shape.length))
    : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  return [
    withShape(
      x,
      x.shape.filter((_, i) => !axes.includes(i)),
    ),
  ];
};

const shape: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const { start, end } = nodeAttrs<ShapeAttrs>(node);
  const r = x.shape.length;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const dims = x.shape.slice(clamp(start), clamp(end ?? r));
  return [{ dtype: "int64", shape: [dims.length], data: Float64Array.from(dims) }];
};

const range: RefOp = (ins, node) => {
  const [start, limit, delta] = [0, 1, 2].map((i) => at(input(ins, i, node).data, 0)) as [number, number, number];
  const n = Math.max(0, Math.ceil((limit - start) / delta));
  return [{ dtype: outDType(node), shape: [n], data: Float64Array.from({ length: n }, (_, i) => start + i * delta) }];
};

const constantOfShape: RefOp = (ins, node) => {
  const dims = ints(input(ins, 0, node));
  const v = nodeAttrs<ConstantOfShapeAttrs>(node).value;
  return [{ dtype: outDType(node), shape: dims, data: new Float64Array(numel(dims)).fill(v ? getNumber(v, 0) : 0) }];
};

const expand: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  return [broadcastTo(x, broadcastShape([x.shape, ints(input(ins, 1, node))]))];
};

export const SHAPE_OPS: Readonly<Record<string, RefOp>> = {
  Reshape: reshape,
  Unsqueeze: unsqueeze,
  Squeeze: squeeze,
  Shape: shape,
  Range: range,
  ConstantOfShape: constantOfShape,
  Expand: expand,
};
