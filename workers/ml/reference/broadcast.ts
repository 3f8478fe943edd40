// Numpy broadcasting for the reference ops (shape rule and broadcast elementwise map); tests only.
import { at, numel } from "../ir";
import { strides, type NdArray } from "./ndarray";
import type { DType } from "../ir";

export function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const x = s[s.length - rank + i] ?? 1;
      if (x !== 1 && d !== 1 && x !== d)
        throw new Error(`reference: cannot broadcast [${shapes.map((t) => t.join(",")).join("] and [")}]`);
      if (x !== 1) d = x;
    }
    out.push(d);
  }
  return out;
}

/** Flat source positions of `a` for each element of `shape` (broadcast view). */
export function broadcastIndex(a: NdArray, shape: readonly number[]): Int32Array {
  const n = numel(shape);
  const out = new Int32Array(n);
  const st = strides(a.shape);
  const off = shape.length - a.shape.length;
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    let src = 0;
    for (let i = 0; i < a.shape.length; i++) if (at(a.shape, i) !== 1) src += at(idx, i + off) * at(st, i);
    out[f] = src;
    for (let i = shape.length - 1; i >= 0; i--) {
      idx[i] = at(idx, i) + 1;
      if (at(idx, i) < at(shape, i)) break;
      idx[i] = 0;
    }
  }
  return out;
}

export function broadcastTo(a: NdArray, shape: readonly number[]): NdArray {
  const ix = broadcastIndex(a, shape);
  return { dtype: a.dtype, shape: [...shape], data: Float64Array.from(ix, (i) => at(a.data, i)) };
}

/** Applies `f` elementwise over broadcast inputs. */
export function mapBroadcast(inputs: readonly NdArray[], dtype: DType, f: (xs: number[]) => number): NdArray {
  const shape = broadcastShape(inputs.map((a) => a.shape));
  const ixs = inputs.map((a) => broadcastIndex(a, shape));
  const data = new Float64Array(numel(shape));
  const xs = new Array<number>(inputs.length).fill(0);
  for (let i = 0; i < data.length; i++) {
    for (let k = 0; k < inputs.length; k++) xs[k] = at(at(inputs, k).data, at(at(ixs, k), i));
    data[i] = f(xs);
  }
  return { dtype, shape, data };
}
