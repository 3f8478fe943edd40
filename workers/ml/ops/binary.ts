// Factory for numpy-broadcasting elementwise binary ops (Add, Equal, And...); not their gradients.
import type { Dim, DType, GraphBuilder, Value } from "../ir";
import { broadcastShapes, combineKnown, sameDType } from "./infer-util";
import { applyOp1, defineOp, inputAt, type NodeOptions, type OpSpec } from "./op";

export interface BinaryOptions {
  /** Output type when it is not the inputs' (comparisons give bool). */
  readonly out?: DType;
  /** Arithmetic on known small-int contents (shape computations). */
  readonly known?: (p: Dim, q: Dim) => Dim | undefined;
}

export function binaryOp(opType: string, types: readonly DType[], o: BinaryOptions = {}): OpSpec {
  return defineOp({
    opType,
    domain: "",
    inputs: [{ name: "A" }, { name: "B" }],
    attrs: {},
    infer(a) {
      const x = inputAt(a, 0);
      const y = inputAt(a, 1);
      const dtype = sameDType(a, [x, y], types);
      const shape = broadcastShapes(a, [x.type.shape, y.type.shape]);
      const known = o.known ? combineKnown(x, y, o.known) : undefined;
      return [{ type: { dtype: o.out ?? dtype, shape }, known }];
    },
  });
}

export function applyBinary(b: GraphBuilder, spec: OpSpec, x: Value, y: Value, opts?: NodeOptions): Value {
  return applyOp1(b, spec, [x, y], {}, opts);
}
