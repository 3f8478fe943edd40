// Factory for numpy-broadcasting variadic elementwise ops (Max, Min); not their gradients.
import type { DType } from "../ir";
import { broadcastShapes, sameDType } from "./infer-util";
import { defineOp, type OpSpec } from "./op";

export function variadicOp(opType: string, types: readonly DType[]): OpSpec {
  return defineOp({
    opType,
    domain: "",
    inputs: [{ name: "data_0", variadic: true }],
    attrs: {},
    infer(a) {
      const xs = a.inputs.filter((v) => v !== null);
      const dtype = sameDType(a, xs, types);
      return [
        {
          type: {
            dtype,
            shape: broadcastShapes(
              a,
              xs.map((v) => v.type.shape),
            ),
          },
        },
      ];
    },
  });
}
