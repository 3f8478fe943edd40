// Maps the configured provider to onnxruntime-node execution providers, checking CUDA is installed; no sessions.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { InferenceSession } from "onnxruntime-node";
import type { ResolvedSessionConfig } from "./config";

export const CUDA_INSTALL_HINT =
  'the CUDA execution provider of onnxruntime-node is not installed. Install it with "ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node" (needs CUDA 12 and cuDNN 9 on the machine), or configure provider "cpu".';

/** Where onnxruntime-node keeps its native libraries for this platform. */
export function ortBinaryDir(): string {
  const req = createRequire(import.meta.url);
  const pkg = dirname(req.resolve("onnxruntime-node/package.json"));
  return join(pkg, "bin", "napi-v6", process.platform, process.arch);
}

export function isCudaInstalled(dir: string = ortBinaryDir()): boolean {
  const lib = process.platform === "win32" ? "onnxruntime_providers_cuda.dll" : "libonnxruntime_providers_cuda.so";
  return existsSync(join(dir, lib));
}

export function executionProviders(
  c: ResolvedSessionConfig,
  hasCuda: () => boolean = isCudaInstalled,
): InferenceSession.ExecutionProviderConfig[] {
  switch (c.provider) {
    case "cpu":
      return ["cpu"];
    case "cuda":
      if (!hasCuda()) throw new Error(`provider "cuda" requested, but ${CUDA_INSTALL_HINT}`);
      return [{ name: "cuda", deviceId: c.deviceId }, "cpu"];
  }
}
