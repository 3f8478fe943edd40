// A model's weights by Hugging Face state-dict name, as float32 tensors, and their use as graph parameters.
// Reads checkpoints (F32/F16/BF16, single or sharded) through checkpoint/; builds no graph itself.
//
// The tensors keep the checkpoint's names and layouts ([out, in] for linear layers). Graphs transpose and
// concatenate them with ordinary nodes (linear.ts); onnxruntime folds those constant subgraphs once, when a
// session is created, so the JavaScript side holds one copy of every weight and training (train/) sees
// exactly the Hugging Face parameters.
import { openCheckpoint } from "../checkpoint/checkpoint-dir";
import { hfTensorSpecs } from "../checkpoint/hf-tensors";
import { loadCheckpoint, type TExpectedTensor } from "../checkpoint/load-checkpoint";
import { tensor, type GraphBuilder, type Tensor, type Value } from "../ir";
import type { TModelConfig } from "./config";
import type { TQuantizeSource } from "./quantize";

/** `AutoModelForSequenceClassification`'s head name: [num_labels = 1, hidden]. */
export const SCORE_WEIGHT = "score.weight";
const SCORE_INIT_STD = 0.02; // HF's initializer_range default
const SCORE_INIT_SEED = 0x5c0e0000;

export type TModelWeights = ReadonlyMap<string, Tensor<"float32">>;

export interface TLoadedWeights {
  readonly weights: TModelWeights;
  /** The checkpoint's dtype per tensor (F32, F16, BF16), before the upcast to float32. */
  readonly sourceDtypes: ReadonlyMap<string, string>;
  /** Whether `score.weight` came from the checkpoint (else a deterministic initialisation). */
  readonly hasScoreHead: boolean;
}

/** Uniform in (0, 1] from a 32-bit counter (splitmix32 finaliser); enough for a fixed initialisation. */
function unitAt(counter: number): number {
  let x = (counter + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (((x ^ (x >>> 16)) >>> 0) + 1) / 2 ** 32;
}

/** A [1, hidden] head drawn from N(0, 0.02^2) (Box-Muller) with a fixed seed: every load gives the same rewards. */
export function initScoreHead(hiddenSize: number): Tensor<"float32"> {
  const data = new Float32Array(hiddenSize);
  for (let i = 0; i < hiddenSize; i++) {
    const [u, v] = [unitAt(SCORE_INIT_SEED + 2 * i), unitAt(SCORE_INIT_SEED + 2 * i + 1)];
    data[i] = SCORE_INIT_STD * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  return tensor("float32", [1, hiddenSize], data);
}

/**
 * Reads every tensor the config expects (names checked by `hfTensorSpecs`; one error lists every missing,
 * unknown or misshapen tensor) and upcasts it to float32. `score.weight` is read when the checkpoint has it.
 */
export function loadModelWeights(dir: string, config: TModelConfig): TLoadedWeights {
  const probe = openCheckpoint(dir);
  const hasScoreHead = probe.entries.has(SCORE_WEIGHT);
  probe.close();
  const expected: TExpectedTensor[] = [
    ...hfTensorSpecs(config),
    ...(hasScoreHead ? [{ name: SCORE_WEIGHT, shape: [1, config.hiddenSize] }] : []),
  ];
  const ckpt = loadCheckpoint(dir, expected, { ignore: config.tieWordEmbeddings ? ["lm_head.weight"] : [] });
  const weights = new Map<string, Tensor<"float32">>();
  const sourceDtypes = new Map<string, string>();
  try {
    for (const t of expected) {
      weights.set(t.name, tensor("float32", t.shape, ckpt.readFloat32(t.name)));
      sourceDtypes.set(t.name, ckpt.dtypeOf(t.name));
    }
  } finally {
    ckpt.close();
  }
  if (!hasScoreHead) weights.set(SCORE_WEIGHT, initScoreHead(config.hiddenSize));
  return { weights, sourceDtypes, hasScoreHead };
}

/** LoRA adapters riding on linear layers: `<module>.lora_A.weight` [r, in] and `.lora_B.weight` [out, r] by
 *  engine name (the module's state-dict path), applied as `y += scaling * B (A x)`. */
export interface TLoraParams {
  readonly scaling: number;
  readonly tensors: TModelWeights;
  /** PEFT's `lora_dropout` on each adapter's input, active when the graph input `training_mode` is true. */
  readonly dropout?: number;
  /** Seeds the per-module dropout generators (onnxruntime's, advancing on every run of a session). */
  readonly dropoutSeed?: number;
}

/**
 * Where a graph's parameters come from. Frozen tensors become initializers (onnxruntime folds their
 * transposes and concatenations once); names in `trainable` become graph inputs of the same name, fed on
 * every run, so one session serves every optimiser step and gradients can be taken with respect to them.
 */
export interface TParams {
  readonly weights: TModelWeights;
  readonly lora?: TLoraParams | null;
  readonly trainable?: ReadonlySet<string>;
  /** Told each trainable input as it is created (the training graph differentiates with respect to them). */
  readonly onTrainable?: (name: string, value: Value) => void;
  /** Frozen linear layers (and the LM head, if asked) read block-quantized weights (MatMulNBits); float32
   *  when absent, the reference path. */
  readonly quantize?: TQuantizeSource | null;
}

/** The parameter `name` of the current scope (its full name is the state-dict name), added once per graph. */
export function param(b: GraphBuilder, params: TParams, name: string): Value {
  const full = b.scoped(name);
  const t = params.weights.get(full) ?? params.lora?.tensors.get(full);
  if (!t) throw new Error(`model weights have no '${full}'`);
  if (params.trainable?.has(full) !== true) return b.parameter(name, t);
  const v = b.input(full, "float32", t.shape);
  params.onTrainable?.(full, v);
  return v;
}
