// Converts between the IR's Tensor and onnxruntime-node's Tensor (int64 as BigInt64Array); no sessions.
import * as ort from "onnxruntime-node";
import { tensor, type DataByDType, type DType, type Tensor } from "../ir";

type OrtType = "float32" | "float16" | "float64" | "int64" | "int32" | "bool" | "int8" | "uint8";

const TO_ORT: Readonly<Record<DType, OrtType | undefined>> = {
  float32: "float32",
  float16: "float16",
  float64: "float64",
  int64: "int64",
  int32: "int32",
  bool: "bool",
  int8: "int8",
  uint8: "uint8",
  bfloat16: undefined, // onnxruntime-node has no bfloat16 tensor type
};

export function toOrt(name: string, t: Tensor): ort.Tensor {
  const type = TO_ORT[t.dtype];
  if (type === undefined)
    throw new Error(
      `input "${name}": ${t.dtype} tensors cannot cross the onnxruntime-node boundary; Cast inside the graph`,
    );
  return new ort.Tensor(type, t.data, [...t.shape]);
}

export function fromOrt(name: string, t: ort.Tensor): Tensor {
  const dtype = Object.entries(TO_ORT).find(([, o]) => o === t.type)?.[0] as DType | undefined;
  if (dtype === undefined) throw new Error(`output "${name}": onnxruntime type ${t.type} is not supported`);
  let data = t.data as DataByDType[DType];
  // NOTE: float16 may come back as a Float16Array where the platform has one; keep bit patterns.
  if (dtype === "float16" && !(data instanceof Uint16Array)) {
    const v = data as unknown as ArrayBufferView;
    data = new Uint16Array(v.buffer, v.byteOffset, v.byteLength / 2);
  }
  return tensor(dtype, t.dims, data);
}
