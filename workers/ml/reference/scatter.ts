// Reference ScatterElements (reductions none and add, negative indices) in float64; tests only.
import { at, numel } from "../ir";
import { nodeAttrs, type ScatterElementsAttrs } from "../ops";
import { normAxis, ravel, strides, unravel } from "./ndarray";
import { input, type RefOp } from "./ref-op";

const scatterElements: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const idx = input(ins, 1, node);
  const upd = input(ins, 2, node);
  const { axis, reduction } = nodeAttrs<ScatterElementsAttrs>(node);
  const ax = normAxis(axis, x.shape.length);
  const d = at(x.shape, ax);
  const sx = strides(x.shape);
  const out = Float64Array.from(x.data);
  for (let f = 0; f < numel(idx.shape); f++) {
    const o = unravel(f, idx.shape);
    const k = at(idx.data, f);
    if (k < -d || k >= d) throw new Error(`reference: index ${k} out of range for size ${d}`);
    o[ax] = k < 0 ? k + d : k;
    const pos = ravel(o, sx);
    out[pos] = reduction === "add" ? at(out, pos) + at(upd.data, f) : at(upd.data, f);
  }
  return [{ ...x, data: out }];
};

export const SCATTER: Readonly<Record<string, RefOp>> = { ScatterElements: scatterElements };
