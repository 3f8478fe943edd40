// Bradley-Terry on the Elo scale against references: hand-computed (two players, no ridge) and SciPy
// (three players with ties; values from scipy.optimize.minimize(BFGS) on the same penalised
// log-likelihood, printed to 6 decimals); bootstrap intervals that hold the point and shrink with data.
import { describe, expect, it } from "vitest";
import { bradleyTerry, fitStrengths } from "./bradley-terry";
import { headToHead } from "./policy-leaderboard";

const times = <T>(n: number, o: T): T[] => Array.from({ length: n }, () => o);

describe("Bradley-Terry", () => {
  it("two players, 3 wins to 1, without the ridge: 400 log10(3) apart (hand-computed)", () => {
    const outcomes = [...times(3, { a: "x", b: "y", score: 1 }), { a: "x", b: "y", score: 0 }];
    const [tx, ty] = fitStrengths(["x", "y"], outcomes, 0);
    expect((400 / Math.LN10) * (tx! - ty!)).toBeCloseTo(400 * Math.log10(3), 6);
  });

  it("matches SciPy on three players with ties (ridge 1e-3, mean 1000)", () => {
    const outcomes = [
      ...times(6, { a: "a", b: "b", score: 1 }),
      ...times(2, { a: "a", b: "b", score: 0 }),
      ...times(5, { a: "b", b: "c", score: 1 }),
      ...times(3, { a: "b", b: "c", score: 0 }),
      ...times(4, { a: "a", b: "c", score: 1 }),
      ...times(2, { a: "a", b: "c", score: 0.5 }),
      ...times(1, { a: "a", b: "c", score: 0 }),
    ];
    const board = bradleyTerry(
      outcomes.map((o) => [o]),
      { rounds: 0 },
    );
    expect(board.map((r) => r.player)).toEqual(["a", "b", "c"]);
    expect(board[0]!.rating).toBeCloseTo(1119.055178, 4);
    expect(board[1]!.rating).toBeCloseTo(968.274496, 4);
    expect(board[2]!.rating).toBeCloseTo(912.670326, 4);
    expect(board[0]).toMatchObject({ wins: 11, games: 15 });
  });

  it("an undefeated player gets a finite rating; bootstrap intervals hold the point and narrow with more data", () => {
    const few = bradleyTerry(times(4, [{ a: "p", b: "q", score: 1 }]), { rounds: 100 });
    expect(few.every((r) => Number.isFinite(r.rating) && Number.isFinite(r.lower))).toBe(true);
    const mix = (n: number) => [
      ...times(3 * n, [{ a: "p", b: "q", score: 1 }]),
      ...times(n, [{ a: "p", b: "q", score: 0 }]),
    ];
    const small = bradleyTerry(mix(5), { rounds: 300, seed: 7 });
    const big = bradleyTerry(mix(80), { rounds: 300, seed: 7 });
    for (const r of [...small, ...big]) expect(r.lower <= r.rating && r.rating <= r.upper).toBe(true);
    expect(big[0]!.upper - big[0]!.lower).toBeLessThan((small[0]!.upper - small[0]!.lower) / 2);
    // Seeded: the same intervals on every call.
    expect(bradleyTerry(mix(5), { rounds: 300, seed: 7 })).toEqual(small);
  });

  it("takes from a ranking only the pairs of two different versions (ties as ties)", () => {
    const versionOf = new Map<string, string | null>([
      ["c1", "v1"],
      ["c2", "v2"],
      ["c3", "v1"],
      ["c4", null],
    ]);
    expect(headToHead([["c1"], ["c2", "c3"], ["c4"]], versionOf)).toEqual([
      { a: "v1", b: "v2", score: 1 },
      { a: "v2", b: "v1", score: 0.5 },
    ]);
  });
});
