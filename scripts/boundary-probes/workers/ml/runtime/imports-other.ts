// probe: ml-runtime-imports-only-onnxruntime
import { z } from "zod";
import { stub } from "../model/stub";

export const probe = [z, stub];
