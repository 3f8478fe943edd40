// The one ONNX opset version every op in workers/ml/ops is written against; not a version negotiation.
// README.md (workers/ml) explains why 18.
export const OPSET = 18;
/** IR version that opset 18 requires (ONNX IR_VERSION_2021_7_30). */
export const IR_VERSION = 8;
