// Slice's gradient: dY put back at the sliced window of zeros shaped like X, one sliced axis at a time:
// step 1 pads with zeros before and after (Concat); other steps (static sizes only) scatter dY to the
// positions start + k * step. The start/end/axes/steps inputs get none.
// NOTE: with symbolic sizes or run-time bounds, the pads are computed in the graph with the Slice clamping
// rules (negative bounds count from the end, then clamp to [0, d]); the result is reshaped to X's shape.
import { at, type GraphBuilder, type Node, type Value } from "../ir";
import { add } from "./add";
import { cast } from "./cast";
import { concat } from "./concat";
import { expand } from "./expand";
import { gather } from "./gather";
import { gradOf, inputOf, perInput, reshapeLike, shapeOf, zerosOfShape } from "./grad-util";
import { knownInts } from "./infer-util";
import { int64s } from "./int-inputs";
import { less } from "./less";
import { max } from "./max";
import { min } from "./min";
import type { GradRule } from "./op";
import { reshape } from "./reshape";
import { scatterElements } from "./scatter-elements";
import { sliceLength } from "./slice";
import { sub } from "./sub";
import { where } from "./where";

/** Clamped start and length of one axis when everything is static (ONNX Slice rules). */
function staticWindow(d: number, start: number, end: number, step: number): { start: number; length: number } {
  const length = sliceLength(d, start, end, step) as number;
  const s0 = start < 0 ? start + d : start;
  return { start: step > 0 ? Math.min(Math.max(s0, 0), d) : Math.min(Math.max(s0, 0), d - 1), length };
}

/** `cur`'s shape vector with `axis` replaced by `size` (an int64 [1] value or a number). */
function shapeWith(b: GraphBuilder, cur: Value, axis: number, size: Value | number): Value {
  const r = cur.type.shape.length;
  const mid = typeof size === "number" ? int64s(b, [size]) : size;
  const pieces = [
    axis > 0 ? shapeOf(b, cur, 0, axis) : null,
    mid,
    axis + 1 < r ? shapeOf(b, cur, axis + 1, r) : null,
  ].filter((p): p is Value => p !== null);
  return pieces.length === 1 ? mid : concat(b, pieces, { axis: 0 });
}

/** `cur` with zeros of size `before` / `after` around it along `axis` (static zero-size pads are left out). */
function pad(b: GraphBuilder, cur: Value, axis: number, before: Value | number, after: Value | number): Value {
  const zeros = (n: Value | number) => (n === 0 ? null : zerosOfShape(b, shapeWith(b, cur, axis, n), cur.type.dtype));
  const parts = [zeros(before), cur, zeros(after)].filter((p): p is Value => p !== null);
  return parts.length === 1 ? cur : concat(b, parts, { axis });
}

/** Pads for a step-1 window whose bounds or size are only known at run time. */
function runtimePads(b: GraphBuilder, x: Value, axis: number, starts: Value, ends: Value, i: number): [Value, Value] {
  const d = shapeOf(b, x, axis, axis + 1); // [1]
  const zero = int64s(b, [0]);
  const bound = (v: Value) => {
    const k = gather(b, v.type.dtype === "int64" ? v : cast(b, v, "int64"), int64s(b, [i])); // [1]
    const fromEnd = where(b, less(b, k, zero), add(b, k, d), k);
    return max(b, [min(b, [fromEnd, d]), zero]);
  };
  const before = bound(starts);
  return [before, sub(b, d, max(b, [bound(ends), before]))];
}

/** Scatters `cur` to positions start + k * step along `axis` of zeros sized `d` there. */
function scatterStrided(
  b: GraphBuilder,
  cur: Value,
  axis: number,
  d: number,
  start: number,
  step: number,
  length: number,
): Value {
  const r = cur.type.shape.length;
  const positions = Array.from({ length }, (_, k) => start + k * step);
  const ones = (n: number) => new Array<number>(n).fill(1);
  const idx = expand(
    b,
    reshape(b, int64s(b, positions), [...ones(axis), length, ...ones(r - axis - 1)]),
    shapeOf(b, cur),
  );
  return scatterElements(b, zerosOfShape(b, shapeWith(b, cur, axis, d), cur.type.dtype), idx, cur, { axis });
}

function unslice(b: GraphBuilder, node: Node, g: Value): Value {
  const [x, starts, ends] = [inputOf(node, 0), inputOf(node, 1), inputOf(node, 2)];
  const r = x.type.shape.length;
  const fail = (why: string): never => {
    throw new Error(`Slice gradient: node ${node.name}: ${why}`);
  };
  const axesV = node.inputs[3] ?? null;
  const stepsV = node.inputs[4] ?? null;
  const axes =
    axesV === null
      ? Array.from({ length: starts.type.shape[0] as number }, (_, i) => i)
      : (knownInts(axesV) ?? fail("axes must be known at build time"));
  const steps = stepsV === null ? axes.map(() => 1) : (knownInts(stepsV) ?? fail("steps must be known at build time"));
  const [s0, e0] = [knownInts(starts), knownInts(ends)];
  let cur = g;
  axes.forEach((a, i) => {
    const axis = (a + r) % r;
    const [d, step, s, e] = [at(x.type.shape, axis), at(steps, i), s0?.[i], e0?.[i]];
    if (typeof d === "number" && s !== undefined && e !== undefined) {
      const w = staticWindow(d, s, e, step);
      if (step === 1) cur = pad(b, cur, axis, w.start, d - w.start - w.length);
      else cur = scatterStrided(b, cur, axis, d, w.start, step, w.length);
      return;
    }
    if (step !== 1) fail(`steps other than 1 need a static size and static bounds on axis ${axis}`);
    const [before, after] = runtimePads(b, x, axis, starts, ends, i);
    cur = pad(b, cur, axis, before, after);
  });
  return reshapeLike(b, cur, x);
}

export const sliceGrad: GradRule = (b, node, gys, needs) =>
  perInput(needs, [() => unslice(b, node, gradOf(node, gys)), null, null, null, null]);
