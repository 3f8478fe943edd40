// Saves full model weights as a Hugging Face model directory (config.json, model.safetensors or shards,
// tokenizer files), atomically; loadModel / loadModelWeights read it back. Not adapters (adapter.ts).
import fs from "node:fs";
import path from "node:path";
import { writeFileAtomic } from "../../checkpoint/atomic-write";
import { INDEX_FILE, saveCheckpoint } from "../../checkpoint/checkpoint-dir";
import { hfTensorSpecs } from "../../checkpoint/hf-tensors";
import type { TTensorToWrite } from "../../checkpoint/safetensors-write";
import { parseModelConfig } from "../../model/config";
import { SCORE_WEIGHT, type TModelWeights } from "../../model/weights";

export type THfSaveDtype = "F32" | "BF16" | "F16";

const TORCH_DTYPE: Record<THfSaveDtype, string> = { F32: "float32", BF16: "bfloat16", F16: "float16" };

/** Files copied from `tokenizerDir` when present (tokenizer, generation defaults, chat template). */
export const TOKENIZER_FILES = [
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "generation_config.json",
  "chat_template.jinja",
  "tokenizer.model",
  "vocab.json",
  "merges.txt",
  "added_tokens.json",
] as const;

export interface TSaveHfCheckpointOptions {
  /** The source model's config.json object; written back with `torch_dtype` (and `dtype`, if present) set to the saved dtype. */
  readonly configJson: Record<string, unknown>;
  /** Every tensor of `hfTensorSpecs(config)` by HF name; a tied model's `lm_head.weight`, if present, is not saved (as HF). */
  readonly weights: TModelWeights;
  /** Storage dtype (default F32, lossless for float32 weights); F16/BF16 round to nearest even. */
  readonly dtype?: THfSaveDtype;
  /** Copy TOKENIZER_FILES found in this directory. */
  readonly tokenizerDir?: string;
  /**
   * Save `score.weight` (the reward head) too. Off by default: `loadModelWeights` fills `score.weight` with a
   * seeded random head when the checkpoint has none, and that must not be saved as if it were trained.
   */
  readonly includeScoreHead?: boolean;
  /** Shard like `save_pretrained(max_shard_size=...)`; default one file. */
  readonly maxShardBytes?: number;
  /** Replace an existing non-empty `dir` (default: refuse). */
  readonly overwrite?: boolean;
}

export interface TSavedHfCheckpoint {
  readonly dir: string;
  /** File names written into `dir`. */
  readonly files: string[];
}

/** Recursively key-sorted copy: HF writes config.json with `json.dumps(..., indent=2, sort_keys=True)`. */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, x]) => [k, sortKeys(x)]),
    );
  }
  return v;
}

/** Every tensor to write, in hfTensorSpecs order; throws one error naming every missing, unknown and misshapen tensor. */
function tensorsToWrite(options: TSaveHfCheckpointOptions, dtype: THfSaveDtype): TTensorToWrite[] {
  const config = parseModelConfig(options.configJson);
  const specs = hfTensorSpecs(config);
  if (options.includeScoreHead) specs.push({ name: SCORE_WEIGHT, shape: [1, config.hiddenSize] });
  const expected = new Set(specs.map((s) => s.name));
  const skipped = new Set([SCORE_WEIGHT, ...(config.tieWordEmbeddings ? ["lm_head.weight"] : [])]);
  const missing: string[] = [];
  const misshapen: string[] = [];
  const out: TTensorToWrite[] = [];
  for (const { name, shape } of specs) {
    const t = options.weights.get(name);
    if (!t) missing.push(name);
    else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      misshapen.push(`${name}: expected [${shape.join(", ")}], found [${t.shape.join(", ")}]`);
    else out.push({ name, shape, dtype, data: t.data });
  }
  const unknown = [...options.weights.keys()].filter((k) => !expected.has(k) && !skipped.has(k)).sort();
  if (missing.length + unknown.length + misshapen.length > 0) {
    const list = (title: string, items: string[]) =>
      items.length === 0 ? [] : [`${title} (${items.length}):`, ...items.map((s) => `  ${s}`)];
    throw new Error(
      [
        "weights do not match config.json:",
        ...list("missing", missing),
        ...list("unknown", unknown),
        ...list("shape mismatch", misshapen),
      ].join("\n"),
    );
  }
  return out;
}

/**
 * Writes a model directory loadable by transformers' `from_pretrained` and by this engine's `loadModel`.
 * Everything is written into `<dir>.tmp-<pid>` and renamed into place at the end, so a crash leaves either
 * no `dir` (or the previous one) or a complete model, never half of one.
 */
export function saveHfCheckpoint(dir: string, options: TSaveHfCheckpointOptions): TSavedHfCheckpoint {
  const dtype = options.dtype ?? "F32";
  const target = path.resolve(dir);
  const existing = fs.existsSync(target) ? fs.readdirSync(target) : null;
  if (existing && existing.length > 0 && !options.overwrite)
    throw new Error(`${dir} exists and is not empty (pass overwrite: true to replace it)`);
  const tensors = tensorsToWrite(options, dtype);
  const tokenizerFiles: string[] = [];
  if (options.tokenizerDir !== undefined) {
    const src = options.tokenizerDir;
    if (!fs.existsSync(src) || !fs.statSync(src).isDirectory())
      throw new Error(`tokenizer directory ${src} does not exist`);
    tokenizerFiles.push(...TOKENIZER_FILES.filter((f) => fs.existsSync(path.join(src, f))));
    if (tokenizerFiles.length === 0)
      throw new Error(`tokenizer directory ${src} has none of ${TOKENIZER_FILES.join(", ")}`);
  }

  const tmp = `${target}.tmp-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    const weightFiles = saveCheckpoint(
      tmp,
      tensors,
      options.maxShardBytes === undefined ? {} : { maxShardBytes: options.maxShardBytes },
    );
    const configJson: Record<string, unknown> = { ...options.configJson, torch_dtype: TORCH_DTYPE[dtype] };
    if ("dtype" in options.configJson) configJson.dtype = TORCH_DTYPE[dtype]; // transformers >= 5 writes `dtype`
    const configText = `${JSON.stringify(sortKeys(configJson), null, 2)}\n`;
    writeFileAtomic(path.join(tmp, "config.json"), (fd) => fs.writeFileSync(fd, configText)); // fsynced
    for (const f of tokenizerFiles) fs.copyFileSync(path.join(options.tokenizerDir ?? "", f), path.join(tmp, f));
    const files = ["config.json", ...weightFiles, ...(weightFiles.length > 1 ? [INDEX_FILE] : []), ...tokenizerFiles];
    if (existing) {
      // NOTE: rename cannot replace a non-empty directory: move the old one aside, move the new one in, then delete.
      const old = `${target}.old-${process.pid}`;
      fs.rmSync(old, { recursive: true, force: true });
      fs.renameSync(target, old);
      try {
        fs.renameSync(tmp, target);
      } catch (e) {
        fs.renameSync(old, target);
        throw e;
      }
      fs.rmSync(old, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, target);
    }
    return { dir: target, files };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
