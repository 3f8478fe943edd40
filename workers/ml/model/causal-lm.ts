// A loaded model: config, tokenizer, weights, and one lazily created onnxruntime session per graph kind.
// Not the decoding loop (generate/generate.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { tensor, type Graph, type Tensor } from "../ir";
import { serializeModel, writeModel } from "../onnx";
import { createSession, SessionCache, type Session, type SessionConfig } from "../runtime";
import { loadTokenizer, type TextTokenizer } from "../tokenizer/tokenizer";
import { loadModelConfig, type TModelConfig } from "./config";
import { buildGraph, type TGraphKind } from "./graphs";
import { QUANTIZED_LINEAR } from "./quantize-reference";
import { resolveQuantize, type TQuantizeMode, type TQuantizeOption, type TQuantizeSource } from "./quantize";
import { ropeTables, type TRopeTables } from "./rope";
import { textFeeds, type TTextBatch } from "./text-batch";
import { loadModelWeights, type TLoraParams, type TModelWeights } from "./weights";

export interface TLoadModelOptions {
  /** Provider (cpu | cuda), threads, graph optimisation level ("all" by default). */
  readonly session?: SessionConfig;
  /** Share sessions (and their eviction) with other models; default: a cache of this model's own. */
  readonly sessionCache?: SessionCache;
  /** Load tokenizer.json: "auto" (default) when the file exists, true requires it, false skips it. */
  readonly tokenizer?: boolean | "auto";
  /** Weights of the frozen linear layers and the LM head: "none" (float32, default), "q8" or "q4" blocks of
   *  32 run by onnxruntime's MatMulNBits (quantized once, when the first session is built). */
  readonly quantize?: TQuantizeOption;
}

export interface TDecodeResult {
  readonly logits: Tensor<"float32">; // [B, T, V], or [B, 1, V] for decode-last
  /** present.{l}.key / .value per layer, [B, KV, P+T, D]: the next step's past. */
  readonly present: readonly { readonly key: Tensor<"float32">; readonly value: Tensor<"float32"> }[];
}

export interface TScoreResult {
  readonly tokenLogprobs: Float32Array; // [B, T] row-major
  readonly sumLogprobs: Float32Array; // [B]
}

let nextModelId = 0;

function asFloat32(t: Tensor | undefined, name: string): Tensor<"float32"> {
  if (!t || t.dtype !== "float32") throw new Error(`graph output ${name} is missing or not float32`);
  return t as Tensor<"float32">;
}

export class CausalLM {
  readonly id = `model-${nextModelId++}`;
  readonly #rope: TRopeTables;
  readonly #quantize: TQuantizeSource | null;
  readonly #ownsWeights: boolean;
  readonly #cache: SessionCache;
  readonly #ownsCache: boolean;
  #disposed = false;

  constructor(
    readonly dir: string,
    readonly config: TModelConfig,
    readonly weights: TModelWeights,
    readonly tokenizer: TextTokenizer | null,
    readonly sessionConfig: SessionConfig = {},
    cache?: SessionCache,
    /** Whether score.weight came from the checkpoint (else a deterministic initialisation). */
    readonly hasScoreHead = false,
    /**
     * A LoRA adapter read live: its tensors are graph inputs fed from `lora.tensors` on every run, so a model
     * being trained generates with its current adapter without new sessions.
     */
    readonly liveLora: TLoraParams | null = null,
    quantize?: TQuantizeOption,
    /**
     * `weights` belongs to this model (loadModel): once a quantized graph has packed the linear layers, their
     * float32 tensors are dropped from it before the model is serialized, so they do not add to peak memory.
     */
    ownsWeights = false,
  ) {
    this.#quantize = resolveQuantize(quantize);
    this.#ownsWeights = ownsWeights;
    this.#rope = ropeTables(config);
    this.#cache = cache ?? new SessionCache();
    this.#ownsCache = cache === undefined;
  }

  /** The weight type of the linear layers: "none" (float32), "q8" or "q4". */
  get quantize(): TQuantizeMode {
    const q = this.#quantize;
    return q === null ? "none" : q.scheme.bits === 8 ? "q8" : "q4";
  }

  /** The graph of `kind` over this model's weights (built on each call; sessions cache the result). */
  graph(kind: TGraphKind): Graph {
    const lora = this.liveLora;
    return buildGraph(kind, {
      config: this.config,
      weights: this.weights,
      rope: this.#rope,
      quantize: this.#quantize,
      ...(lora ? { lora, trainable: new Set(lora.tensors.keys()) } : {}),
    });
  }

  session(kind: TGraphKind): Promise<Session> {
    if (this.#disposed) return Promise.reject(new Error(`model ${this.dir} is disposed`));
    return this.#cache.get({ modelId: this.id, graphKind: kind, shapeClass: "dynamic" }, () =>
      this.#createSession(kind),
    );
  }

  async #createSession(kind: TGraphKind): Promise<Session> {
    const graph = this.graph(kind);
    this.#releasePacked();
    const serialized = serializeModel(graph);
    if (!serialized.external) return createSession(serialized.model, this.sessionConfig);
    // Past protobuf's 2 GB limit the weights go to a side file, which onnxruntime reads while loading.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-onnx-"));
    try {
      const written = await writeModel(graph, path.join(tmp, `${kind}.onnx`));
      return await createSession({ path: written.modelPath }, this.sessionConfig);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  /** Drops the float32 copies of weights the quantized graphs read packed (only weights loadModel read). */
  #releasePacked(): void {
    if (!this.#ownsWeights || !this.#quantize || !(this.weights instanceof Map)) return;
    const packed = new Set([...this.#quantize.cache.keys()].flatMap((k) => k.split("|")));
    // The embedding stays: the lookup reads its float32 rows even when the tied LM head is packed.
    for (const name of packed) if (QUANTIZED_LINEAR.test(name) || name === "lm_head.weight") this.weights.delete(name);
  }

  async run(
    kind: TGraphKind,
    feeds: Readonly<Record<string, Tensor>>,
    outputs?: readonly string[],
  ): Promise<Record<string, Tensor>> {
    this.#checkPositions(feeds.position_ids);
    const lora = this.liveLora;
    return (await this.session(kind)).run(lora ? { ...feeds, ...Object.fromEntries(lora.tensors) } : feeds, outputs);
  }

  /** Empty past_key_values for a prefill of `batch` rows (P = 0). */
  emptyPast(batch: number): Record<string, Tensor> {
    const feeds: Record<string, Tensor> = {};
    const shape = [batch, this.config.numKeyValueHeads, 0, this.config.headDim];
    for (let l = 0; l < this.config.numHiddenLayers; l++) {
      feeds[`past_key_values.${l}.key`] = tensor("float32", shape, new Float32Array(0));
      feeds[`past_key_values.${l}.value`] = tensor("float32", shape, new Float32Array(0));
    }
    return feeds;
  }

  /** One decode call: `past` null is a prefill; `logits` "last" runs decode-last (logits [B, 1, V]). */
  async decode(
    batch: TTextBatch,
    past: TDecodeResult["present"] | null,
    logits: "all" | "last" = "all",
  ): Promise<TDecodeResult> {
    const B = batch.inputIds.shape[0] ?? 0;
    const feeds: Record<string, Tensor> = { ...textFeeds(batch), ...(past ? {} : this.emptyPast(B)) };
    past?.forEach((kv, l) => {
      feeds[`past_key_values.${l}.key`] = kv.key;
      feeds[`past_key_values.${l}.value`] = kv.value;
    });
    const out = await this.run(logits === "last" ? "decode-last" : "decode", feeds);
    const present = Array.from({ length: this.config.numHiddenLayers }, (_, l) => ({
      key: asFloat32(out[`present.${l}.key`], `present.${l}.key`),
      value: asFloat32(out[`present.${l}.value`], `present.${l}.value`),
    }));
    return { logits: asFloat32(out.logits, "logits"), present };
  }

  /** Log-probabilities of the tokens where `completionMask` [B, T] is 1, under logits / temperature. */
  async score(batch: TTextBatch, completionMask: Tensor<"int64">, temperature = 1): Promise<TScoreResult> {
    if (!(temperature > 0) || !Number.isFinite(temperature))
      throw new RangeError(`score: temperature must be a finite number > 0, got ${temperature}`);
    const out = await this.run("score", {
      ...textFeeds(batch),
      completion_mask: completionMask,
      temperature: tensor("float32", [], Float32Array.of(temperature)),
    });
    return {
      tokenLogprobs: asFloat32(out.token_logprobs, "token_logprobs").data,
      sumLogprobs: asFloat32(out.sum_logprobs, "sum_logprobs").data,
    };
  }

  /** One scalar per row, read at its last non-pad token. */
  async reward(batch: TTextBatch): Promise<Float32Array> {
    return asFloat32((await this.run("reward", textFeeds(batch))).rewards, "rewards").data;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    if (this.#ownsCache) await this.#cache.disposeAll();
    else await this.#cache.disposeModel(this.id);
  }

  /** onnxruntime would fail on a position past the RoPE table with an index error; say what happened. */
  #checkPositions(positionIds: Tensor | undefined): void {
    if (!positionIds || positionIds.dtype !== "int64") return;
    const limit = BigInt(this.config.maxPositionEmbeddings);
    for (const p of positionIds.data as BigInt64Array) {
      if (p >= limit || p < 0n)
        throw new RangeError(
          `position_ids holds ${p}, outside the model's max_position_embeddings (${this.config.maxPositionEmbeddings})`,
        );
    }
  }
}

/** Loads config.json, the checkpoint (F32/F16/BF16, single or sharded; upcast to float32) and the tokenizer. */
export function loadModel(dir: string, options: TLoadModelOptions = {}): CausalLM {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`model directory ${dir} does not exist`);
  const config = loadModelConfig(dir);
  const wantTokenizer = options.tokenizer ?? "auto";
  const hasTokenizer = fs.existsSync(path.join(dir, "tokenizer.json"));
  const tokenizer = wantTokenizer === true || (wantTokenizer === "auto" && hasTokenizer) ? loadTokenizer(dir) : null;
  const { weights, hasScoreHead } = loadModelWeights(dir, config);
  return new CausalLM(
    dir,
    config,
    weights,
    tokenizer,
    options.session ?? {},
    options.sessionCache,
    hasScoreHead,
    null,
    options.quantize,
    true,
  );
}
