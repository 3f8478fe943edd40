// Reference Cast: float -> int truncates toward zero, -> bool is x != 0, float16/bfloat16 round to nearest
// even; tests only.
import { bfloat16BitsToFloat, floatToBfloat16Bits, floatToHalfBits, halfBitsToFloat, type DType } from "../ir";
import { input, outDType, wrapInt, type RefOp } from "./ref-op";

export function castValue(v: number, to: DType): number {
  switch (to) {
    case "bool":
      return v !== 0 ? 1 : 0;
    case "float32":
      return Math.fround(v);
    case "float16":
      return halfBitsToFloat(floatToHalfBits(v));
    case "bfloat16":
      return bfloat16BitsToFloat(floatToBfloat16Bits(v));
    case "float64":
      return v;
    case "int64":
    case "int32":
    case "int8":
    case "uint8":
      return wrapInt(to, Math.trunc(v));
  }
}

export const CAST: Readonly<Record<string, RefOp>> = {
  Cast: (ins, node) => {
    const x = input(ins, 0, node);
    const to = outDType(node);
    return [{ dtype: to, shape: x.shape, data: x.data.map((v) => castValue(v, to)) }];
  },
};
