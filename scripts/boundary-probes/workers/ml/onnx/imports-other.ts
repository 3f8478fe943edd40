// probe: ml-onnx-imports-only-protobuf
import { z } from "zod";
import { stub } from "../runtime/stub";

export const probe = [z, stub];
