// Graph -> ONNX ModelProto bytes, moving weights to an external-data side file when the protobuf would pass
// its 2 GB limit; not file writing (write-model.ts) or parsing (parse.ts).
import type { Graph } from "../ir";
import { IR_VERSION, OPSET } from "../ir";
import type { GraphMsg, ModelMsg, TensorMsg } from "./messages";
import { ModelProto } from "./schema";
import { nodeMsg, rawBytes, tensorMsg, valueInfoMsg } from "./to-proto";
import { DATA_LOCATION_EXTERNAL } from "./schema";

/** Protobuf refuses messages of 2^31 bytes or more; keep a margin for framing. */
export const PROTOBUF_LIMIT = 2 ** 31 - 2 ** 20;
/** External data offsets are page-aligned so runtimes can mmap them. */
const ALIGN = 4096;

export interface SerializeOptions {
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** Externalize weights when the inline model would exceed this many bytes (tests force a tiny one). */
  readonly externalDataThreshold?: number;
  /** Side file name, relative to the model file. */
  readonly externalDataLocation?: string;
  /** Initializers smaller than this stay inline even in external mode. */
  readonly externalMinBytes?: number;
}

export interface ExternalChunk {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

export interface SerializedModel {
  readonly model: Uint8Array;
  /** Present when weights went to a side file: write `chunks` at their offsets into `location`. */
  readonly external?: { readonly location: string; readonly size: number; readonly chunks: readonly ExternalChunk[] };
}

const IR_FOR_OPSET: Readonly<Record<number, number>> = { [OPSET]: IR_VERSION };

/** Opset versions of the non-default domains a graph may use (onnxruntime's contrib ops). */
const CONTRIB_OPSETS: Readonly<Record<string, number>> = { "com.microsoft": 1 };

function contribImports(g: Graph): { domain: string; version: number }[] {
  const domains = [...new Set(g.nodes.map((n) => n.domain).filter((d) => d !== ""))].sort();
  return domains.map((domain) => {
    const version = CONTRIB_OPSETS[domain];
    if (version === undefined) throw new Error(`domain "${domain}" is not supported (supported: com.microsoft)`);
    return { domain, version };
  });
}

function modelMsg(g: Graph, o: SerializeOptions, initializer: TensorMsg[]): ModelMsg {
  const irVersion = IR_FOR_OPSET[g.opset];
  if (irVersion === undefined)
    throw new Error(`opset ${g.opset} is not supported (this package writes opset ${OPSET})`);
  const graph: GraphMsg = {
    name: g.name,
    node: g.nodes.map(nodeMsg),
    initializer,
    input: g.inputs.map(valueInfoMsg),
    output: g.outputs.map(valueInfoMsg),
  };
  return {
    ir_version: irVersion,
    producer_name: o.producerName ?? "prefloop",
    producer_version: o.producerVersion ?? "0.1.0",
    doc_string: o.docString,
    graph,
    opset_import: [{ domain: "", version: g.opset }, ...contribImports(g)],
    metadata_props: Object.entries(o.metadata ?? {}).map(([key, value]) => ({ key, value })),
  };
}

function encode(m: ModelMsg): Uint8Array {
  return ModelProto.encode(m).finish();
}

export function serializeModel(g: Graph, o: SerializeOptions = {}): SerializedModel {
  const threshold = o.externalDataThreshold ?? PROTOBUF_LIMIT;
  const weightBytes = g.initializers.reduce((s, i) => s + i.data.data.byteLength, 0);
  const skeleton = encode(
    modelMsg(
      g,
      o,
      g.initializers.map((i) => ({ ...tensorMsg(i.data, i.value.name), raw_data: undefined })),
    ),
  );
  if (skeleton.length + weightBytes <= threshold)
    return {
      model: encode(
        modelMsg(
          g,
          o,
          g.initializers.map((i) => tensorMsg(i.data, i.value.name)),
        ),
      ),
    };

  const location = o.externalDataLocation ?? "model.onnx.data";
  const minBytes = o.externalMinBytes ?? 1024;
  const chunks: ExternalChunk[] = [];
  let size = 0;
  const initializer = g.initializers.map((i): TensorMsg => {
    const msg = tensorMsg(i.data, i.value.name);
    const bytes = rawBytes(i.data);
    if (bytes.byteLength < minBytes) return msg;
    const offset = Math.ceil(size / ALIGN) * ALIGN;
    chunks.push({ offset, bytes });
    size = offset + bytes.byteLength;
    const entries = { location, offset: String(offset), length: String(bytes.byteLength) };
    return {
      ...msg,
      raw_data: undefined,
      data_location: DATA_LOCATION_EXTERNAL,
      external_data: Object.entries(entries).map(([key, value]) => ({ key, value })),
    };
  });
  const model = encode(modelMsg(g, o, initializer));
  if (model.length > PROTOBUF_LIMIT)
    throw new Error(`model graph is ${model.length} bytes even without its weights; protobuf cannot hold it`);
  return { model, external: { location, size, chunks } };
}
