// Reshape: same data, new shape; 0 copies the input dim (unless allowzero=1), -1 is inferred (ONNX Reshape-14).
// Gradient in reshape.grad.ts.
import { dimDivExact, dimMul, dimsToString, type Dim, type GraphBuilder, type Value } from "../ir";
import { attr } from "./attrs";
import { ALL, checkDType, staticLength } from "./infer-util";
import { asInt64s, type IntsLike } from "./int-inputs";
import { applyOp1, defineOp, inputAt, type NodeOptions } from "./op";

export interface ReshapeAttrs {
  allowzero: number;
}

const product = (dims: readonly Dim[]): Dim => dims.reduce<Dim>((p, d) => dimMul(p, d), 1);

export const Reshape = defineOp<ReshapeAttrs>({
  opType: "Reshape",
  domain: "",
  inputs: [{ name: "data" }, { name: "shape" }],
  attrs: { allowzero: attr.int(0, [0, 1]) },
  infer(a) {
    const x = inputAt(a, 0);
    const shp = inputAt(a, 1);
    checkDType(a, x, ALL, "data");
    checkDType(a, shp, ["int64"], "shape");
    const rank = staticLength(a, shp, "shape");
    const req = shp.known;
    if (!req) return [{ type: { dtype: x.type.dtype, shape: Array.from({ length: rank }, () => a.fresh()) } }];
    const inShape = x.type.shape;
    let minus = -1;
    const out: Dim[] = req.map((d, i) => {
      if (d === -1) {
        if (minus >= 0) a.fail(`shape ${dimsToString(req)} has more than one -1`);
        minus = i;
        return 1;
      }
      if (d === 0 && a.attrs.allowzero === 0)
        return inShape[i] ?? a.fail(`shape ${dimsToString(req)} copies dim ${i} of a rank-${inShape.length} input`);
      if (typeof d === "number" && d < 0) a.fail(`shape ${dimsToString(req)} has a negative size`);
      return d;
    });
    const total = product(inShape);
    const rest = product(out);
    if (minus >= 0) {
      if (a.attrs.allowzero === 1 && req.includes(0)) a.fail("allowzero=1 forbids 0 together with -1");
      const q = dimDivExact(total, rest);
      if (q === undefined && typeof total === "number" && typeof rest === "number")
        a.fail(`cannot reshape ${dimsToString(inShape)} to ${dimsToString(req)}`);
      out[minus] = q ?? a.fresh();
    } else if (typeof total === "number" && typeof rest === "number" && total !== rest) {
      a.fail(`cannot reshape ${dimsToString(inShape)} (${total} elements) to ${dimsToString(out)} (${rest})`);
    }
    return [
      {
        type: { dtype: x.type.dtype, shape: out },
        known: inShape.length <= 1 && out.length <= 1 ? x.known : undefined,
      },
    ];
  },
});

export function reshape(
  b: GraphBuilder,
  x: Value,
  shape: IntsLike,
  attrs?: Partial<ReshapeAttrs>,
  opts?: NodeOptions,
): Value {
  return applyOp1(b, Reshape, [x, asInt64s(b, shape)], attrs, opts);
}
