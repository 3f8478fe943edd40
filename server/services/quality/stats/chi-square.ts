// Pearson's chi-square goodness-of-fit test, as scipy.stats.chisquare(f_obs, f_exp) computes it:
// statistic Σ (o − e)² / e, p-value from the chi-square distribution with k − 1 degrees of freedom.
import { chiSquareSf } from "./special-functions";

export type ChiSquareResult = { statistic: number; pValue: number; df: number };

export function chiSquareGoodnessOfFit(observed: readonly number[], expected?: readonly number[]): ChiSquareResult {
  const k = observed.length;
  if (k < 2) throw new RangeError(`chi-square needs at least 2 categories, got ${k}`);
  const totalObserved = observed.reduce((s, v) => s + v, 0);
  const exp = expected ?? observed.map(() => totalObserved / k);
  if (exp.length !== k) throw new RangeError(`chi-square: ${k} observed but ${exp.length} expected frequencies`);
  let statistic = 0;
  for (let i = 0; i < k; i++) {
    const e = exp[i]!;
    if (!(e > 0)) throw new RangeError(`chi-square: expected frequency ${i} must be > 0, got ${e}`);
    statistic += (observed[i]! - e) ** 2 / e;
  }
  return { statistic, pValue: chiSquareSf(statistic, k - 1), df: k - 1 };
}
