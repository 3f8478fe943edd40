// Parses ModelProto bytes into a light structure for tests and inspection; not a Graph (no re-typing, no ops).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { allocData, at, dtypeFromOnnxCode, tensor, type Attr, type DType, type Tensor } from "../ir";
import type { AttributeMsg, ModelMsg, TensorMsg, ValueInfoMsg } from "./messages";
import { ATTR_TYPE, DATA_LOCATION_EXTERNAL, ModelProto } from "./schema";

export interface ParsedValueInfo {
  readonly name: string;
  readonly dtype: DType;
  /** A number (dim_value), a string (dim_param) or null (unknown). */
  readonly shape: readonly (number | string | null)[];
}

export interface ParsedTensor {
  readonly name: string;
  readonly dtype: DType;
  readonly dims: readonly number[];
  /** Inline data; absent for external data. */
  readonly data?: Tensor;
  readonly external?: { readonly location: string; readonly offset: number; readonly length: number };
}

export interface ParsedNode {
  readonly name: string;
  readonly opType: string;
  readonly domain: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, Attr>>;
}

export interface ParsedModel {
  readonly irVersion: number;
  readonly opsetImports: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly graph: {
    readonly name: string;
    readonly inputs: readonly ParsedValueInfo[];
    readonly outputs: readonly ParsedValueInfo[];
    readonly initializers: readonly ParsedTensor[];
    readonly nodes: readonly ParsedNode[];
  };
}

function parseTensor(m: TensorMsg): ParsedTensor {
  const dtype = dtypeFromOnnxCode(m.data_type ?? 0);
  const dims = m.dims ?? [];
  const base = { name: m.name ?? "", dtype, dims };
  if (m.data_location === DATA_LOCATION_EXTERNAL) {
    const e = Object.fromEntries((m.external_data ?? []).map((x) => [x.key, x.value]));
    return {
      ...base,
      external: { location: e.location ?? "", offset: Number(e.offset ?? 0), length: Number(e.length ?? 0) },
    };
  }
  if (m.raw_data) return { ...base, data: fromRaw(dtype, dims, m.raw_data) };
  const typed = m.float_data ?? m.int32_data ?? m.int64_data ?? m.double_data ?? [];
  const data = allocData(dtype, typed.length);
  for (let i = 0; i < typed.length; i++)
    (data as { [i: number]: number | bigint })[i] = dtype === "int64" ? BigInt(at(typed, i)) : at(typed, i);
  return { ...base, data: tensor(dtype, dims, data) };
}

/** Copies little-endian raw bytes into a fresh typed array of the dtype. */
export function fromRaw(dtype: DType, dims: readonly number[], raw: Uint8Array): Tensor {
  const n = dims.reduce((p, q) => p * q, 1);
  const data = allocData(dtype, n);
  new Uint8Array(data.buffer).set(raw.subarray(0, data.byteLength));
  if (raw.byteLength !== data.byteLength)
    throw new Error(`raw data has ${raw.byteLength} bytes, ${dtype}[${dims.join(", ")}] needs ${data.byteLength}`);
  return tensor(dtype, dims, data);
}

function parseValueInfo(m: ValueInfoMsg): ParsedValueInfo {
  const t = m.type?.tensor_type;
  const shape = (t?.shape?.dim ?? []).map((d) => d.dim_value ?? d.dim_param ?? null);
  return { name: m.name ?? "", dtype: dtypeFromOnnxCode(t?.elem_type ?? 0), shape };
}

function parseAttr(m: AttributeMsg): Attr {
  switch (m.type) {
    case ATTR_TYPE.INT:
      return { kind: "int", value: m.i ?? 0 };
    case ATTR_TYPE.FLOAT:
      return { kind: "float", value: m.f ?? 0 };
    case ATTR_TYPE.STRING:
      return { kind: "string", value: new TextDecoder().decode(m.s ?? new Uint8Array()) };
    case ATTR_TYPE.INTS:
      return { kind: "ints", value: m.ints ?? [] };
    case ATTR_TYPE.FLOATS:
      return { kind: "floats", value: m.floats ?? [] };
    case ATTR_TYPE.TENSOR: {
      const t = parseTensor(m.t ?? {});
      if (!t.data) throw new Error(`attribute "${m.name ?? ""}": external tensor attributes are not supported`);
      return { kind: "tensor", value: t.data };
    }
    default:
      throw new Error(`attribute "${m.name ?? ""}" has unsupported type ${String(m.type)}`);
  }
}

export function parseModel(bytes: Uint8Array): ParsedModel {
  const m = ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, arrays: true }) as ModelMsg;
  const g = m.graph ?? {};
  return {
    irVersion: m.ir_version ?? 0,
    opsetImports: (m.opset_import ?? []).map((o) => ({ domain: o.domain ?? "", version: o.version ?? 0 })),
    producerName: m.producer_name ?? "",
    metadata: Object.fromEntries((m.metadata_props ?? []).map((e) => [e.key, e.value])),
    graph: {
      name: g.name ?? "",
      inputs: (g.input ?? []).map(parseValueInfo),
      outputs: (g.output ?? []).map(parseValueInfo),
      initializers: (g.initializer ?? []).map(parseTensor),
      nodes: (g.node ?? []).map((n) => ({
        name: n.name ?? "",
        opType: n.op_type ?? "",
        domain: n.domain ?? "",
        inputs: n.input ?? [],
        outputs: n.output ?? [],
        attributes: Object.fromEntries((n.attribute ?? []).map((a) => [a.name ?? "", parseAttr(a)])),
      })),
    },
  };
}

/** Reads an external initializer's bytes from the side file beside the model. */
export async function readExternalTensor(t: ParsedTensor, modelDir: string): Promise<Tensor> {
  if (!t.external) throw new Error(`initializer "${t.name}" is stored inline`);
  const file = await readFile(join(modelDir, t.external.location));
  return fromRaw(t.dtype, t.dims, file.subarray(t.external.offset, t.external.offset + t.external.length));
}
