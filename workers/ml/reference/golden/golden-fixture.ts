// Reader of the golden fixture (workers/ml/fixtures/golden, made by make_golden.py): checks magic,
// version and layout, returns typed data. It computes nothing and knows nothing of the engine.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";

export const GOLDEN_MAGIC = "PFGOLD\0\0";
export const GOLDEN_VERSION = 1;
export const GOLDEN_REGENERATE = "/usr/bin/python3 workers/ml/reference/golden/make_golden.py";
export const GOLDEN_DIR = fileURLToPath(new URL("../../fixtures/golden/", import.meta.url));
const PREAMBLE_BYTES = 16; // magic (8) + version u32 + header length u32

export class GoldenFixtureError extends Error {
  constructor(problem: string) {
    super(
      `golden fixture: ${problem}. Regenerate it with \`${GOLDEN_REGENERATE}\` (see workers/ml/reference/golden/README.md).`,
    );
    this.name = "GoldenFixtureError";
  }
}

const ZInt = z.number().int();
const ZMatrix = z.array(z.array(ZInt));

/** The config.json fields the fixture relies on; other Hugging Face fields pass through untyped. */
export const ZGoldenHfConfig = z.looseObject({
  model_type: z.enum(["llama", "qwen2", "qwen3"]),
  torch_dtype: z.literal("float32"),
  hidden_size: ZInt,
  intermediate_size: ZInt,
  num_hidden_layers: ZInt,
  num_attention_heads: ZInt,
  num_key_value_heads: ZInt,
  head_dim: ZInt.optional(),
  vocab_size: ZInt,
  rms_norm_eps: z.number(),
  rope_theta: z.number(),
  rope_scaling: z.null(),
  tie_word_embeddings: z.boolean(),
  bos_token_id: ZInt,
  eos_token_id: ZInt,
  pad_token_id: ZInt,
});
export type TGoldenHfConfig = z.infer<typeof ZGoldenHfConfig>;

const ZTensorEntry = z.object({
  dtype: z.enum(["float32", "float64"]),
  shape: z.array(ZInt),
  offset: ZInt,
  byteLength: ZInt,
});

const ZHeader = z.object({
  format: z.literal("prefloop-golden"),
  version: ZInt,
  maxNewTokens: ZInt,
  padTokenId: ZInt,
  minGreedyMargin: z.number(),
  dataBytes: ZInt,
  tensors: z.record(z.string(), ZTensorEntry),
  configs: z.array(
    z.object({
      name: z.string(),
      dir: z.string(),
      covers: z.array(z.string()),
      parameterCount: ZInt,
      tensorNames: z.array(z.string()),
      cases: z.array(
        z.object({
          name: z.string(),
          inputIds: ZMatrix,
          attentionMask: ZMatrix,
          positionIds: ZMatrix,
          greedy: ZMatrix,
          greedyMargins: z.array(z.array(z.number())),
          fp32MaxAbsDiff: z.number(),
          logitsMaxAbs: z.number(),
          logits: z.string(),
        }),
      ),
    }),
  ),
});

export interface GoldenCase {
  name: string;
  inputIds: number[][]; // [B][T], left-padded with padTokenId
  attentionMask: number[][]; // [B][T], 0 at pads
  positionIds: number[][]; // [B][T], cumsum(mask) - 1; 1 at pads (HF's masked_fill), never compared
  /** Float64 reference logits, row-major [B, T, V]; NaN at pad positions, which are never compared. */
  logits: Float64Array;
  logitsShape: readonly [number, number, number];
  greedy: number[][]; // [B][maxNewTokens] argmax continuation, no EOS inside
  greedyMargins: number[][]; // [B][maxNewTokens] top-1 minus top-2 logit at each greedy step
  fp32MaxAbsDiff: number; // PyTorch's own fp32 forward against these logits: the achievable error
  logitsMaxAbs: number; // largest |logit| at real positions, a scale for tolerances
}

export interface GoldenConfig {
  name: string;
  dir: string; // absolute path of the checkpoint directory (config.json + model.safetensors)
  config: TGoldenHfConfig;
  covers: string[];
  parameterCount: number;
  tensorNames: string[]; // sorted state-dict names written to model.safetensors
  cases: GoldenCase[];
}

export interface GoldenFixture {
  version: number;
  maxNewTokens: number;
  padTokenId: number;
  minGreedyMargin: number;
  configs: GoldenConfig[];
}

export type GoldenFile = Omit<GoldenFixture, "configs"> & {
  configs: (Omit<GoldenConfig, "dir" | "config"> & { dir: string })[];
};

/** Decodes golden.bin's bytes (pure); config dirs stay relative and config.json is not read. */
export function decodeGoldenFile(bytes: Uint8Array): GoldenFile {
  if (bytes.byteLength < PREAMBLE_BYTES) throw new GoldenFixtureError(`file too short (${bytes.byteLength} bytes)`);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== GOLDEN_MAGIC)
    throw new GoldenFixtureError(`bad magic ${JSON.stringify(magic)}, expected "PFGOLD\\0\\0"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== GOLDEN_VERSION)
    throw new GoldenFixtureError(`version ${version}, this reader expects ${GOLDEN_VERSION}`);
  const headerBytes = view.getUint32(12, true);
  const dataStart = PREAMBLE_BYTES + headerBytes;
  if (dataStart > bytes.byteLength) throw new GoldenFixtureError("truncated header");
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(PREAMBLE_BYTES, dataStart)));
  } catch (e) {
    throw new GoldenFixtureError(`header is not JSON (${(e as Error).message})`);
  }
  const result = ZHeader.safeParse(parsed);
  if (!result.success) throw new GoldenFixtureError(`unexpected header (${result.error.message})`);
  const header = result.data;
  if (header.version !== version) throw new GoldenFixtureError("header version differs from the preamble's");
  if (dataStart + header.dataBytes !== bytes.byteLength) {
    throw new GoldenFixtureError(`size ${bytes.byteLength} bytes, header says ${dataStart + header.dataBytes}`);
  }

  const readFloat64 = (key: string): { data: Float64Array; shape: number[] } => {
    const entry = header.tensors[key];
    if (!entry) throw new GoldenFixtureError(`tensor ${key} missing from the table`);
    const count = entry.shape.reduce((a, b) => a * b, 1);
    if (entry.dtype !== "float64" || entry.byteLength !== count * 8)
      throw new GoldenFixtureError(`tensor ${key} is not float64 of its shape`);
    if (entry.offset < 0 || entry.offset + entry.byteLength > header.dataBytes)
      throw new GoldenFixtureError(`tensor ${key} out of bounds`);
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = view.getFloat64(dataStart + entry.offset + 8 * i, true);
    return { data, shape: entry.shape };
  };

  return {
    version: header.version,
    maxNewTokens: header.maxNewTokens,
    padTokenId: header.padTokenId,
    minGreedyMargin: header.minGreedyMargin,
    configs: header.configs.map((c) => ({
      ...c,
      cases: c.cases.map((k) => {
        const { data, shape } = readFloat64(k.logits);
        const [B, T, V] = shape;
        if (shape.length !== 3 || B === undefined || T === undefined || V === undefined) {
          throw new GoldenFixtureError(`logits of ${c.name}/${k.name} are not [B, T, V]`);
        }
        return { ...k, logits: data, logitsShape: [B, T, V] as const };
      }),
    })),
  };
}

/** Reads golden.bin and every checkpoint's config.json from `dir` (default: the committed fixture). */
export function loadGoldenFixture(dir: string = GOLDEN_DIR): GoldenFixture {
  const file = path.join(dir, "golden.bin");
  if (!fs.existsSync(file)) throw new GoldenFixtureError(`${file} is missing`);
  const decoded = decodeGoldenFile(fs.readFileSync(file));
  return {
    ...decoded,
    configs: decoded.configs.map((c) => {
      const configPath = path.join(dir, c.dir, "config.json");
      if (!fs.existsSync(configPath)) throw new GoldenFixtureError(`${configPath} is missing`);
      const result = ZGoldenHfConfig.safeParse(JSON.parse(fs.readFileSync(configPath, "utf8")));
      if (!result.success) throw new GoldenFixtureError(`${configPath}: ${result.error.message}`);
      return { ...c, dir: path.join(dir, c.dir), config: result.data };
    }),
  };
}

/** The V reference logits of row b at time t (a view, no copy). */
export function logitsAt(c: GoldenCase, b: number, t: number): Float64Array {
  const [B, T, V] = c.logitsShape;
  if (b < 0 || b >= B || t < 0 || t >= T) throw new RangeError(`logitsAt(${b}, ${t}) outside [${B}, ${T}]`);
  return c.logits.subarray((b * T + t) * V, (b * T + t + 1) * V);
}

/** Whether logits at (b, t) are compared: real tokens only, never left padding. */
export function isRealPosition(c: GoldenCase, b: number, t: number): boolean {
  return c.attentionMask[b]?.[t] === 1;
}
