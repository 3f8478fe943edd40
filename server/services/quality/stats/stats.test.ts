// The statistics against SciPy and an independent Python implementation (fixture/make_fixture.py writes the
// fixture; run it again with Debian's python3-scipy after changing the cases).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chiSquareGoodnessOfFit } from "./chi-square";
import { kendallTau, kendallTauB } from "./kendall";
import { krippendorffAlphaNominal } from "./krippendorff";
import { gammaP, gammaQ } from "./special-functions";

type Fixture = {
  scipy: string;
  kendall: { x: number[]; y: number[]; tau: number | null; pValue: number | null }[];
  chisquare: { observed: number[]; expected?: number[]; statistic: number; pValue: number }[];
  gamma: { a: number; x: number; p: number; q: number }[];
  alpha: { name: string; table: (string | number | null)[][]; alpha: number | null }[];
};
const fixture = JSON.parse(readFileSync(new URL("./fixture/stats-fixture.json", import.meta.url), "utf8")) as Fixture;

const TOL = 1e-9;
function close(actual: number, expected: number | null, what: string) {
  if (expected === null) return expect(actual, what).toBeNaN();
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOL);
}

describe(`statistics against SciPy ${fixture.scipy}`, () => {
  it(`Kendall's tau-b and p-value, ${fixture.kendall.length} cases`, () => {
    expect(fixture.kendall.length).toBeGreaterThan(100);
    for (const [i, c] of fixture.kendall.entries()) {
      const r = kendallTauB(c.x, c.y);
      close(r.tau, c.tau, `kendall #${i} tau (n=${c.x.length})`);
      close(r.pValue, c.pValue, `kendall #${i} p (n=${c.x.length})`);
      // The tau-only variant quality control uses is the same number, to the last bit.
      expect(Object.is(kendallTau(c.x, c.y), r.tau), `kendall #${i} tau-only`).toBe(true);
    }
  });

  it(`chi-square goodness of fit, ${fixture.chisquare.length} cases`, () => {
    for (const [i, c] of fixture.chisquare.entries()) {
      const r = chiSquareGoodnessOfFit(c.observed, c.expected);
      close(r.statistic, c.statistic, `chi-square #${i} statistic`);
      close(r.pValue, c.pValue, `chi-square #${i} p`);
    }
  });

  it(`regularized incomplete gamma, ${fixture.gamma.length} cases`, () => {
    for (const c of fixture.gamma) {
      close(gammaP(c.a, c.x), c.p, `P(${c.a}, ${c.x})`);
      close(gammaQ(c.a, c.x), c.q, `Q(${c.a}, ${c.x})`);
    }
  });

  it("Krippendorff's alpha: the published nominal example with missing data is 0.743", () => {
    const published = fixture.alpha.find((c) => c.name === "krippendorff-2011-nominal")!;
    const r = krippendorffAlphaNominal(published.table);
    expect(r.alpha.toFixed(3)).toBe("0.743");
    close(r.alpha, published.alpha, "published example");
    expect(r.units).toBe(11); // unit 12 has a single value and is not pairable
  });

  it(`Krippendorff's alpha against the independent Python implementation, ${fixture.alpha.length} tables`, () => {
    for (const c of fixture.alpha) close(krippendorffAlphaNominal(c.table).alpha, c.alpha, `alpha ${c.name}`);
  });

  it("bad input says what is wrong", () => {
    expect(() => kendallTauB([1, 2], [1])).toThrow(/equal lengths/);
    expect(() => chiSquareGoodnessOfFit([1])).toThrow(/at least 2 categories/);
    expect(() => chiSquareGoodnessOfFit([1, 2], [1, 0])).toThrow(/expected frequency 1 must be > 0/);
  });
});

describe("rankings as statistics read them", () => {
  it("mid-ranks and pairwise items of a ranking with ties", async () => {
    const { midRanks, pairPreferences } = await import("./rankings");
    expect([...midRanks([["c"], ["a", "b"], ["d"]])]).toEqual([
      ["c", 1],
      ["a", 2.5],
      ["b", 2.5],
      ["d", 4],
    ]);
    expect(Object.fromEntries(pairPreferences([["c"], ["a", "b"]]))).toEqual({ "a|b": "=", "a|c": "<", "b|c": "<" });
  });
});
