// Reference Transpose, Concat, Slice and Split (data movement along axes) in float64; tests only.
import { at, numel, type Node } from "../ir";
import { nodeAttrs, type ConcatAttrs, type SplitAttrs, type TransposeAttrs } from "../ops";
import { ints, normAxis, ravel, strides, unravel, type NdArray } from "./ndarray";
import { input, type RefOp } from "./ref-op";

/** out[o] = x[source(o)] over the output shape. */
function gatherBy(x: NdArray, shape: readonly number[], source: (o: number[]) => number[]): NdArray {
  const st = strides(x.shape);
  const data = new Float64Array(numel(shape)).map((_, f) => at(x.data, ravel(source(unravel(f, shape)), st)));
  return { dtype: x.dtype, shape: [...shape], data };
}

const transpose: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const perm = nodeAttrs<TransposeAttrs>(node).perm ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  const shape = perm.map((p) => at(x.shape, p));
  return [
    gatherBy(x, shape, (o) => {
      const src = new Array<number>(o.length).fill(0);
      perm.forEach((p, i) => (src[p] = at(o, i)));
      return src;
    }),
  ];
};

const concat: RefOp = (ins, node) => {
  const xs = ins.map((_, i) => input(ins, i, node));
  const first = at(xs, 0);
  const axis = normAxis(nodeAttrs<ConcatAttrs>(node).axis, first.shape.length);
  const shape = first.shape.map((d, i) => (i === axis ? xs.reduce((s, x) => s + at(x.shape, axis), 0) : d));
  const data = new Float64Array(numel(shape)).map((_, f) => {
    const o = unravel(f, shape);
    let k = at(o, axis);
    for (const x of xs) {
      if (k < at(x.shape, axis))
        return at(
          x.data,
          ravel(
            o.map((v, i) => (i === axis ? k : v)),
            strides(x.shape),
          ),
        );
      k -= at(x.shape, axis);
    }
    throw new Error("unreachable");
  });
  return [{ dtype: first.dtype, shape, data }];
};

/** Start, step and length of a sliced axis per the ONNX Slice clamping rules. */
export function sliceAxis(
  d: number,
  start: number,
  end: number,
  step: number,
): { start: number; step: number; length: number } {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + d : start;
  let e = end < 0 ? end + d : end;
  if (step > 0) [s, e] = [clamp(s, 0, d), clamp(e, 0, d)];
  else [s, e] = [clamp(s, 0, d - 1), clamp(e, -1, d - 1)];
  return { start: s, step, length: Math.max(0, Math.ceil((e - s) / step)) };
}

function sliceBy(x: NdArray, node: Node, axes: number[], starts: number[], ends: number[], steps: number[]): NdArray {
  const plan = x.shape.map((d) => ({ start: 0, step: 1, length: d }));
  axes.forEach(
    (ax, i) =>
      (plan[normAxis(ax, x.shape.length)] = sliceAxis(
        at(x.shape, normAxis(ax, x.shape.length)),
        at(starts, i),
        at(ends, i),
        steps[i] ?? 1,
      )),
  );
  return gatherBy(
    x,
    plan.map((p) => p.length),
    (o) => o.map((v, i) => at(plan, i).start + v * at(plan, i).step),
  );
}

const slice: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const starts = ints(input(ins, 1, node));
  const axes = ins[3] ? ints(ins[3]) : starts.map((_, i) => i);
  return [sliceBy(x, node, axes, starts, ints(input(ins, 2, node)), ins[4] ? ints(ins[4]) : [])];
};

const split: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const { axis, num_outputs: n } = nodeAttrs<SplitAttrs>(node);
  const ax = normAxis(axis, x.shape.length);
  const d = at(x.shape, ax);
  const chunk = Math.ceil(d / (n ?? 1));
  const sizes = ins[1] ? ints(ins[1]) : Array.from({ length: n ?? 1 }, (_, i) => Math.min(chunk, d - i * chunk));
  let start = 0;
  return sizes.map((s) => {
    const out = sliceBy(x, node, [ax], [start], [start + s], [1]);
    start += s;
    return out;
  });
};

export const LAYOUT: Readonly<Record<string, RefOp>> = {
  Transpose: transpose,
  Concat: concat,
  Slice: slice,
  Split: split,
};
