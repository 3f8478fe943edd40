// Safetensors dtypes and exact bit-level F16/BF16 <-> F32 conversions; no file I/O here.
// NOTE: typed-array reads in these loops are in bounds by construction, hence the `!` on them.

/** Sizes of the safetensors dtypes; only the float and integer types below are read or written. */
export const DTYPE_BYTES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;
export type TSafetensorsDtype = keyof typeof DTYPE_BYTES;
export type TFloatDtype = "F32" | "F16" | "BF16";
export type TIntDtype = "I32" | "I64";
export type TDtype = TFloatDtype | TIntDtype;

export function isSafetensorsDtype(s: string): s is TSafetensorsDtype {
  return Object.hasOwn(DTYPE_BYTES, s);
}

export function isFloatDtype(d: string): d is TFloatDtype {
  return d === "F32" || d === "F16" || d === "BF16";
}

function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24; // zero and subnormals, exact in float64 and float32
  if (exp === 0x1f) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

// Every half is exactly a float32: a 256 KiB table makes F16 -> F32 one lookup per element.
let halfTable: Float32Array | undefined;
function f16Table(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfBitsToFloat(h);
  }
  return halfTable;
}

export function f16ToF32(src: Uint16Array, out: Float32Array): void {
  const table = f16Table();
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]!]!;
}

export function bf16ToF32(src: Uint16Array, out: Float32Array): void {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16; // NOTE: a bf16 is the top half of a float32
}

/** Round-to-nearest-even F32 bits -> BF16 bits; NaN stays a (quiet) NaN, overflow goes to Inf. */
export function f32BitsToBf16(x: number): number {
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x >>> 0) + 0x7fff + ((x >>> 16) & 1)) >>> 16;
}

/** Round-to-nearest-even F32 bits -> F16 bits, with F16 subnormals; NaN stays NaN, overflow goes to Inf. */
export function f32BitsToF16(x: number): number {
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Half subnormal: mantissa (with its implicit bit) shifted right by 14 - e, rounded to even.
    const shift = 14 - e;
    if (shift > 24) return sign;
    const m = mant | 0x800000;
    const rest = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    let r = m >>> shift;
    if (rest > halfway || (rest === halfway && (r & 1) === 1)) r++; // a carry into 0x400 is the smallest normal
    return sign | r;
  }
  let h = sign | (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1) === 1)) h++; // a carry may reach 0x7c00 = Inf, as it should
  return h;
}

export function f32ToF16(src: Float32Array, out: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) out[i] = f32BitsToF16(bits[i]!);
}

export function f32ToBf16(src: Float32Array, out: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) out[i] = f32BitsToBf16(bits[i]!);
}
