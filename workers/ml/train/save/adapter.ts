// PEFT LoRA adapters on disk (`adapter_config.json` + `adapter_model.safetensors`, as PEFT 0.21's
// `save_pretrained` writes them) and merging an adapter into base weights; not the training loop.
//
// Checked against PEFT 0.21's source: `PeftConfigMixin.save_pretrained` writes `json.dumps(to_dict(),
// indent=2, sort_keys=True)` (no trailing newline); `PeftModel.save_pretrained` sets `inference_mode: true`
// in the saved config and writes the tensors with `safe_save_file(..., metadata={"format": "pt"})`;
// `LoraConfig.to_dict` drops `runtime_config`. Keys: see ../lora.ts.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../checkpoint/atomic-write";
import { SafetensorsFile } from "../../checkpoint/safetensors-read";
import { writeSafetensors, type TTensorToWrite } from "../../checkpoint/safetensors-write";
import { at, tensor, type Tensor } from "../../ir";
import type { TModelConfig } from "../../model/config";
import { SCORE_WEIGHT, type TModelWeights } from "../../model/weights";
import {
  LORA_TARGETS,
  loraModules,
  loraScaling,
  loraTensorNames,
  loraTensorSpecs,
  parseLoraConfig,
  parseLoraName,
  engineNameOf,
  peftKeyOf,
  type TLoraConfig,
} from "../lora";

export const ADAPTER_CONFIG_FILE = "adapter_config.json";
export const ADAPTER_WEIGHTS_FILE = "adapter_model.safetensors";
/** The PEFT release whose layout these files follow (written as `peft_version`). */
export const PEFT_VERSION = "0.21.0";

/** PEFT `task_type`: `CAUSAL_LM` for a policy, `SEQ_CLS` for a reward model (score head in `modules_to_save`). */
export type TAdapterTaskType = "CAUSAL_LM" | "SEQ_CLS";

export interface TAdapter {
  readonly lora: TLoraConfig;
  readonly taskType: TAdapterTaskType;
  /** `base_model_name_or_path`: a hub id or a path; null when unknown. */
  readonly baseModel: string | null;
  /** LoRA tensors by engine name (`<module>.lora_A.weight` [r, in], `<module>.lora_B.weight` [out, r]). */
  readonly tensors: ReadonlyMap<string, Tensor<"float32">>;
  /** The trained reward head `score.weight` [1, hidden] (SEQ_CLS only), saved as a module to save. */
  readonly scoreHead?: Tensor<"float32">;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);
const shapeText = (s: readonly number[]) => `[${s.join(", ")}]`;

/** Checks an adapter's tensors against its own config (no model needed); returns the score head, if any. */
function checkAdapter(adapter: TAdapter): { lora: TLoraConfig; scoreHead: Tensor<"float32"> | undefined } {
  const lora = parseLoraConfig(adapter.lora);
  const problems: string[] = [];
  let scoreHead = adapter.scoreHead;
  const modules = new Map<string, { a?: Tensor<"float32">; b?: Tensor<"float32"> }>();
  for (const [name, t] of adapter.tensors) {
    if (name === SCORE_WEIGHT) {
      if (scoreHead) problems.push(`'${SCORE_WEIGHT}' given both in tensors and as scoreHead`);
      scoreHead = t;
      continue;
    }
    const parsed = parseLoraName(name);
    if (!parsed) {
      problems.push(`'${name}' is not a LoRA tensor name (<module>.lora_A.weight / .lora_B.weight)`);
      continue;
    }
    const target = parsed.modulePath.slice(parsed.modulePath.lastIndexOf(".") + 1);
    if (!lora.targetModules.includes(target))
      problems.push(`'${name}': module '${target}' is not in target_modules (${lora.targetModules.join(", ")})`);
    const entry = modules.get(parsed.modulePath) ?? {};
    if (parsed.side === "A") entry.a = t;
    else entry.b = t;
    modules.set(parsed.modulePath, entry);
  }
  const seenTargets = new Set<string>();
  for (const [modulePath, { a, b }] of modules) {
    seenTargets.add(modulePath.slice(modulePath.lastIndexOf(".") + 1));
    const names = loraTensorNames(modulePath);
    if (!a) problems.push(`'${names.a}' is missing (its lora_B is present)`);
    if (!b) problems.push(`'${names.b}' is missing (its lora_A is present)`);
    if (a && (a.shape.length !== 2 || a.shape[0] !== lora.r))
      problems.push(`'${names.a}' has shape ${shapeText(a.shape)}, expected [r = ${lora.r}, in]`);
    if (b && (b.shape.length !== 2 || b.shape[1] !== lora.r))
      problems.push(`'${names.b}' has shape ${shapeText(b.shape)}, expected [out, r = ${lora.r}]`);
  }
  const unused = lora.targetModules.filter((t) => !seenTargets.has(t));
  if (unused.length > 0) problems.push(`target_modules ${unused.join(", ")} have no tensors`);
  if (adapter.taskType === "SEQ_CLS" && !scoreHead)
    problems.push("a SEQ_CLS adapter needs the score head (PEFT always saves it as a module to save)");
  if (adapter.taskType === "CAUSAL_LM" && scoreHead)
    problems.push("a score head belongs to a SEQ_CLS adapter, not CAUSAL_LM");
  if (scoreHead && (scoreHead.shape.length !== 2 || scoreHead.shape[0] !== 1))
    problems.push(`score head has shape ${shapeText(scoreHead.shape)}, expected [1, hidden]`);
  if (problems.length > 0) throw new Error(`cannot save adapter:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  return { lora, scoreHead };
}

/** `LoraConfig.to_dict()` of PEFT 0.21 (every field, defaults for what this engine does not use), as saved. */
export function peftAdapterConfig(
  adapter: Pick<TAdapter, "lora" | "taskType" | "baseModel"> & { hasScoreHead: boolean },
): Record<string, unknown> {
  const lora = parseLoraConfig(adapter.lora);
  const config: Record<string, unknown> = {
    alora_invocation_tokens: null,
    alpha_pattern: {},
    arrow_config: null,
    auto_mapping: null,
    base_model_name_or_path: adapter.baseModel,
    bias: "none",
    corda_config: null,
    ensure_weight_tying: false,
    eva_config: null,
    exclude_modules: null,
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    kasa_config: null,
    layer_replication: null,
    layers_pattern: null,
    layers_to_transform: null,
    loftq_config: {},
    lora_alpha: lora.alpha,
    lora_bias: false,
    lora_dropout: lora.dropout,
    lora_ga_config: null,
    megatron_config: null,
    megatron_core: "megatron.core",
    modules_to_save: adapter.hasScoreHead ? ["score"] : null,
    monteclora_config: null,
    peft_type: "LORA",
    peft_version: PEFT_VERSION,
    qalora_group_size: 16,
    r: lora.r,
    rank_pattern: {},
    revision: null,
    target_modules: [...lora.targetModules].sort(),
    target_parameters: null,
    task_type: adapter.taskType,
    trainable_token_indices: null,
    use_bdlora: null,
    use_dora: false,
    use_qalora: false,
    use_rslora: false,
    velora_config: null,
  };
  return Object.fromEntries(Object.entries(config).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/**
 * Writes `adapter_model.safetensors` (float32, PEFT keys, `{format: "pt"}`) then `adapter_config.json` into
 * `dir` (created if needed; other files there are left alone). Each file is replaced atomically. Returns the
 * file names written.
 */
export function saveAdapter(dir: string, adapter: TAdapter): string[] {
  const { lora, scoreHead } = checkAdapter(adapter);
  const toWrite: TTensorToWrite[] = [];
  for (const [name, t] of adapter.tensors) {
    if (name !== SCORE_WEIGHT) toWrite.push({ name: peftKeyOf(name), shape: t.shape, dtype: "F32", data: t.data });
  }
  if (scoreHead)
    toWrite.push({ name: peftKeyOf(SCORE_WEIGHT), shape: scoreHead.shape, dtype: "F32", data: scoreHead.data });
  fs.mkdirSync(dir, { recursive: true });
  writeSafetensors(path.join(dir, ADAPTER_WEIGHTS_FILE), toWrite, { format: "pt" });
  const config = peftAdapterConfig({
    lora,
    taskType: adapter.taskType,
    baseModel: adapter.baseModel,
    hasScoreHead: scoreHead !== undefined,
  });
  writeFileAtomic(path.join(dir, ADAPTER_CONFIG_FILE), (fd) => fs.writeFileSync(fd, JSON.stringify(config, null, 2)));
  return [ADAPTER_WEIGHTS_FILE, ADAPTER_CONFIG_FILE];
}

// What is read from adapter_config.json: types only; what is supported is decided by `unsupported` below.
// Unknown keys are ignored, as PEFT ignores keys of later versions.
const nullish = z.unknown().optional();
const ZAdapterConfig = z.looseObject({
  peft_type: z.string(),
  task_type: z.string().nullish(),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  lora_dropout: z.number().min(0).lt(1).nullish(),
  target_modules: z.union([z.array(z.string()), z.string()]).nullish(),
  modules_to_save: z.array(z.string()).nullish(),
  base_model_name_or_path: z.string().nullish(),
  bias: z.string().nullish(),
  fan_in_fan_out: z.boolean().nullish(),
  use_rslora: z.boolean().nullish(),
  use_dora: z.boolean().nullish(),
  lora_bias: z.boolean().nullish(),
  use_qalora: z.boolean().nullish(),
  init_lora_weights: z.union([z.boolean(), z.string()]).nullish(),
  rank_pattern: z.record(z.string(), z.unknown()).nullish(),
  alpha_pattern: z.record(z.string(), z.unknown()).nullish(),
  layers_to_transform: nullish,
  layers_pattern: nullish,
  layer_replication: nullish,
  exclude_modules: nullish,
  target_parameters: nullish,
  trainable_token_indices: nullish,
  alora_invocation_tokens: nullish,
  megatron_config: nullish,
  velora_config: nullish,
  monteclora_config: nullish,
  use_bdlora: nullish,
  arrow_config: nullish,
  kasa_config: nullish,
});
type TAdapterConfigJson = z.infer<typeof ZAdapterConfig>;

const isEmpty = (v: unknown) =>
  v == null ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && Object.keys(v).length === 0) ||
  v === "";
/** init_lora_weights values whose adapter only works on a modified base model (PiSSA, OLoRA, ...) or that are a variant. */
const BASE_CHANGING_INITS = ["pissa", "olora", "corda", "loftq", "lora_ga", "mica"];
/** Modules PEFT adds to modules_to_save for SEQ_CLS; only `score` exists in a Llama-family model. */
const SEQ_CLS_MODULES = ["score", "classifier"];

/** Every reason the config cannot be used here, each naming its field. */
function unsupported(c: TAdapterConfigJson): string[] {
  const out: string[] = [];
  if (c.peft_type !== "LORA") out.push(`peft_type '${c.peft_type}': only LORA adapters are supported`);
  if (c.task_type !== "CAUSAL_LM" && c.task_type !== "SEQ_CLS")
    out.push(`task_type ${JSON.stringify(c.task_type ?? null)}: only CAUSAL_LM and SEQ_CLS are supported`);
  if (c.use_dora) out.push("use_dora: true (DoRA) is not supported");
  if (c.fan_in_fan_out) out.push("fan_in_fan_out: true (Conv1D-style [in, out] weights) is not supported");
  if (c.use_rslora) out.push("use_rslora: true (scaling alpha / sqrt(r)) is not supported");
  if ((c.bias ?? "none") !== "none") out.push(`bias '${c.bias}': only 'none' is supported (trained biases are not)`);
  if (c.lora_bias) out.push("lora_bias: true (a bias on lora_B) is not supported");
  if (c.use_qalora) out.push("use_qalora: true is not supported");
  if (!isEmpty(c.rank_pattern))
    out.push(`rank_pattern ${JSON.stringify(c.rank_pattern)}: per-module ranks are not supported`);
  if (!isEmpty(c.alpha_pattern))
    out.push(`alpha_pattern ${JSON.stringify(c.alpha_pattern)}: per-module alphas are not supported`);
  const init = c.init_lora_weights;
  if (typeof init === "string" && BASE_CHANGING_INITS.some((p) => init.toLowerCase().startsWith(p))) {
    out.push(
      `init_lora_weights '${init}': this adapter needs a modified base model or a LoRA variant; save it converted to plain LoRA (PEFT's path_initial_model_for_weight_conversion)`,
    );
  }
  for (const field of [
    "layers_to_transform",
    "layers_pattern",
    "layer_replication",
    "exclude_modules",
    "target_parameters",
    "trainable_token_indices",
    "alora_invocation_tokens",
    "megatron_config",
    "velora_config",
    "monteclora_config",
    "use_bdlora",
    "arrow_config",
    "kasa_config",
  ] as const) {
    if (!isEmpty(c[field])) out.push(`${field} ${JSON.stringify(c[field])} is not supported`);
  }
  const targets = c.target_modules;
  if (typeof targets === "string" && targets !== "all-linear")
    out.push(`target_modules '${targets}': a regular expression is not supported (list the module names)`);
  if (Array.isArray(targets)) {
    const bad = targets.filter((t) => !(LORA_TARGETS as readonly string[]).includes(t));
    if (bad.length > 0)
      out.push(
        `target_modules ${bad.map((t) => `'${t}'`).join(", ")}: not supported (supported: ${LORA_TARGETS.join(", ")})`,
      );
    if (targets.length === 0) out.push("target_modules is empty");
  }
  if (targets == null) out.push("target_modules is missing");
  const extra = (c.modules_to_save ?? []).filter((m) => !SEQ_CLS_MODULES.includes(m));
  if (extra.length > 0)
    out.push(`modules_to_save ${extra.map((m) => `'${m}'`).join(", ")}: only the reward head 'score' is supported`);
  return out;
}

export class AdapterMismatchError extends Error {
  constructor(
    readonly dir: string,
    readonly missing: string[],
    readonly unknown: string[],
    readonly misshapen: string[],
  ) {
    const list = (title: string, items: string[]) =>
      items.length === 0 ? [] : [`${title} (${items.length}):`, ...items.map((s) => `  ${s}`)];
    const hint = unknown.some((k) => /\.lora_[AB]\.[^.]+\.weight$/.test(k))
      ? [
          "hint: keys with an adapter name (lora_A.<name>.weight) are a live model's state dict, not get_peft_model_state_dict's output",
        ]
      : [];
    super(
      [
        `adapter ${dir} does not match the model:`,
        ...list("missing", missing),
        ...list("unknown", unknown),
        ...list("shape or dtype mismatch", misshapen),
        ...hint,
      ].join("\n"),
    );
    this.name = "AdapterMismatchError";
  }
}

/**
 * Reads a PEFT LoRA adapter for `modelConfig`'s model. Throws, naming each field, for configs this engine
 * cannot apply; throws one AdapterMismatchError naming every missing, unknown and misshapen tensor. F16/BF16
 * tensors are widened to float32. Tensors come back under engine names.
 */
export function loadAdapter(dir: string, modelConfig: TModelConfig): TAdapter {
  const configFile = path.join(dir, ADAPTER_CONFIG_FILE);
  const weightsFile = path.join(dir, ADAPTER_WEIGHTS_FILE);
  if (!fs.existsSync(configFile)) throw new Error(`${dir}: no ${ADAPTER_CONFIG_FILE}`);
  if (!fs.existsSync(weightsFile)) {
    const bin = fs.existsSync(path.join(dir, "adapter_model.bin"))
      ? " (adapter_model.bin is a pickle: save with safe_serialization=True)"
      : "";
    throw new Error(`${dir}: no ${ADAPTER_WEIGHTS_FILE}${bin}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(configFile, "utf8"));
  } catch (e) {
    throw new Error(`${configFile}: not JSON (${(e as Error).message})`);
  }
  const parsed = ZAdapterConfig.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `${configFile}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  const c = parsed.data;
  const problems = unsupported(c);
  if (problems.length > 0)
    throw new Error(`${configFile}: unsupported adapter:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  const targetList = c.target_modules === "all-linear" ? [...LORA_TARGETS] : (c.target_modules as string[]);
  const lora = parseLoraConfig({
    r: c.r,
    alpha: c.lora_alpha,
    dropout: c.lora_dropout ?? 0,
    targetModules: LORA_TARGETS.filter((t) => targetList.includes(t)),
  });
  const taskType = c.task_type as TAdapterTaskType;
  const wantScore = (c.modules_to_save ?? []).includes("score");

  const expected = new Map<string, { name: string; shape: readonly number[] }>();
  for (const spec of loraTensorSpecs(loraModules(modelConfig, lora), lora)) expected.set(peftKeyOf(spec.name), spec);
  if (wantScore) expected.set(peftKeyOf(SCORE_WEIGHT), { name: SCORE_WEIGHT, shape: [1, modelConfig.hiddenSize] });

  const file = SafetensorsFile.open(weightsFile);
  try {
    const missing: string[] = [];
    const unknown: string[] = [];
    const misshapen: string[] = [];
    for (const [key, { shape }] of expected) {
      const entry = file.entries.get(key);
      if (!entry) missing.push(key);
      else if (!sameShape(entry.shape, shape))
        misshapen.push(`${key}: expected ${shapeText(shape)}, found ${shapeText(entry.shape)}`);
      else if (entry.dtype !== "F32" && entry.dtype !== "F16" && entry.dtype !== "BF16")
        misshapen.push(`${key}: dtype ${entry.dtype}, expected F32, F16 or BF16`);
    }
    for (const key of [...file.entries.keys()].sort()) if (!expected.has(key)) unknown.push(key);
    if (missing.length + unknown.length + misshapen.length > 0)
      throw new AdapterMismatchError(dir, missing, unknown, misshapen);
    const tensors = new Map<string, Tensor<"float32">>();
    let scoreHead: Tensor<"float32"> | undefined;
    for (const [key, { shape }] of expected) {
      const name = engineNameOf(key);
      const t = tensor("float32", shape, file.readFloat32(key));
      if (name === SCORE_WEIGHT) scoreHead = t;
      else tensors.set(name, t);
    }
    return {
      lora,
      taskType,
      baseModel: c.base_model_name_or_path ?? null,
      tensors,
      ...(scoreHead ? { scoreHead } : {}),
    };
  } finally {
    file.close();
  }
}

/**
 * New weights with every adapted module's `W + scaling * B @ A` (NOTE: the product and the sum in float64,
 * rounded to float32 once) and `score.weight` replaced by the adapter's head when it has one. Untouched
 * tensors are shared with `weights`, not copied.
 */
export function mergeAdapter(
  weights: TModelWeights,
  adapter: Pick<TAdapter, "lora" | "tensors" | "scoreHead">,
): Map<string, Tensor<"float32">> {
  const s = loraScaling(adapter.lora);
  const r = adapter.lora.r;
  const merged = new Map(weights);
  const modulePaths = new Set<string>();
  for (const name of adapter.tensors.keys()) {
    const parsed = parseLoraName(name);
    if (!parsed) throw new Error(`mergeAdapter: '${name}' is not a LoRA tensor name`);
    modulePaths.add(parsed.modulePath);
  }
  for (const modulePath of modulePaths) {
    const names = loraTensorNames(modulePath);
    const [A, B, W] = [adapter.tensors.get(names.a), adapter.tensors.get(names.b), weights.get(`${modulePath}.weight`)];
    if (!A || !B) throw new Error(`mergeAdapter: module '${modulePath}' lacks ${A ? "lora_B" : "lora_A"}`);
    if (!W) throw new Error(`mergeAdapter: the weights have no '${modulePath}.weight'`);
    const [outF, inF] = W.shape;
    if (W.shape.length !== 2 || outF === undefined || inF === undefined)
      throw new Error(`mergeAdapter: '${modulePath}.weight' is not 2-D`);
    if (!sameShape(A.shape, [r, inF]) || !sameShape(B.shape, [outF, r])) {
      throw new Error(
        `mergeAdapter: '${modulePath}': W ${shapeText(W.shape)} with lora_A ${shapeText(A.shape)} and lora_B ${shapeText(B.shape)} (expected [${r}, ${inF}] and [${outF}, ${r}])`,
      );
    }
    const out = new Float32Array(outF * inF);
    const acc = new Float64Array(inF);
    for (let o = 0; o < outF; o++) {
      acc.fill(0);
      for (let k = 0; k < r; k++) {
        const bok = at(B.data, o * r + k);
        if (bok === 0) continue;
        const rowA = k * inF;
        for (let i = 0; i < inF; i++) acc[i] = at(acc, i) + bok * at(A.data, rowA + i);
      }
      const rowW = o * inF;
      for (let i = 0; i < inF; i++) out[rowW + i] = at(W.data, rowW + i) + s * at(acc, i);
    }
    merged.set(`${modulePath}.weight`, tensor("float32", W.shape, out));
  }
  if (adapter.scoreHead) {
    const current = weights.get(SCORE_WEIGHT);
    if (current && !sameShape(current.shape, adapter.scoreHead.shape)) {
      throw new Error(
        `mergeAdapter: score head ${shapeText(adapter.scoreHead.shape)} does not match the model's ${shapeText(current.shape)}`,
      );
    }
    merged.set(SCORE_WEIGHT, adapter.scoreHead);
  }
  return merged;
}
