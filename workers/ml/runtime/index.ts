// Public surface of the runtime: sessions, their configuration and cache; the only onnxruntime-node importer.
export {
  DEFAULT_SESSION_CONFIG,
  OPTIMIZATION_LEVELS,
  PROVIDERS,
  resolveSessionConfig,
  type OptimizationLevel,
  type Provider,
  type ResolvedSessionConfig,
  type SessionConfig,
} from "./config";
export { CUDA_INSTALL_HINT, isCudaInstalled } from "./providers";
export { createSession, Session, type ModelSource } from "./session";
export { SessionCache, type SessionKey } from "./session-cache";
