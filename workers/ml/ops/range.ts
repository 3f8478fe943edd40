// Range: start, start + delta, ... below limit, from scalar inputs (ONNX Range-11); not differentiable.
import { dimSub, type Dim, type GraphBuilder, type Value } from "../ir";
import { sameDType } from "./infer-util";
import { int64Scalar } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

function rangeLength(start: Dim | undefined, limit: Dim | undefined, delta: Dim | undefined): Dim | undefined {
  if (typeof start === "number" && typeof limit === "number" && typeof delta === "number")
    return Math.max(0, Math.ceil((limit - start) / delta));
  return delta === 1 && start !== undefined && limit !== undefined ? dimSub(limit, start) : undefined;
}

export const Range = defineOp({
  opType: "Range",
  domain: "",
  inputs: [{ name: "start" }, { name: "limit" }, { name: "delta" }],
  attrs: {},
  infer(a) {
    const xs = [inputAt(a, 0), inputAt(a, 1), inputAt(a, 2)];
    const dtype = sameDType(a, xs, ["float32", "float64", "int32", "int64"]);
    for (const v of xs) if (v.type.shape.length !== 0) a.fail(`"${v.name}" must be a scalar (0-D)`);
    const [s, l, d] = xs.map((v) => v.known?.[0]);
    if (d === 0) a.fail("delta must not be 0");
    const len = rangeLength(s, l, d) ?? a.fresh();
    const isSmall =
      dtype.startsWith("int") && typeof len === "number" && len <= 64 && typeof s === "number" && typeof d === "number";
    const known = isSmall ? Array.from({ length: len }, (_, i) => s + i * d) : undefined;
    return [{ type: { dtype, shape: [len] }, known }];
  },
});

/** Numbers become int64 scalar constants. */
export function range(
  b: GraphBuilder,
  start: Value | number,
  limit: Value | number,
  delta: Value | number,
  opts?: NodeOptions,
): Value {
  const v = (x: Value | number) => (typeof x === "number" ? int64Scalar(b, x) : x);
  return applyOp1(b, Range, [v(start), v(limit), v(delta)], {}, opts);
}
