// Shared pieces of shape and dtype inference: dtype sets, axes, broadcasting, known small-int contents.
// Not op-specific rules.
import { dimEq, dimsToString, isUnknownDim, type Dim, type DType, type Value } from "../ir";
import type { InferArgs } from "./op";

export const FLOATS: readonly DType[] = ["float32", "float16", "bfloat16", "float64"];
export const INTS: readonly DType[] = ["int64", "int32", "int8", "uint8"];
export const NUMERIC: readonly DType[] = [...FLOATS, ...INTS];
export const SIGNED: readonly DType[] = [...FLOATS, "int64", "int32", "int8"];
export const ALL: readonly DType[] = [...NUMERIC, "bool"];
export const INDEX: readonly DType[] = ["int64", "int32"];

type Args = InferArgs<unknown>;

export function checkDType(a: Args, v: Value, allowed: readonly DType[], what: string): DType {
  const d = v.type.dtype;
  if (!allowed.includes(d)) a.fail(`${what} has type ${d}; expected one of ${allowed.join(", ")}`);
  return d;
}

export function sameDType(a: Args, values: readonly Value[], allowed: readonly DType[]): DType {
  const first = values[0];
  if (first === undefined) return a.fail("no inputs");
  const d = checkDType(a, first, allowed, `input "${first.name}"`);
  for (const v of values)
    if (v.type.dtype !== d)
      a.fail(`inputs must share one type: "${first.name}" is ${d}, "${v.name}" is ${v.type.dtype}`);
  return d;
}

/** Normalizes a possibly negative axis into [0, rank). */
export function normAxis(a: Args, axis: number, rank: number, what = "axis"): number {
  if (axis < -rank || axis >= rank) a.fail(`${what} ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Two dims that must be equal (MatMul's K, Concat's other axes): the more specific one. */
export function mergeDim(a: Args, x: Dim, y: Dim, what: string): Dim {
  if (dimEq(x, y) || isUnknownDim(y)) return x;
  if (isUnknownDim(x)) return y;
  if (typeof x === "number" && typeof y !== "number") return x;
  if (typeof y === "number" && typeof x !== "number") return y;
  return a.fail(`${what}: ${String(x)} does not match ${String(y)}`);
}

function broadcastDim(a: Args, dims: readonly Dim[], shapes: readonly (readonly Dim[])[]): Dim {
  const rest = dims.filter((d) => d !== 1);
  let out: Dim = 1;
  for (const d of rest) {
    if (out === 1) out = d;
    else if (dimEq(out, d) || isUnknownDim(d)) continue;
    else if (isUnknownDim(out)) out = d;
    else if (typeof out === "number" && typeof d === "number")
      a.fail(`cannot broadcast shapes ${shapes.map(dimsToString).join(" and ")}`);
    else if (typeof out !== "number" && typeof d !== "number")
      a.fail(`cannot broadcast ${out.text} with ${d.text} in ${shapes.map(dimsToString).join(" and ")}`);
    else if (typeof d === "number") out = d; // a symbol against a static size: the symbol must be 1 or that size
  }
  return out;
}

/** Numpy (multidirectional) broadcasting of shapes. */
export function broadcastShapes(a: Args, shapes: readonly (readonly Dim[])[]): Dim[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    out.push(broadcastDim(a, dims, shapes));
  }
  return out;
}

/** Known contents as plain integers, when every element is static. */
export function knownInts(v: Value | null | undefined): number[] | undefined {
  if (!v?.known || !v.known.every((d) => typeof d === "number")) return undefined;
  return v.known as number[];
}

/** A rank-1 input's static length (Reshape's shape, Expand's shape). */
export function staticLength(a: Args, v: Value, what: string): number {
  const [len] = v.type.shape;
  if (v.type.shape.length !== 1 || typeof len !== "number")
    return a.fail(`${what} must be a 1-D tensor of static length, got ${dimsToString(v.type.shape)}`);
  return len;
}

/** Elementwise arithmetic on known contents of two rank-0/1 values with broadcasting of length 1. */
export function combineKnown(x: Value, y: Value, f: (p: Dim, q: Dim) => Dim | undefined): Dim[] | undefined {
  const p = x.known;
  const q = y.known;
  if (!p || !q || x.type.shape.length > 1 || y.type.shape.length > 1) return undefined;
  const n = Math.max(p.length, q.length);
  if ((p.length !== n && p.length !== 1) || (q.length !== n && q.length !== 1)) return undefined;
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const r = f(p[p.length === 1 ? 0 : i] ?? 0, q[q.length === 1 ? 0 : i] ?? 0);
    if (r === undefined) return undefined;
    out.push(r);
  }
  return out;
}
