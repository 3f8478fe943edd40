// LoRA as PEFT defines it: the config (PEFT's names and defaults), the adapted modules of a model, the
// initialisation, and the engine <-> PEFT tensor names. Not the forward pass (model/) nor file I/O (save/).
//
// Checked against PEFT 0.21 (peft/tuners/lora/layer.py, peft/utils/save_and_load.py, peft/peft_model.py):
// - `lora_A` is `nn.Linear(in, r, bias=False)`, weight [r, in], `kaiming_uniform_(a=sqrt(5))`:
//   gain sqrt(2 / (1 + 5)), bound = sqrt(3) * gain / sqrt(fan_in) = 1 / sqrt(in); `lora_B` [out, r] zeros.
// - `scaling = lora_alpha / r` (`lora_alpha / sqrt(r)` with use_rslora, not supported here).
// - A live PEFT model's key is `base_model.model.<module>.lora_A.default.weight`; `get_peft_model_state_dict`
//   removes the adapter name, so the saved key is `base_model.model.<module>.lora_A.weight`. A module of
//   `modules_to_save` (the reward head `score`) is saved as `base_model.model.score.weight` (its
//   `modules_to_save.default.` infix removed by ModulesToSaveWrapper.adapter_state_dict).
import { z } from "zod";
import { tensor, type Tensor } from "../ir";
import type { TModelConfig } from "../model/config";
import { SCORE_WEIGHT } from "../model/weights";

/** The linear layers of a Llama-family block LoRA can adapt, in the order HF's modules are registered. */
export const LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] as const;
export type TLoraTarget = (typeof LORA_TARGETS)[number];

/** The prefix `PeftModel` puts before the base model's module paths (`PeftModel.base_model` is the LoraModel, whose `.model` is the HF model). */
export const PEFT_PREFIX = "base_model.model.";

export interface TLoraConfig {
  /** Rank (PEFT `r`). */
  readonly r: number;
  /** PEFT `lora_alpha`; scaling = alpha / r. */
  readonly alpha: number;
  /** PEFT `lora_dropout` on the adapter's input (training only). */
  readonly dropout: number;
  /** PEFT `target_modules`: short module names, a subset of `LORA_TARGETS`. */
  readonly targetModules: readonly string[];
  /** PEFT `use_rslora`: only false (scaling alpha / r) is supported. */
  readonly useRslora?: false;
}

const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;

/** Validates a LoRA config; missing fields take this product's defaults (r 16, alpha 32, dropout 0, all seven projections). */
export const ZLoraConfig = z.strictObject({
  r: z.number().int().positive().default(16),
  alpha: z.number().positive().default(32),
  dropout: z.number().min(0).lt(1).default(0),
  targetModules: z
    .array(
      z.enum(LORA_TARGETS, {
        error: (i) => `target module '${String(i.input)}' is not one of ${LORA_TARGETS.join(", ")}`,
      }),
    )
    .min(1)
    .refine(unique, "target modules must not repeat")
    .default([...LORA_TARGETS]),
  useRslora: z
    .literal(false, { error: "use_rslora (scaling alpha / sqrt(r)) is not supported; scaling is alpha / r" })
    .default(false),
});

export const DEFAULT_LORA_CONFIG: TLoraConfig = Object.freeze(ZLoraConfig.parse({}));

/** Parses a (partial) LoRA config; throws one error listing every problem. */
export function parseLoraConfig(input: unknown = {}): TLoraConfig {
  const parsed = ZLoraConfig.safeParse(input);
  if (!parsed.success)
    throw new Error(
      `LoRA config: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/** PEFT's `scaling` for a non-rslora adapter. */
export function loraScaling(lora: TLoraConfig): number {
  if (lora.useRslora) throw new Error("use_rslora is not supported");
  return lora.alpha / lora.r;
}

/** One adapted linear layer: its HF module path and the `[out, in]` of its weight. */
export interface TLoraModule {
  /** HF module path, e.g. `model.layers.0.self_attn.q_proj`; its weight is `<path>.weight`. */
  readonly path: string;
  readonly target: TLoraTarget;
  readonly layer: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

function isTarget(s: string): s is TLoraTarget {
  return (LORA_TARGETS as readonly string[]).includes(s);
}

/** The adapted modules of `config` for `lora`, layer by layer, in LORA_TARGETS order within a layer. */
export function loraModules(config: TModelConfig, lora: TLoraConfig): TLoraModule[] {
  const bad = lora.targetModules.filter((t) => !isTarget(t));
  if (bad.length > 0)
    throw new Error(`LoRA target modules not in this model: ${bad.join(", ")} (known: ${LORA_TARGETS.join(", ")})`);
  const H = config.hiddenSize;
  const I = config.intermediateSize;
  const q = config.numAttentionHeads * config.headDim;
  const kv = config.numKeyValueHeads * config.headDim;
  const dims: Record<TLoraTarget, { parent: "self_attn" | "mlp"; in: number; out: number }> = {
    q_proj: { parent: "self_attn", in: H, out: q },
    k_proj: { parent: "self_attn", in: H, out: kv },
    v_proj: { parent: "self_attn", in: H, out: kv },
    o_proj: { parent: "self_attn", in: q, out: H },
    gate_proj: { parent: "mlp", in: H, out: I },
    up_proj: { parent: "mlp", in: H, out: I },
    down_proj: { parent: "mlp", in: I, out: H },
  };
  const modules: TLoraModule[] = [];
  for (let layer = 0; layer < config.numHiddenLayers; layer++) {
    for (const target of LORA_TARGETS) {
      if (!lora.targetModules.includes(target)) continue;
      const d = dims[target];
      modules.push({
        path: `model.layers.${layer}.${d.parent}.${target}`,
        target,
        layer,
        inFeatures: d.in,
        outFeatures: d.out,
      });
    }
  }
  return modules;
}

/** The engine's names of a module's adapter tensors: `<path>.lora_A.weight` [r, in], `<path>.lora_B.weight` [out, r]. */
export function loraTensorNames(modulePath: string): { a: string; b: string } {
  return { a: `${modulePath}.lora_A.weight`, b: `${modulePath}.lora_B.weight` };
}

/** Every adapter tensor a (config, lora) pair has, by engine name, with its shape. */
export function loraTensorSpecs(
  modules: readonly TLoraModule[],
  lora: TLoraConfig,
): { name: string; shape: [number, number] }[] {
  return modules.flatMap((m) => {
    const { a, b } = loraTensorNames(m.path);
    return [
      { name: a, shape: [lora.r, m.inFeatures] as [number, number] },
      { name: b, shape: [m.outFeatures, lora.r] as [number, number] },
    ];
  });
}

const LORA_NAME = /^(model\.layers\.\d+\.(?:self_attn|mlp)\.[a-z_]+)\.lora_([AB])\.weight$/;

/** Splits an engine LoRA tensor name into module path and side; null for any other name. */
export function parseLoraName(name: string): { modulePath: string; side: "A" | "B" } | null {
  const m = LORA_NAME.exec(name);
  return m && m[1] && m[2] ? { modulePath: m[1], side: m[2] === "A" ? "A" : "B" } : null;
}

/** Engine name -> key in PEFT's `adapter_model.safetensors` (LoRA tensors and the `score` head only). */
export function peftKeyOf(engineName: string): string {
  if (engineName !== SCORE_WEIGHT && !parseLoraName(engineName)) {
    throw new Error(
      `'${engineName}' is neither a LoRA tensor (<module>.lora_A.weight / .lora_B.weight) nor '${SCORE_WEIGHT}'`,
    );
  }
  return PEFT_PREFIX + engineName;
}

/** Key in PEFT's `adapter_model.safetensors` -> engine name; throws for keys this engine has no tensor for. */
export function engineNameOf(peftKey: string): string {
  if (!peftKey.startsWith(PEFT_PREFIX)) throw new Error(`PEFT key '${peftKey}' does not start with '${PEFT_PREFIX}'`);
  const name = peftKey.slice(PEFT_PREFIX.length);
  if (name !== SCORE_WEIGHT && !parseLoraName(name)) {
    throw new Error(
      `PEFT key '${peftKey}' is neither a LoRA tensor (<module>.lora_A.weight / .lora_B.weight) nor '${PEFT_PREFIX}${SCORE_WEIGHT}'`,
    );
  }
  return name;
}

/** FNV-1a over a string's UTF-16 code units: a module's stream id. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * A small deterministic generator (splitmix32: Weyl increment + murmur3-style finaliser), uniform in [0, 1)
 * with 32 bits. Each module gets its own stream from (seed, module path), so a module's initial A depends on
 * neither the other targets nor the layer count.
 */
export class LoraRng {
  #state: number;
  constructor(seed: number, stream = 0) {
    this.#state = (Math.imul(seed >>> 0, 0x9e3779b1) ^ stream ^ 0x2545f491) >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x9e3779b9) >>> 0;
    let x = this.#state;
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
    return ((x ^ (x >>> 16)) >>> 0) / 2 ** 32;
  }
}

/**
 * PEFT's default initialisation (`init_lora_weights=True`): A [r, in] ~ U(-1/sqrt(in), 1/sqrt(in)), B [out, r]
 * zeros, so the adapted model starts equal to the base model. Keys are engine names.
 */
export function initLora(
  modules: readonly TLoraModule[],
  lora: TLoraConfig,
  seed: number,
): Map<string, Tensor<"float32">> {
  if (!Number.isInteger(seed)) throw new Error(`LoRA seed must be an integer, got ${seed}`);
  const out = new Map<string, Tensor<"float32">>();
  for (const m of modules) {
    const { a, b } = loraTensorNames(m.path);
    if (out.has(a)) throw new Error(`LoRA module '${m.path}' is listed twice`);
    const rng = new LoraRng(seed, hashString(m.path));
    const bound = 1 / Math.sqrt(m.inFeatures);
    const data = new Float32Array(lora.r * m.inFeatures);
    for (let i = 0; i < data.length; i++) data[i] = (2 * rng.next() - 1) * bound; // NOTE: rounded to float32 on store
    out.set(a, tensor("float32", [lora.r, m.inFeatures], data));
    out.set(b, tensor("float32", [m.outFeatures, lora.r], new Float32Array(m.outFeatures * lora.r)));
  }
  return out;
}
