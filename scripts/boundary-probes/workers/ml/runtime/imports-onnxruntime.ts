// probe: none (the runtime is the one onnxruntime-node importer)
import * as ort from "onnxruntime-node";
import { stub } from "../ir/stub";

export const probe = [ort, stub];
