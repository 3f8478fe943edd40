// Krippendorff's alpha for nominal data, accumulated one unit at a time (Krippendorff 2011, "Computing
// Krippendorff's alpha-reliability"): α = 1 − D_o / D_e from the coincidence matrix. A unit contributes only if
// at least two coders gave it a value (m_u ≥ 2); the coders of different units need not be the same.
//
// Per unit with m_u values of which n_uc have value c, the unit adds n_uc to n_c and
// (m_u² − Σ_c n_uc²) / (m_u − 1) to the observed off-diagonal coincidences, so
// α = 1 − (n − 1) · Σ_u (m_u² − Σ_c n_uc²)/(m_u − 1) / (n² − Σ_c n_c²).
// The accumulator holds one number per value, so any number of judgments streams through it.

export type AlphaResult = { alpha: number; units: number; pairableValues: number };

export class NominalAlpha {
  private readonly totals = new Map<string, number>();
  private observedDisagreement = 0;
  private units = 0;
  private values = 0;

  /** Adds one unit: the values its coders gave (one per coder; missing coders simply absent). */
  addUnit(values: readonly string[]): void {
    const m = values.length;
    if (m < 2) return;
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    let sumSquares = 0;
    for (const [v, c] of counts) {
      sumSquares += c * c;
      this.totals.set(v, (this.totals.get(v) ?? 0) + c);
    }
    this.observedDisagreement += (m * m - sumSquares) / (m - 1);
    this.units++;
    this.values += m;
  }

  /** α; NaN when there is no pairable unit or every value is the same (no expected disagreement). */
  result(): AlphaResult {
    const n = this.values;
    let sumSquares = 0;
    for (const c of this.totals.values()) sumSquares += c * c;
    const expected = n * n - sumSquares;
    const alpha = n < 2 || expected === 0 ? NaN : 1 - ((n - 1) * this.observedDisagreement) / expected;
    return { alpha, units: this.units, pairableValues: n };
  }
}

/** α for a coders × units table; null marks a missing value. */
export function krippendorffAlphaNominal(table: readonly (readonly (string | number | null)[])[]): AlphaResult {
  const acc = new NominalAlpha();
  const unitCount = Math.max(0, ...table.map((row) => row.length));
  for (let u = 0; u < unitCount; u++) {
    const values: string[] = [];
    for (const row of table) {
      const v = row[u];
      if (v !== null && v !== undefined) values.push(String(v));
    }
    acc.addUnit(values);
  }
  return acc.result();
}
