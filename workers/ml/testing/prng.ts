// A seeded pseudo-random generator for test inputs (uniform, normal, integers); not for sampling tokens.
import { fromNumbers, type DType, type Tensor } from "../ir";

export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0 || 0x9e3779b9;
  }

  /** Uniform in [0, 1): a 32-bit xorshift state stepped then scrambled with an odd multiplier. */
  next(): number {
    let x = this.#s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#s = x >>> 0;
    return (Math.imul(this.#s, 0x2c1b3c6d) >>> 0) / 2 ** 32;
  }

  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal by Box-Muller. */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Integer in [lo, hi). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo));
  }

  normals(n: number, std = 1): number[] {
    return Array.from({ length: n }, () => this.normal() * std);
  }

  /** A tensor of normal values (floats) or integers in [lo, hi) (integer and bool dtypes). */
  tensor(dtype: DType, shape: readonly number[], opts: { std?: number; lo?: number; hi?: number } = {}): Tensor {
    const n = shape.reduce((a, b) => a * b, 1);
    const isFloat = dtype.startsWith("float") || dtype === "bfloat16";
    const vals = isFloat
      ? this.normals(n, opts.std ?? 1)
      : Array.from({ length: n }, () =>
          this.int(opts.lo ?? (dtype === "bool" ? 0 : -5), opts.hi ?? (dtype === "bool" ? 2 : 6)),
        );
    return fromNumbers(dtype, shape, vals);
  }
}
