// Node attribute values as the ONNX AttributeProto kinds we emit; not their per-op schemas (ops/attrs.ts).
import type { DType } from "./dtype";
import type { Tensor } from "./tensor";
import { toNumbers } from "./tensor";

export type Attr =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "ints"; readonly value: readonly number[] }
  | { readonly kind: "floats"; readonly value: readonly number[] }
  /** An ONNX data-type attribute (Cast.to): an INT holding the TensorProto.DataType code. */
  | { readonly kind: "dtype"; readonly value: DType }
  | { readonly kind: "tensor"; readonly value: Tensor };

export type Attrs = Readonly<Record<string, Attr>>;

export function attrToString(a: Attr): string {
  switch (a.kind) {
    case "int":
    case "float":
      return String(a.value);
    case "string":
      return JSON.stringify(a.value);
    case "ints":
    case "floats":
      return `[${a.value.join(", ")}]`;
    case "dtype":
      return a.value;
    case "tensor":
      return `${a.value.dtype}[${a.value.shape.join(", ")}](${toNumbers(a.value).slice(0, 8).join(", ")}${a.value.data.length > 8 ? ", ..." : ""})`;
  }
}
