// Slice: start:end:step windows along chosen axes (ONNX Slice-13, parameters as inputs); gradient in slice.grad.ts.
// With symbolic dims and step 1, in-range bounds are assumed (x[:, -1:] -> 1, x[:, past:] -> d - past).
import { dimSub, type Dim, type GraphBuilder, type Value } from "../ir";
import { ALL, checkDType, INDEX, normAxis } from "./infer-util";
import { asInt64s, asOptionalInt64s, type IntsLike } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type InferArgs, type NodeOptions } from "./op";

/** Bounds at or beyond this magnitude mean "to the end" / "from the start" (INT_MAX idioms). */
const HUGE = 2 ** 31 - 1;

/** Output length of one sliced axis, or undefined when it cannot be known at build time. */
export function sliceLength(d: Dim, start: Dim, end: Dim, step: number): Dim | undefined {
  if (typeof d === "number" && typeof start === "number" && typeof end === "number") {
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const s0 = start < 0 ? start + d : start;
    const e0 = end < 0 ? end + d : end;
    if (step > 0) return Math.max(0, Math.ceil((clamp(e0, 0, d) - clamp(s0, 0, d)) / step));
    return Math.max(0, Math.ceil((clamp(s0, 0, d - 1) - clamp(e0, -1, d - 1)) / -step));
  }
  if (step !== 1) return undefined;
  const resolve = (v: Dim): Dim =>
    typeof v !== "number" ? v : v >= HUGE ? d : v <= -HUGE ? 0 : v < 0 ? dimSub(d, -v) : v;
  const len = dimSub(resolve(end), resolve(start));
  return typeof len === "number" && len < 0 ? 0 : len;
}

function param(a: InferArgs<unknown>, i: number, what: string): readonly Dim[] | undefined | null {
  const v = a.inputs[i] ?? null;
  if (v === null) return null;
  checkDType(a, v, INDEX, what);
  if (v.type.shape.length !== 1) a.fail(`${what} must be 1-D`);
  return v.known;
}

export const Slice = defineOp({
  opType: "Slice",
  domain: "",
  inputs: [
    { name: "data" },
    { name: "starts" },
    { name: "ends" },
    { name: "axes", optional: true },
    { name: "steps", optional: true },
  ],
  attrs: {},
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, ALL, "data");
    const shape = x.type.shape;
    const [starts, ends, axes, steps] = [
      param(a, 1, "starts"),
      param(a, 2, "ends"),
      param(a, 3, "axes"),
      param(a, 4, "steps"),
    ];
    // The spec binds starts, ends, axes and steps to one index type; onnxruntime rejects a mix.
    const indexTypes = new Set(a.inputs.slice(1).flatMap((v) => (v ? [v.type.dtype] : [])));
    if (indexTypes.size > 1)
      a.fail(`starts, ends, axes and steps must share one index type, got ${[...indexTypes].join(" and ")}`);
    const unknown = () => [{ type: { dtype: x.type.dtype, shape: shape.map(() => a.fresh()) } }];
    if (!starts || !ends || axes === undefined || steps === undefined) return unknown();
    if (starts.length !== ends.length) a.fail(`starts and ends differ in length (${starts.length} and ${ends.length})`);
    const axisList = axes ?? starts.map((_, i) => i);
    if (!axisList.every((ax) => typeof ax === "number") || (steps && !steps.every((s) => typeof s === "number")))
      return unknown();
    if (axisList.length !== starts.length || (steps && steps.length !== starts.length))
      a.fail("starts, ends, axes and steps must have the same length");
    const out: Dim[] = [...shape];
    const seen = new Set<number>();
    axisList.forEach((ax, i) => {
      const axis = normAxis(a, ax, shape.length, "axes");
      if (seen.has(axis)) a.fail(`axis ${axis} is sliced twice`);
      seen.add(axis);
      const step = steps?.[i] ?? 1;
      if (step === 0) a.fail("steps must not be 0");
      out[axis] = sliceLength(shape[axis] ?? 0, starts[i] ?? 0, ends[i] ?? 0, step) ?? a.fresh();
    });
    return [{ type: { dtype: x.type.dtype, shape: out }, known: sliceKnown(x, starts, ends, steps) }];
  },
});

function sliceKnown(
  x: Value,
  starts: readonly Dim[],
  ends: readonly Dim[],
  steps: readonly Dim[] | null,
): Dim[] | undefined {
  const data = x.known;
  const [s, e, st] = [starts[0], ends[0], steps?.[0] ?? 1];
  if (!data || x.type.shape.length !== 1 || typeof s !== "number" || typeof e !== "number" || st !== 1)
    return undefined;
  const n = data.length;
  const lo = Math.min(Math.max(s < 0 ? s + n : s, 0), n);
  const hi = Math.min(Math.max(e < 0 ? e + n : e, 0), n);
  return data.slice(lo, Math.max(lo, hi));
}

export interface SliceParams {
  readonly starts: IntsLike;
  readonly ends: IntsLike;
  readonly axes?: IntsLike;
  readonly steps?: IntsLike;
}

export function slice(b: GraphBuilder, x: Value, p: SliceParams, opts?: NodeOptions): Value {
  const inputs = [
    x,
    asInt64s(b, p.starts),
    asInt64s(b, p.ends),
    asOptionalInt64s(b, p.axes),
    asOptionalInt64s(b, p.steps),
  ];
  return applyOp1(b, Slice, inputs, {}, opts);
}
