// Split: cuts a tensor into parts along an axis, by sizes or into num_outputs parts (ONNX Split-18).
// Gradient in split.grad.ts. Opset 18 rule: num_outputs parts of ceil(d / n), the last one smaller.
import { dimDivExact, type Dim, type GraphBuilder, type Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType, knownInts, normAxis } from "./infer-util";
import { asOptionalInt64s, type IntsLike } from "./int-inputs";
import { applyOp, defineOp, inputAt, type InferArgs, type NodeOptions } from "./op";

export interface SplitAttrs {
  axis: number;
  num_outputs: number | undefined;
}

function partSizes(a: InferArgs<SplitAttrs>, d: Dim, split: Value | null): Dim[] {
  const n = a.attrs.num_outputs;
  if ((split === null) === (n === undefined))
    a.fail("give exactly one of the split input and the num_outputs attribute");
  if (split !== null) {
    checkDType(a, split, ["int64"], "split");
    const sizes = knownInts(split);
    if (!sizes) return a.fail("split sizes must be known at build time (the output count depends on them)");
    const sum = sizes.reduce((p, q) => p + q, 0);
    if (sizes.some((s) => s < 0) || (typeof d === "number" && sum !== d))
      a.fail(`split sizes [${sizes.join(", ")}] do not add up to ${String(d)}`);
    return sizes;
  }
  if (n === undefined || n < 1) return a.fail(`num_outputs must be >= 1, got ${String(n)}`);
  if (typeof d !== "number") {
    const part = dimDivExact(d, n);
    return Array.from({ length: n }, () => part ?? a.fresh());
  }
  const chunk = Math.ceil(d / n);
  if (chunk * (n - 1) >= d && n > 1) a.fail(`cannot split ${d} into ${n} non-empty parts`);
  return Array.from({ length: n }, (_, i) => (i < n - 1 ? chunk : d - chunk * (n - 1)));
}

export const Split = defineOp<SplitAttrs>({
  opType: "Split",
  domain: "",
  inputs: [{ name: "input" }, { name: "split", optional: true }],
  attrs: { axis: attr.int(0), num_outputs: attr.int() },
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, ALL, "input");
    const axis = normAxis(a, a.attrs.axis, x.type.shape.length);
    const sizes = partSizes(a, x.type.shape[axis] ?? 0, a.inputs[1] ?? null);
    return sizes.map((s) => ({
      type: { dtype: x.type.dtype, shape: x.type.shape.map((d, i) => (i === axis ? s : d)) },
    }));
  },
});

export function split(
  b: GraphBuilder,
  x: Value,
  sizes: IntsLike | null,
  attrs?: Partial<SplitAttrs>,
  opts?: NodeOptions,
): Value[] {
  return applyOp(b, Split, [x, asOptionalInt64s(b, sizes)], attrs, opts);
}
