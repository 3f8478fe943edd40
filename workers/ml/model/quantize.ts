// Weight-only block quantization of [N, K] matrices (Hugging Face [out, in] layout) into onnxruntime's
// `com.microsoft.MatMulNBits` layout, and its exact dequantization (the reference the tests compare with).
// Not graphs (quantized-linear.ts).
//
// Layout (onnxruntime's contrib-op spec, MatMulNBits):
//   B       uint8 [N, n_blocks, blob_size], blob_size = block_size * bits / 8; block j of row n holds
//           W[n, j*block_size .. (j+1)*block_size) (K padded with zeros to a whole block). 4 bits: element 2i
//           of a block in the low nibble of byte i, element 2i+1 in the high nibble. 8 bits: one byte each.
//   scales  float32 [N * n_blocks]
//   zero points: not given, so onnxruntime uses 2^(bits-1) (8 for 4 bits, 128 for 8 bits): symmetric
//           quantization, w = (q - 2^(bits-1)) * scale, as llama.cpp's Q4_0 / Q8_0 blocks.
// Scales: 8 bits: absmax / 127 (q in [1, 255]); 4 bits: llama.cpp's Q4_0 rule, the block's value of largest
// magnitude m maps to q = 0 (scale = m / -8), the others round to [0, 15].

export const QUANTIZE_MODES = ["none", "q8", "q4"] as const;
/** Weight type of the linear layers chosen at load: float32 ("none"), 8-bit or 4-bit blocks. */
export type TQuantizeMode = (typeof QUANTIZE_MODES)[number];

export const DEFAULT_BLOCK_SIZE = 32;

export interface TQuantizeScheme {
  readonly bits: 4 | 8;
  /** Elements of K per scale; a power of two >= 16 (onnxruntime). */
  readonly blockSize: number;
  /** MatMulNBits `accuracy_level`: 0 / 1 compute in float32, 4 quantizes the activations to int8 per block
   *  (faster, slightly less accurate). */
  readonly accuracyLevel: 0 | 1 | 4;
}

export function isQuantizeMode(s: string): s is TQuantizeMode {
  return (QUANTIZE_MODES as readonly string[]).includes(s);
}

/**
 * The scheme of a mode (null for "none"): blocks of 32, accuracy_level 4 (int8 activations) unless told
 * otherwise. Measured on onnxruntime-node 1.30's CPU build (AVX2, SmolLM2-135M shape, batch 1): level 4 runs
 * q8 at ~2x and q4 at ~3x float32's decode speed; level 0 (float32 compute) runs q4 at about float32's speed
 * and q8 about 25x slower than float32 (no fast kernel for 8 bits at level 0).
 */
export const DEFAULT_ACCURACY_LEVEL = 4;

export function quantizeScheme(mode: TQuantizeMode, overrides: Partial<TQuantizeScheme> = {}): TQuantizeScheme | null {
  if (mode === "none") return null;
  return {
    bits: mode === "q8" ? 8 : 4,
    blockSize: DEFAULT_BLOCK_SIZE,
    accuracyLevel: DEFAULT_ACCURACY_LEVEL,
    ...overrides,
  };
}

export interface TQuantizedMatrix {
  readonly bits: 4 | 8;
  readonly blockSize: number;
  /** Rows (output features). */
  readonly n: number;
  /** Columns (input features), before padding to whole blocks. */
  readonly k: number;
  readonly nBlocks: number;
  /** [N, nBlocks, blockSize * bits / 8] */
  readonly packed: Uint8Array;
  /** [N * nBlocks] */
  readonly scales: Float32Array;
}

function checkScheme(bits: number, blockSize: number): void {
  if (bits !== 4 && bits !== 8) throw new RangeError(`quantize: bits must be 4 or 8, got ${bits}`);
  if (!(blockSize >= 16 && (blockSize & (blockSize - 1)) === 0))
    throw new RangeError(`quantize: block size must be a power of two >= 16, got ${blockSize}`);
}

/** Quantizes row-major `w` [n, k] block by block along k. */
export function quantizeMatrix(
  w: Float32Array,
  n: number,
  k: number,
  bits: 4 | 8,
  blockSize: number,
): TQuantizedMatrix {
  checkScheme(bits, blockSize);
  if (w.length !== n * k) throw new RangeError(`quantize: ${w.length} values for a [${n}, ${k}] matrix`);
  const nBlocks = Math.ceil(k / blockSize);
  const blob = (blockSize * bits) / 8;
  const packed = new Uint8Array(n * nBlocks * blob);
  const scales = new Float32Array(n * nBlocks);
  const zero = 1 << (bits - 1);
  const qMax = (1 << bits) - 1;
  const q = new Uint8Array(blockSize);
  for (let r = 0; r < n; r++) {
    const row = r * k;
    for (let j = 0; j < nBlocks; j++) {
      const start = j * blockSize;
      const end = Math.min(k, start + blockSize);
      let m = 0; // the value of largest magnitude
      for (let i = start; i < end; i++) {
        const v = w[row + i] as number;
        if (Math.abs(v) > Math.abs(m)) m = v;
      }
      const scale = Math.fround(bits === 8 ? Math.abs(m) / 127 : m / -8) || 0; // no -0 for a zero block
      const inv = scale === 0 ? 0 : 1 / scale;
      for (let i = 0; i < blockSize; i++) {
        const v = start + i < end ? (w[row + start + i] as number) : 0;
        const t = Math.round(v * inv) + zero;
        q[i] = t < 0 ? 0 : t > qMax ? qMax : t;
      }
      const b = r * nBlocks + j;
      scales[b] = scale;
      const out = b * blob;
      if (bits === 8) packed.set(q, out);
      else for (let i = 0; i < blob; i++) packed[out + i] = (q[2 * i] as number) | ((q[2 * i + 1] as number) << 4);
    }
  }
  return { bits, blockSize, n, k, nBlocks, packed, scales };
}

/** The float32 matrix [n, k] that `q` stands for: (q - 2^(bits-1)) * scale per element. */
export function dequantizeMatrix(q: TQuantizedMatrix): Float32Array {
  const out = new Float32Array(q.n * q.k);
  const blob = (q.blockSize * q.bits) / 8;
  const zero = 1 << (q.bits - 1);
  for (let r = 0; r < q.n; r++)
    for (let c = 0; c < q.k; c++) {
      const j = Math.floor(c / q.blockSize);
      const i = c % q.blockSize;
      const b = r * q.nBlocks + j;
      const byte = q.packed[b * blob + (q.bits === 8 ? i : i >> 1)] as number;
      const v = q.bits === 8 ? byte : i % 2 === 0 ? byte & 0x0f : byte >> 4;
      out[r * q.k + c] = Math.fround((v - zero) * (q.scales[b] as number));
    }
  return out;
}

/** Bytes the quantized weights take (packed values and float32 scales). */
export function quantizedBytes(q: TQuantizedMatrix): number {
  return q.packed.byteLength + q.scales.byteLength;
}

/**
 * Which weights a model quantizes and the cache of their packed form: graphs are built once per kind, and the
 * fused matrices (q|k|v, gate|up, ...) are packed once per model.
 */
export interface TQuantizeSource {
  readonly scheme: TQuantizeScheme;
  /** Also the LM head (the tied embedding's transposed product); the embedding lookup stays float32. */
  readonly lmHead: boolean;
  readonly cache: Map<string, TQuantizedMatrix>;
}

export function quantizeSource(scheme: TQuantizeScheme, lmHead = true): TQuantizeSource {
  return { scheme, lmHead, cache: new Map() };
}

/** What `loadModel` takes: a mode, or a mode with its scheme's details. */
export type TQuantizeOption =
  TQuantizeMode | (Partial<TQuantizeScheme> & { readonly mode: TQuantizeMode; readonly lmHead?: boolean });

/** The source a model's graphs read (null: float32). */
export function resolveQuantize(option: TQuantizeOption | undefined): TQuantizeSource | null {
  if (option === undefined) return null;
  const { mode, lmHead, ...overrides } = typeof option === "string" ? { mode: option } : option;
  if (!isQuantizeMode(mode))
    throw new RangeError(`quantize must be one of ${QUANTIZE_MODES.join(", ")}, got ${String(mode)}`);
  const scheme = quantizeScheme(mode, overrides);
  return scheme ? quantizeSource(scheme, lmHead ?? true) : null;
}
