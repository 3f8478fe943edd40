// Reference Gather, GatherElements, Trilu and CumSum in float64; tests only.
import { at, numel } from "../ir";
import { nodeAttrs, type CumSumAttrs, type GatherAttrs, type TriluAttrs } from "../ops";
import { ints, normAxis, ravel, strides, unravel, type NdArray } from "./ndarray";
import { input, type RefOp } from "./ref-op";

function index(i: number, d: number): number {
  const j = i < 0 ? i + d : i;
  if (j < 0 || j >= d) throw new Error(`reference: index ${i} out of range for size ${d}`);
  return j;
}

const gather: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const idx = input(ins, 1, node);
  const axis = normAxis(nodeAttrs<GatherAttrs>(node).axis, x.shape.length);
  const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  const [sx, si] = [strides(x.shape), strides(idx.shape)];
  const data = new Float64Array(numel(shape)).map((_, f) => {
    const o = unravel(f, shape);
    const k = index(at(idx.data, ravel(o.slice(axis, axis + idx.shape.length), si)), at(x.shape, axis));
    return at(x.data, ravel([...o.slice(0, axis), k, ...o.slice(axis + idx.shape.length)], sx));
  });
  return [{ dtype: x.dtype, shape, data }];
};

const gatherElements: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const idx = input(ins, 1, node);
  const axis = normAxis(nodeAttrs<GatherAttrs>(node).axis, x.shape.length);
  const sx = strides(x.shape);
  const data = idx.data.map((v, f) => {
    const o = unravel(f, idx.shape);
    o[axis] = index(v, at(x.shape, axis));
    return at(x.data, ravel(o, sx));
  });
  return [{ dtype: x.dtype, shape: idx.shape, data }];
};

const trilu: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const k = ins[1] ? at(ins[1].data, 0) : 0;
  const isUpper = nodeAttrs<TriluAttrs>(node).upper === 1;
  const [r, c] = x.shape.slice(-2) as [number, number];
  const data = x.data.map((v, f) => {
    const i = Math.floor(f / c) % r;
    const j = f % c;
    return (isUpper ? j - i >= k : j - i <= k) ? v : 0;
  });
  return [{ ...x, data }];
};

const cumSum: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const axis = normAxis(at(ints(input(ins, 1, node)), 0), x.shape.length);
  const { exclusive, reverse } = nodeAttrs<CumSumAttrs>(node);
  const d = at(x.shape, axis);
  const inner = numel(x.shape.slice(axis + 1));
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < numel(x.shape.slice(0, axis)); o++)
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const pos = o * d * inner + (reverse === 1 ? d - 1 - t : t) * inner + i;
        if (exclusive === 1) {
          out[pos] = s;
          s += at(x.data, pos);
        } else {
          s += at(x.data, pos);
          out[pos] = s;
        }
      }
    }
  return [{ ...x, data: out } satisfies NdArray];
};

export const INDEXING: Readonly<Record<string, RefOp>> = {
  Gather: gather,
  GatherElements: gatherElements,
  Trilu: trilu,
  CumSum: cumSum,
};
