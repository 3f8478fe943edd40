// Reader of the training golden fixture (workers/ml/fixtures/golden/train.bin, made by make_train_golden.py)
// and of peft-keys.json (made by make_peft_keys.py with real PEFT). Checks magic, version, layout and the
// header's shape, returns typed data. It computes nothing and knows nothing of the engine. See TRAIN.md.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { GOLDEN_DIR, ZGoldenHfConfig, type TGoldenHfConfig } from "./golden-fixture";

export const TRAIN_MAGIC = "PFTRAIN\0";
export const TRAIN_VERSION = 1;
export const TRAIN_REGENERATE = "/usr/bin/python3 workers/ml/reference/golden/make_train_golden.py";
export const PEFT_KEYS_REGENERATE = "/tmp/peftenv/bin/python workers/ml/reference/golden/make_peft_keys.py";
export const TRAIN_CASE_NAMES = [
  "pretrain",
  "sft",
  "bt",
  "pl",
  "dpo_sigmoid",
  "dpo_ipo",
  "rloo",
  "grpo",
  "adamw",
] as const;
export type TrainCaseName = (typeof TRAIN_CASE_NAMES)[number];
const PREAMBLE_BYTES = 16; // magic (8) + version u32 + header length u32

export class TrainFixtureError extends Error {
  constructor(problem: string, regenerate: string = TRAIN_REGENERATE) {
    super(
      `train golden fixture: ${problem}. Regenerate it with \`${regenerate}\` (see workers/ml/reference/golden/TRAIN.md).`,
    );
    this.name = "TrainFixtureError";
  }
}

const ZInt = z.number().int();
const ZIntMatrix = z.array(z.array(ZInt));
const ZFloatMatrix = z.array(z.array(z.number()));

const ZTensorEntry = z.object({
  dtype: z.literal("float32"),
  shape: z.array(ZInt),
  offset: ZInt,
  byteLength: ZInt,
});

// ---- inputs: what an engine is given (every matrix is [B][T], right-padded) ----
const ZBatch = {
  inputIds: ZIntMatrix, // pads hold padTokenId (0)
  attentionMask: ZIntMatrix, // 1 at real tokens (a prefix of each row), 0 at pads
  positionIds: ZIntMatrix, // 0..len-1 at real tokens, 1 at pads
  lengths: z.array(ZInt), // real tokens per row
};
const ZCompletion = {
  completionMask: ZIntMatrix, // 1 at completion tokens (the scored ones)
  promptLengths: z.array(ZInt),
};
const ZGroup = z.object({ rows: z.array(ZInt), tiers: z.array(ZInt) }); // tier 0 best; equal tiers tie
const ZRankingPair = z.object({ group: ZInt, better: ZInt, worse: ZInt, margin: z.number() }); // rows
const ZDpoPair = z.object({ chosen: ZInt, rejected: ZInt }); // rows
const ZRlInputs = {
  ...ZBatch,
  ...ZCompletion,
  scores: z.array(z.number()), // [K]
  oldLogps: ZFloatMatrix, // [B][T] token log-probs at the temperature; 0 outside the completion
  refLogps: ZFloatMatrix, // [B][T] base model (adapter off), same temperature; 0 outside the completion
  advantages: z.array(z.number()), // [K], computed outside the graph
};

// ---- outputs: reference intermediate values, for debugging a mismatch ----
const ZOutputs = z.object({
  tokenLogps: ZFloatMatrix.optional(), // [B][T]; 0 where not scored
  sequenceLogps: z.array(z.number()).optional(), // [B] (DPO; a mean for IPO)
  rewards: z.array(z.number()).optional(), // [B] (BT, PL)
  clipped: ZIntMatrix.optional(), // [B][T] GRPO region-clipped tokens
});

const ZCaseCommon = {
  count: ZInt, // what the engine divides loss_sum by (tokens, prompts, pairs, sequences)
  loss: z.number(), // float64 loss = loss_sum / count
  metrics: z.record(z.string(), z.number()), // TRL names, float64
  outputs: ZOutputs,
  gradients: z.record(z.string(), z.string()), // trained tensor name -> key into the tensor table
  fp32: z.record(z.string(), z.number()), // the same computation in PyTorch float32: reachable error
};
const ZRewardPosition = z.string();

const ZHeaderCase = z.discriminatedUnion("name", [
  z.object({
    name: z.literal("pretrain"),
    trainable: z.literal("full"),
    settings: z.object({}),
    inputs: z.object(ZBatch),
    ...ZCaseCommon,
  }),
  z.object({
    name: z.literal("sft"),
    trainable: z.literal("lora"),
    settings: z.object({}),
    inputs: z.object({ ...ZBatch, ...ZCompletion }),
    ...ZCaseCommon,
  }),
  z.object({
    name: z.literal("bt"),
    trainable: z.literal("lora+score"),
    settings: z.object({ centerRewardsCoefficient: z.number(), rewardPosition: ZRewardPosition }),
    inputs: z.object({
      ...ZBatch,
      promptLengths: z.array(ZInt),
      groups: z.array(ZGroup),
      pairs: z.array(ZRankingPair),
    }),
    ...ZCaseCommon,
  }),
  z.object({
    name: z.literal("pl"),
    trainable: z.literal("lora+score"),
    settings: z.object({ ties: z.literal("breslow"), rewardPosition: ZRewardPosition }),
    inputs: z.object({ ...ZBatch, promptLengths: z.array(ZInt), groups: z.array(ZGroup) }),
    ...ZCaseCommon,
  }),
  ...(["dpo_sigmoid", "dpo_ipo"] as const).map((name) =>
    z.object({
      name: z.literal(name),
      trainable: z.literal("lora"),
      settings: z.object({
        beta: z.number(),
        lossType: z.enum(["sigmoid", "ipo"]),
        labelSmoothing: z.number(),
        sequenceLogp: z.string(),
        reference: z.string(),
      }),
      inputs: z.object({
        ...ZBatch,
        ...ZCompletion,
        pairs: z.array(ZDpoPair),
        refChosenLogps: z.array(z.number()), // [pairs]; token means for IPO
        refRejectedLogps: z.array(z.number()),
      }),
      ...ZCaseCommon,
    }),
  ),
  z.object({
    name: z.literal("rloo"),
    trainable: z.literal("lora"),
    settings: z.object({ beta: z.number(), temperature: z.number(), oldNoiseStd: z.number() }),
    inputs: z.object(ZRlInputs),
    ...ZCaseCommon,
  }),
  z.object({
    name: z.literal("grpo"),
    trainable: z.literal("lora"),
    settings: z.object({
      beta: z.number(),
      epsilon: z.number(),
      temperature: z.number(),
      oldNoiseStd: z.number(),
      lossType: z.literal("grpo"),
      clippedTokens: ZInt,
    }),
    inputs: z.object(ZRlInputs),
    ...ZCaseCommon,
  }),
  z.object({
    name: z.literal("adamw"),
    trainable: z.literal("full"),
    settings: z.object({
      lr: z.number(),
      betas: z.tuple([z.number(), z.number()]),
      eps: z.number(),
      weightDecay: z.number(),
      maxGradNorm: z.number(),
      warmupSteps: ZInt,
      totalSteps: ZInt,
      schedule: z.string(),
      noDecay: z.string(),
    }),
    inputs: z.object(ZBatch),
    ...ZCaseCommon,
    steps: z.object({ losses: z.array(z.number()), gradNorms: z.array(z.number()), lrs: z.array(z.number()) }),
    finalLoss: z.number(),
    finalParams: z.record(z.string(), z.string()), // checkpoint name -> key into the tensor table
  }),
]);
type THeaderCase = z.infer<typeof ZHeaderCase>;

const ZLora = z.object({
  r: ZInt,
  alpha: z.number(),
  scaling: z.number(),
  dropout: z.number(),
  targetModules: z.array(z.string()),
  init: z.record(z.string(), z.string()),
});

const ZHeader = z.object({
  format: z.literal("prefloop-train-golden"),
  version: ZInt,
  regenerate: z.string(),
  torch: z.string(),
  seed: ZInt,
  padTokenId: ZInt,
  lora: ZLora,
  dataBytes: ZInt,
  tensors: z.record(z.string(), ZTensorEntry),
  configs: z.array(
    z.object({
      name: z.string(),
      dir: z.string(),
      tensorNames: z.array(z.string()),
      loraTensors: z.record(z.string(), z.string()),
      scoreHead: z.string(),
      cases: z.array(ZHeaderCase),
    }),
  ),
});

/** A float32 tensor, row-major. */
export interface TrainTensor {
  shape: number[];
  data: Float32Array;
}

type Decoded<C> = C extends { finalParams: Record<string, string> }
  ? Omit<C, "gradients" | "finalParams"> & {
      gradients: Map<string, TrainTensor>;
      finalParams: Map<string, TrainTensor>;
    }
  : Omit<C, "gradients"> & { gradients: Map<string, TrainTensor> };

/** One case; narrow on `name` for its typed inputs and settings. `gradients` maps every trained tensor
 *  (checkpoint names, `<module>.lora_A.weight` / `.lora_B.weight`, `score.weight`) to d loss / d tensor. */
export type TrainCase = Decoded<THeaderCase>;
export type TrainCaseOf<N extends TrainCaseName> = Extract<TrainCase, { name: N }>;
export type TrainLora = z.infer<typeof ZLora>;

export interface TrainConfig {
  name: string;
  dir: string; // absolute checkpoint directory (config.json + model.safetensors)
  tensorNames: string[]; // sorted checkpoint names; the pretrain/adamw cases train all of them
  loraTensors: Map<string, TrainTensor>; // the fixed LoRA A [r, in] and B [out, r] every LoRA case uses
  scoreHead: TrainTensor; // score.weight [1, hidden] of the bt and pl cases
  cases: TrainCase[];
}

export interface TrainFixture {
  version: number;
  torch: string;
  seed: number;
  padTokenId: number;
  lora: TrainLora;
  configs: TrainConfig[];
}

export type TrainFixtureWithConfigs = Omit<TrainFixture, "configs"> & {
  configs: (TrainConfig & { config: TGoldenHfConfig })[];
};

/** Decodes train.bin's bytes (pure); config dirs stay relative and config.json is not read. */
export function decodeTrainFile(bytes: Uint8Array): TrainFixture {
  if (bytes.byteLength < PREAMBLE_BYTES) throw new TrainFixtureError(`file too short (${bytes.byteLength} bytes)`);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== TRAIN_MAGIC) throw new TrainFixtureError(`bad magic ${JSON.stringify(magic)}, expected "PFTRAIN\\0"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== TRAIN_VERSION)
    throw new TrainFixtureError(`version ${version}, this reader expects ${TRAIN_VERSION}`);
  const headerBytes = view.getUint32(12, true);
  const dataStart = PREAMBLE_BYTES + headerBytes;
  if (dataStart > bytes.byteLength) throw new TrainFixtureError("truncated header");
  if (dataStart % 8 !== 0) throw new TrainFixtureError("data section not 8-byte aligned");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, dataStart)));
  } catch (e) {
    throw new TrainFixtureError(`header is not JSON (${(e as Error).message})`);
  }
  const result = ZHeader.safeParse(parsed);
  if (!result.success) throw new TrainFixtureError(`unexpected header (${result.error.message})`);
  const header = result.data;
  if (header.version !== version) throw new TrainFixtureError("header version differs from the preamble's");
  if (dataStart + header.dataBytes !== bytes.byteLength) {
    throw new TrainFixtureError(`size ${bytes.byteLength} bytes, header says ${dataStart + header.dataBytes}`);
  }

  const readTensor = (key: string): TrainTensor => {
    const entry = header.tensors[key];
    if (!entry) throw new TrainFixtureError(`tensor ${key} missing from the table`);
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.byteLength !== count * 4) throw new TrainFixtureError(`tensor ${key} is not float32 of its shape`);
    if (entry.offset < 0 || entry.offset % 8 !== 0 || entry.offset + entry.byteLength > header.dataBytes) {
      throw new TrainFixtureError(`tensor ${key} misaligned or out of bounds`);
    }
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat32(dataStart + entry.offset + 4 * i, true);
    return { shape: entry.shape, data };
  };
  const readAll = (keys: Record<string, string>): Map<string, TrainTensor> =>
    new Map(Object.entries(keys).map(([name, key]) => [name, readTensor(key)]));

  const decodeCase = (c: THeaderCase): TrainCase => {
    const gradients = readAll(c.gradients);
    if (c.name === "adamw") return { ...c, gradients, finalParams: readAll(c.finalParams) };
    return { ...c, gradients };
  };

  return {
    version: header.version,
    torch: header.torch,
    seed: header.seed,
    padTokenId: header.padTokenId,
    lora: header.lora,
    configs: header.configs.map((c) => ({
      name: c.name,
      dir: c.dir,
      tensorNames: c.tensorNames,
      loraTensors: readAll(c.loraTensors),
      scoreHead: readTensor(c.scoreHead),
      cases: c.cases.map(decodeCase),
    })),
  };
}

/** Reads train.bin and each checkpoint's config.json from `dir` (default: the committed fixture). */
export function loadTrainFixture(dir: string = GOLDEN_DIR): TrainFixtureWithConfigs {
  const file = path.join(dir, "train.bin");
  if (!fs.existsSync(file)) throw new TrainFixtureError(`${file} is missing`);
  const decoded = decodeTrainFile(fs.readFileSync(file));
  return {
    ...decoded,
    configs: decoded.configs.map((c) => {
      const configPath = path.join(dir, c.dir, "config.json");
      if (!fs.existsSync(configPath)) throw new TrainFixtureError(`${configPath} is missing`);
      const result = ZGoldenHfConfig.safeParse(JSON.parse(fs.readFileSync(configPath, "utf8")));
      if (!result.success) throw new TrainFixtureError(`${configPath}: ${result.error.message}`);
      return { ...c, dir: path.join(dir, c.dir), config: result.data };
    }),
  };
}

/** The case `name` of a config, typed by its name. */
export function trainCase<N extends TrainCaseName>(
  config: Pick<TrainConfig, "name" | "cases">,
  name: N,
): TrainCaseOf<N> {
  const found = config.cases.find((c) => c.name === name);
  if (!found) throw new TrainFixtureError(`config ${config.name} has no case ${name}`);
  return found as TrainCaseOf<N>;
}

/** d loss / d `tensor` of a case (float32, shape of the tensor). */
export function trainGradient(c: TrainCase, tensor: string): TrainTensor {
  const g = c.gradients.get(tensor);
  if (!g) throw new TrainFixtureError(`case ${c.name} has no gradient for ${tensor}`);
  return g;
}

// ---- peft-keys.json ----

const ZPeftSave = z.object({
  modelClass: z.string(),
  loraConfig: z.record(z.string(), z.unknown()),
  files: z.array(z.string()),
  keys: z.array(z.string()), // sorted keys of adapter_model.safetensors
  shapes: z.record(z.string(), z.array(ZInt)),
  dtypes: z.record(z.string(), z.string()),
  adapterConfig: z.record(z.string(), z.unknown()), // adapter_config.json as PEFT wrote it (2 fields normalised)
});
const ZPeftKeys = z.object({
  format: z.literal("prefloop-peft-keys"),
  source: z.enum(["peft 0.21.0 run", "derived from peft 0.21.0 save_and_load.py"]),
  versions: z.record(z.string(), z.string()),
  regenerate: z.string(),
  lora: z.object({ r: ZInt, lora_alpha: z.number(), target_modules: z.array(z.string()) }),
  configs: z.record(z.string(), z.object({ causalLm: ZPeftSave, sequenceClassification: ZPeftSave })),
});
export type PeftKeys = z.infer<typeof ZPeftKeys>;

/** peft-keys.json: what PEFT 0.21 writes for a LoRA on llama-gqa and qwen2-bias (causal LM; reward model
 *  with `score` in modules_to_save). */
export function loadPeftKeys(dir: string = GOLDEN_DIR): PeftKeys {
  const file = path.join(dir, "peft-keys.json");
  if (!fs.existsSync(file)) throw new TrainFixtureError(`${file} is missing`, PEFT_KEYS_REGENERATE);
  const result = ZPeftKeys.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!result.success) throw new TrainFixtureError(`${file}: ${result.error.message}`, PEFT_KEYS_REGENERATE);
  return result.data;
}
