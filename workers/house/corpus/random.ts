// Seeded choices for the corpus generator, over the engine's forkable xoshiro streams: the same seed and fork
// path give the same corpus on every platform.
import { createRng, type TRng } from "../../ml/generate/rng";

export class Chooser {
  constructor(private readonly rng: TRng) {}

  static of(seed: number, ...path: number[]): Chooser {
    let r = createRng(seed);
    for (const p of path) r = r.fork(p);
    return new Chooser(r);
  }

  fork(stream: number): Chooser {
    return new Chooser(this.rng.fork(stream));
  }

  float(): number {
    return this.rng.nextFloat();
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng.nextFloat() * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new RangeError("pick: empty list");
    return xs[Math.floor(this.rng.nextFloat() * xs.length)] as T;
  }

  chance(p: number): boolean {
    return this.rng.nextFloat() < p;
  }

  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng.nextFloat() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** A stable 32-bit hash of a string (FNV-1a): decides held-out membership independently of generation order. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
