// Converts IR pieces (tensors, value types, attributes, nodes) to onnx.proto message objects; no file I/O.
import { endianness } from "node:os";
import { isUnknownDim, ONNX_DTYPE_CODE, type Attr, type Node, type Tensor, type Value } from "../ir";
import type { AttributeMsg, DimensionMsg, NodeMsg, TensorMsg, ValueInfoMsg } from "./messages";
import { ATTR_TYPE } from "./schema";

/** The tensor's bytes as TensorProto.raw_data wants them: fixed-width little-endian; float16/bfloat16 as
 *  their bit patterns, bool one byte per element. A view, not a copy. */
export function rawBytes(t: Tensor): Uint8Array {
  if (endianness() !== "LE") throw new Error("ONNX raw_data is little-endian; big-endian hosts are not supported");
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

export function tensorMsg(t: Tensor, name?: string): TensorMsg {
  return { name, dims: [...t.shape], data_type: ONNX_DTYPE_CODE[t.dtype], raw_data: rawBytes(t) };
}

export function valueInfoMsg(v: Value): ValueInfoMsg {
  const dim = v.type.shape.map((d): DimensionMsg => {
    if (typeof d === "number") return { dim_value: d };
    return isUnknownDim(d) ? {} : { dim_param: d.text };
  });
  return { name: v.name, type: { tensor_type: { elem_type: ONNX_DTYPE_CODE[v.type.dtype], shape: { dim } } } };
}

export function attributeMsg(name: string, a: Attr): AttributeMsg {
  switch (a.kind) {
    case "int":
      return { name, type: ATTR_TYPE.INT, i: a.value };
    case "dtype":
      return { name, type: ATTR_TYPE.INT, i: ONNX_DTYPE_CODE[a.value] };
    case "float":
      return { name, type: ATTR_TYPE.FLOAT, f: a.value };
    case "string":
      return { name, type: ATTR_TYPE.STRING, s: new TextEncoder().encode(a.value) };
    case "ints":
      return { name, type: ATTR_TYPE.INTS, ints: [...a.value] };
    case "floats":
      return { name, type: ATTR_TYPE.FLOATS, floats: [...a.value] };
    case "tensor":
      return { name, type: ATTR_TYPE.TENSOR, t: tensorMsg(a.value) };
  }
}

export function nodeMsg(n: Node): NodeMsg {
  return {
    name: n.name,
    op_type: n.opType,
    domain: n.domain,
    input: n.inputs.map((v) => v?.name ?? ""), // "" marks an absent optional input
    output: n.outputs.map((v) => v.name),
    attribute: Object.entries(n.attributes).map(([k, a]) => attributeMsg(k, a)),
  };
}
