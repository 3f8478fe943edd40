// probe: one-onnxruntime-importer
import * as ort from "onnxruntime-node";

export const probe = ort;
