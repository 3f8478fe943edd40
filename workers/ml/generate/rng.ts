// Seeded pseudo-random numbers for sampling: xoshiro128** with keyed, forkable streams. Not cryptographic.
//
// Guarantee: a stream is a pure function of (seed, fork path). `fork(i)` depends only on the parent's key and
// `i`, never on how many numbers the parent or any sibling has drawn, so candidate i of a run draws the same
// numbers whether the batch holds 1, 4 or 8 candidates and in whatever order they are stepped. Only 32-bit
// integer operations and exact float64 arithmetic are used, so streams are identical on every platform.
// xoshiro128** (Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2018): period 2^128 - 1,
// passes BigCrush; implemented here from the paper's description.

/** The interface the sampler uses; tests may substitute their own. */
export interface TRng {
  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number;
  /** A uniform float in [0, 1) with 53 random bits (every multiple of 2^-53 equally likely). */
  nextFloat(): number;
  /** An independent stream for sub-task `stream` (e.g. candidate index); see the guarantee above. */
  fork(stream: number): TRng;
}

// Digits of pi: the key every root stream is derived from (nothing-up-my-sleeve constants).
const ROOT_KEY: readonly number[] = [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344];
const TWO_POW_32 = 4294967296;

/** A bijective 32-bit avalanche mixer (xorshift-multiply rounds). */
function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x21f0aaad);
  x ^= x >>> 15;
  x = Math.imul(x, 0x735a2d97);
  x ^= x >>> 15;
  return x >>> 0;
}

function checkStreamId(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be an integer in [0, 2^53), got ${String(value)}`);
  }
}

/** Mixes a 53-bit integer into a 128-bit key; four rounds so every output word depends on every input bit. */
function deriveKey(parent: ArrayLike<number>, stream: number): Uint32Array {
  let a = (parent[0]! ^ (stream >>> 0)) >>> 0;
  let b = (parent[1]! ^ Math.floor(stream / TWO_POW_32)) >>> 0;
  let c = parent[2]! >>> 0;
  let d = parent[3]! >>> 0;
  for (let round = 1; round <= 4; round++) {
    a = mix32((a + Math.imul(round, 0x9e3779b9)) ^ d);
    b = mix32(b ^ a);
    c = mix32(c ^ b);
    d = mix32(d ^ c);
  }
  return Uint32Array.of(a, b, c, d);
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k));

class Xoshiro128 implements TRng {
  private readonly key: Uint32Array;
  private readonly s: Uint32Array;

  constructor(key: Uint32Array) {
    this.key = key;
    this.s = key.slice();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1; // the all-zero state is a fixed point
  }

  nextUint32(): number {
    const s = this.s;
    const s0 = s[0]!,
      s1 = s[1]!,
      s2 = s[2]!,
      s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    const n2 = s2 ^ s0;
    const n3 = s3 ^ s1;
    s[1] = s1 ^ n2;
    s[0] = s0 ^ n3;
    s[2] = n2 ^ t;
    s[3] = rotl(n3, 11);
    return result;
  }

  nextFloat(): number {
    // NOTE: 27 + 26 high bits of two outputs make one 53-bit integer; dividing by 2^53 is exact, result < 1.
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  fork(stream: number): TRng {
    checkStreamId(stream, "fork stream");
    return new Xoshiro128(deriveKey(this.key, stream));
  }
}

/** A generator started at a raw xoshiro128** state (for known-answer tests against the C reference). */
export function xoshiro128FromState(state: readonly [number, number, number, number]): TRng {
  return new Xoshiro128(Uint32Array.from(state));
}

/** A root generator for `seed` (an integer in [0, 2^53)). */
export function createRng(seed: number): TRng {
  checkStreamId(seed, "seed");
  return new Xoshiro128(deriveKey(ROOT_KEY, seed));
}
