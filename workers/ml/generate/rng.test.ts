// Tests of the seeded generator: the C reference's outputs, determinism, fork independence, uniformity.
import { describe, expect, it } from "vitest";
import { createRng, xoshiro128FromState, type TRng } from "./rng";

const take = (rng: TRng, n: number): number[] => Array.from({ length: n }, () => rng.nextUint32());

describe("xoshiro128**", () => {
  it("matches the C reference implementation (prng.di.unimi.it/xoshiro128starstar.c) from a raw state", () => {
    // State and outputs as published with edorfaus/xoshiro-6502's test data, produced by the C reference.
    const rng = xoshiro128FromState([0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0]);
    expect(take(rng, 4)).toEqual([0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70]);
  });

  it("repeats exactly for a seed and differs between seeds", () => {
    expect(take(createRng(42), 1000)).toEqual(take(createRng(42), 1000));
    expect(take(createRng(42), 8)).not.toEqual(take(createRng(43), 8));
    expect(take(createRng(0), 8)).not.toEqual(take(createRng(2 ** 32), 8)); // the high seed bits count
  });

  it("forks depend only on the parent's seed and the stream id, not on draws made before", () => {
    const fresh = createRng(7);
    const used = createRng(7);
    take(used, 12345);
    used.fork(1); // forking does not advance the parent either
    expect(take(used.fork(3), 100)).toEqual(take(fresh.fork(3), 100));
    expect(take(fresh.fork(3).fork(0), 10)).toEqual(take(createRng(7).fork(3).fork(0), 10));
  });

  it("gives different streams to different forks and to the parent", () => {
    const root = createRng(7);
    const firsts = new Set([root, ...Array.from({ length: 64 }, (_, i) => root.fork(i))].map((r) => take(r, 2).join()));
    expect(firsts.size).toBe(65);
  });

  it("rejects seeds and stream ids that are not integers in [0, 2^53)", () => {
    expect(() => createRng(-1)).toThrow(/seed must be an integer/);
    expect(() => createRng(1.5)).toThrow(/seed must be an integer/);
    expect(() => createRng(2 ** 53)).toThrow(/seed must be an integer/);
    expect(() => createRng(1).fork(Number.NaN)).toThrow(/fork stream must be an integer/);
  });

  it("nextFloat is in [0, 1) with 53-bit resolution", () => {
    const rng = createRng(3);
    let min = 1,
      max = 0,
      sum = 0,
      hasLowBits = false;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      min = Math.min(min, u);
      max = Math.max(max, u);
      sum += u;
      if ((u * 2 ** 53) % 2 ** 24 !== 0) hasLowBits = true; // bits a 24-bit float would not have
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(hasLowBits).toBe(true);
    // mean of U(0,1): sd 1/sqrt(12 n); 5 sigma
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 / Math.sqrt(12 * n));
  });

  it("is uniform: chi-square of the top byte and every bit's frequency", () => {
    const rng = createRng(11);
    const n = 1 << 20;
    const bins = new Float64Array(256);
    const ones = new Float64Array(32);
    for (let i = 0; i < n; i++) {
      const x = rng.nextUint32();
      bins[x >>> 24]!++;
      for (let b = 0; b < 32; b++) ones[b]! += (x >>> b) & 1;
    }
    const expected = n / 256;
    const chi2 = bins.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 255 degrees of freedom: mean 255, sd sqrt(510) ~ 22.6; 5 sigma either side
    expect(chi2).toBeGreaterThan(255 - 5 * Math.sqrt(510));
    expect(chi2).toBeLessThan(255 + 5 * Math.sqrt(510));
    const sd = Math.sqrt(n / 4);
    for (const c of ones) expect(Math.abs(c - n / 2)).toBeLessThan(5 * sd);
  });
});
