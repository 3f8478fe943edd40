// An onnxruntime-node inference session over a serialized model with typed feeds and fetches; not caching.
import * as ort from "onnxruntime-node";
import type { Tensor } from "../ir";
import { resolveSessionConfig, type ResolvedSessionConfig, type SessionConfig } from "./config";
import { fromOrt, toOrt } from "./convert";
import { CUDA_INSTALL_HINT, executionProviders } from "./providers";

/** Model bytes, or a file path (required when weights live in an external-data file beside it). */
export type ModelSource = Uint8Array | { readonly path: string };

export class Session {
  #disposed = false;
  private constructor(
    private readonly ortSession: ort.InferenceSession,
    readonly config: ResolvedSessionConfig,
  ) {}

  static async create(model: ModelSource, config: SessionConfig = {}): Promise<Session> {
    const c = resolveSessionConfig(config);
    const options: ort.InferenceSession.SessionOptions = {
      executionProviders: executionProviders(c),
      intraOpNumThreads: c.intraOpThreads,
      interOpNumThreads: c.interOpThreads,
      graphOptimizationLevel: c.optimizationLevel,
      enableCpuMemArena: c.memoryArena,
      enableMemPattern: c.memoryPattern,
      extra: { session: { intra_op: { allow_spinning: c.allowSpinning ? "1" : "0" } } },
      logSeverityLevel: 3, // errors only: onnxruntime's warnings would flood test output
    };
    try {
      const s =
        model instanceof Uint8Array
          ? await ort.InferenceSession.create(model, options)
          : await ort.InferenceSession.create(model.path, options);
      return new Session(s, c);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (c.provider === "cuda" && /cuda|shared library/i.test(msg))
        throw new Error(`provider "cuda" failed to start: ${CUDA_INSTALL_HINT} (${msg})`, { cause: e });
      throw new Error(`onnxruntime could not load the model: ${msg}`, { cause: e });
    }
  }

  get inputNames(): readonly string[] {
    return this.ortSession.inputNames;
  }

  get outputNames(): readonly string[] {
    return this.ortSession.outputNames;
  }

  /** Runs the graph; fetches `outputs` (default: all) and returns them by name. */
  async run(
    feeds: Readonly<Record<string, Tensor>>,
    outputs: readonly string[] = this.outputNames,
  ): Promise<Record<string, Tensor>> {
    if (this.#disposed) throw new Error("session is disposed");
    const missing = this.inputNames.filter((n) => !(n in feeds));
    const extra = Object.keys(feeds).filter((n) => !this.inputNames.includes(n));
    if (missing.length > 0 || extra.length > 0)
      throw new Error(
        `feeds do not match the graph inputs:${missing.length > 0 ? ` missing ${missing.join(", ")};` : ""}${extra.length > 0 ? ` unknown ${extra.join(", ")};` : ""} expected ${this.inputNames.join(", ")}`,
      );
    const unknownOut = outputs.filter((n) => !this.outputNames.includes(n));
    if (unknownOut.length > 0)
      throw new Error(`unknown outputs ${unknownOut.join(", ")}; the graph has ${this.outputNames.join(", ")}`);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(name, t);
    const res = await this.ortSession.run(ortFeeds, [...outputs]);
    const out: Record<string, Tensor> = {};
    for (const name of outputs) {
      const t = res[name];
      if (t === undefined) throw new Error(`onnxruntime returned no "${name}"`);
      out[name] = fromOrt(name, t);
    }
    return out;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.ortSession.release();
  }

  get isDisposed(): boolean {
    return this.#disposed;
  }
}

export function createSession(model: ModelSource, config?: SessionConfig): Promise<Session> {
  return Session.create(model, config);
}
