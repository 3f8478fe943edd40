// A model being trained: the frozen base weights, the tensors that train (every weight, LoRA adapters, the
// reward head) as owned float32 buffers the optimiser updates in place, and the graph source that feeds
// those tensors as inputs. Not the loop (trainer.ts), not file formats (save/).
import { tensor, type Tensor } from "../ir";
import {
  ropeTables,
  SCORE_WEIGHT,
  type TGraphSource,
  type TModelConfig,
  type TModelWeights,
  type TRopeTables,
} from "../model";
import { initLora, loraModules, loraScaling, type TLoraConfig } from "./lora";
import { mergeAdapter } from "./save/adapter";

/** What trains: the body (`full`: every weight; `lora`: adapters on a frozen base; `frozen`) and the head. */
export interface TTrainableSpec {
  readonly body: "full" | "lora" | "frozen";
  readonly lora?: TLoraConfig;
  /** Train the reward head `score.weight` (reward models). */
  readonly head: boolean;
  /** Seeds the LoRA initialisation. */
  readonly seed: number;
}

function copy(t: Tensor<"float32">): Tensor<"float32"> {
  return tensor("float32", t.shape, new Float32Array(t.data));
}

export class TrainableModel {
  readonly rope: TRopeTables;
  /** The trained tensors by name (engine names for LoRA), updated in place by the optimiser. */
  readonly tensors: Map<string, Tensor<"float32">>;
  readonly lora: TLoraConfig | null;

  constructor(
    readonly config: TModelConfig,
    /** Frozen base weights (with `score.weight`, checkpoint or initialised). Never written. */
    readonly base: TModelWeights,
    readonly spec: TTrainableSpec,
    /** Existing trained tensors to start from (a loaded adapter or a resumed run), by name. */
    start?: ReadonlyMap<string, Tensor<"float32">>,
  ) {
    this.rope = ropeTables(config);
    this.lora = spec.body === "lora" ? (spec.lora ?? null) : null;
    if (spec.body === "lora" && !this.lora) throw new Error("LoRA training needs a LoRA config");
    const tensors = new Map<string, Tensor<"float32">>();
    if (spec.body === "full")
      for (const [name, t] of base)
        if (name !== SCORE_WEIGHT && !(config.tieWordEmbeddings && name === "lm_head.weight"))
          tensors.set(name, copy(t));
    if (this.lora)
      for (const [name, t] of initLora(loraModules(config, this.lora), this.lora, spec.seed)) tensors.set(name, t);
    if (spec.head) {
      const head = base.get(SCORE_WEIGHT);
      if (!head) throw new Error(`the model has no '${SCORE_WEIGHT}' to train`);
      tensors.set(SCORE_WEIGHT, copy(head));
    }
    if (tensors.size === 0) throw new Error("nothing to train: the body is frozen and the head is not trained");
    for (const [name, t] of start ?? []) {
      const own = tensors.get(name);
      if (!own) throw new Error(`cannot start from '${name}': it is not a trained tensor of this run`);
      if (own.data.length !== t.data.length)
        throw new Error(`cannot start from '${name}': ${t.data.length} values, expected ${own.data.length}`);
      own.data.set(t.data);
    }
    this.tensors = tensors;
  }

  get trainableNames(): string[] {
    return [...this.tensors.keys()];
  }

  /** The source of training graphs: trained tensors as inputs, LoRA tensors beside the frozen weights. */
  graphSource(): TGraphSource {
    const loraTensors = new Map<string, Tensor<"float32">>();
    for (const [name, t] of this.tensors) if (name.includes(".lora_")) loraTensors.set(name, t);
    return {
      config: this.config,
      rope: this.rope,
      weights: this.base,
      lora: this.lora
        ? {
            scaling: loraScaling(this.lora),
            tensors: loraTensors,
            dropout: this.lora.dropout,
            dropoutSeed: this.spec.seed,
          }
        : null,
      trainable: new Set(this.tensors.keys()),
    };
  }

  /** The trained tensors that are LoRA adapters (engine names). */
  loraTensors(): Map<string, Tensor<"float32">> {
    return new Map([...this.tensors].filter(([n]) => n.includes(".lora_")));
  }

  /** The current model as plain weights: base with trained tensors replaced and LoRA merged (W + s B A). */
  mergedWeights(): Map<string, Tensor<"float32">> {
    let merged = new Map(this.base);
    for (const [name, t] of this.tensors) if (!name.includes(".lora_")) merged.set(name, t);
    if (this.lora) merged = mergeAdapter(merged, { lora: this.lora, tensors: this.loraTensors() });
    return merged;
  }
}
