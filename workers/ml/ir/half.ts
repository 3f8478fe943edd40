// Bit conversions between numbers and float16 / bfloat16 patterns; not tensor storage (dtype.ts).
import { at } from "./at";

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function float32Bits(x: number): number {
  f32[0] = x;
  return at(u32, 0);
}

/** IEEE 754 binary16 bits of `x`, round to nearest even.
 *  NOTE: `x` is first rounded to float32 (as a float32 -> float16 Cast does); from float64 this
 *  double rounding can differ from a direct conversion in the last bit, which tests tolerate. */
export function floatToHalfBits(x: number): number {
  const b = float32Bits(x);
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  const mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 : 0);
  const e = exp - 112; // re-biased exponent: 127 -> 15
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    return sign | roundShift(mant | 0x800000, 14 - e);
  }
  return sign | roundShift((e << 23) | mant, 13); // a carry rolls into the exponent, up to Inf
}

function roundShift(v: number, shift: number): number {
  const half = 2 ** (shift - 1);
  const rem = v % (half * 2);
  let h = Math.floor(v / (half * 2));
  if (rem > half || (rem === half && (h & 1) === 1)) h += 1;
  return h;
}

export function halfBitsToFloat(h: number): number {
  const sign = (h & 0x8000) !== 0 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (exp === 0) return sign * m * 2 ** -24;
  if (exp === 0x1f) return m !== 0 ? NaN : sign * Infinity;
  return sign * (1 + m / 1024) * 2 ** (exp - 15);
}

/** bfloat16 bits of `x` (via float32), round to nearest even; NaN stays a quiet NaN. */
export function floatToBfloat16Bits(x: number): number {
  const b = float32Bits(x);
  if (Number.isNaN(x)) return (b >>> 16) | 0x40;
  return Math.floor((b + 0x7fff + ((b >>> 16) & 1)) / 65536);
}

export function bfloat16BitsToFloat(h: number): number {
  u32[0] = (h << 16) >>> 0;
  return at(f32, 0);
}
