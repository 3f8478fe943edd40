// Public surface of the ONNX layer (serialize, write, parse); the only code that touches protobufjs.
export {
  parseModel,
  readExternalTensor,
  type ParsedModel,
  type ParsedNode,
  type ParsedTensor,
  type ParsedValueInfo,
} from "./parse";
export {
  PROTOBUF_LIMIT,
  serializeModel,
  type ExternalChunk,
  type SerializedModel,
  type SerializeOptions,
} from "./serialize";
export { writeModel, type WrittenModel } from "./write-model";
