// Kendall's tau-b with ties, and its two-sided p-value computed as scipy.stats.kendalltau does (SciPy 1.10,
// method "auto"): the exact null distribution when neither side has ties and n <= 33 (or the count of
// discordant pairs is 0 or 1, or its complement), the tie-corrected normal approximation otherwise.
import { normalTwoSided } from "./special-functions";

export type KendallResult = { tau: number; pValue: number; n: number };

function tieStats(values: readonly number[]) {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let pairs = 0;
  let v0 = 0; // Σ t(t−1)(t−2)
  let v1 = 0; // Σ t(t−1)(2t+5)
  for (const t of counts.values()) {
    if (t < 2) continue;
    pairs += (t * (t - 1)) / 2;
    v0 += t * (t - 1) * (t - 2);
    v1 += t * (t - 1) * (2 * t + 5);
  }
  return { pairs, v0, v1 };
}

/** Exact two-sided p-value of c concordant pairs among n untied items (Kendall 1970, counts of inversions). */
export function kendallExactP(n: number, concordant: number): number {
  const total = (n * (n - 1)) / 2;
  const c = Math.min(concordant, total - concordant);
  if (n <= 2) return 1;
  if (c === 0) return Math.min(1, 2 / factorial(n));
  if (c === 1) return Math.min(1, 2 / factorial(n - 1));
  if (4 * c === n * (n - 1)) return 1;
  // counts[k] = number of permutations of j items with k inversions (k <= c), divided by j! as we go
  // so that large n does not overflow.
  let counts = new Array<number>(c + 1).fill(0);
  counts[0] = 1;
  counts[1] = 1;
  counts = counts.map((v) => v / 2);
  for (let j = 3; j <= n; j++) {
    const cum = new Array<number>(c + 1);
    let s = 0;
    for (let k = 0; k <= c; k++) {
      s += counts[k]!;
      cum[k] = s / j;
    }
    if (j <= c) for (let k = c; k >= j; k--) cum[k] = cum[k]! - cum[k - j]!;
    counts = cum;
  }
  let sum = 0;
  for (const v of counts) sum += v;
  return Math.min(1, Math.max(0, 2 * sum));
}

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * Kendall's tau-b between two equally long numeric sequences (ties allowed). Returns NaN for tau and p when one
 * side is constant (or fewer than two items), as SciPy does. O(n²): meant for the few candidates of a comparison
 * and for fixtures, not for long series.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): KendallResult {
  if (x.length !== y.length) throw new RangeError(`kendallTauB needs equal lengths, got ${x.length} and ${y.length}`);
  const n = x.length;
  if (n < 2) return { tau: NaN, pValue: NaN, n };
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const s = Math.sign(x[i]! - x[j]!) * Math.sign(y[i]! - y[j]!);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
    }
  }
  const total = (n * (n - 1)) / 2;
  const tx = tieStats(x);
  const ty = tieStats(y);
  if (tx.pairs === total || ty.pairs === total) return { tau: NaN, pValue: NaN, n };
  const s = concordant - discordant;
  const tau = Math.min(1, Math.max(-1, s / Math.sqrt(total - tx.pairs) / Math.sqrt(total - ty.pairs)));
  let pValue: number;
  if (tx.pairs === 0 && ty.pairs === 0 && (n <= 33 || Math.min(discordant, total - discordant) <= 1)) {
    pValue = kendallExactP(n, total - discordant);
  } else {
    const m = n * (n - 1);
    const variance =
      (m * (2 * n + 5) - tx.v1 - ty.v1) / 18 + (2 * tx.pairs * ty.pairs) / m + (tx.v0 * ty.v0) / (9 * m * (n - 2));
    pValue = normalTwoSided(s / Math.sqrt(variance));
  }
  return { tau, pValue, n };
}

/**
 * Tau-b alone, as `kendallTauB(x, y).tau` (the same arithmetic, so the same number to the last bit) without the
 * p-value and without allocating: what quality control computes for every pair of judgments of a comparison.
 */
export function kendallTau(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`kendallTau needs equal lengths, got ${n} and ${y.length}`);
  if (n < 2) return NaN;
  let concordant = 0;
  let discordant = 0;
  let tiedX = 0;
  let tiedY = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    for (let j = i + 1; j < n; j++) {
      const xj = x[j]!;
      const yj = y[j]!;
      const s = Math.sign(xi - xj) * Math.sign(yi - yj);
      if (s > 0) concordant++;
      else if (s < 0) discordant++;
      // Ties as tieStats counts them (a Map: NaN equals NaN).
      if (xi === xj || (xi !== xi && xj !== xj)) tiedX++;
      if (yi === yj || (yi !== yi && yj !== yj)) tiedY++;
    }
  }
  const total = (n * (n - 1)) / 2;
  if (tiedX === total || tiedY === total) return NaN;
  return Math.min(1, Math.max(-1, (concordant - discordant) / Math.sqrt(total - tiedX) / Math.sqrt(total - tiedY)));
}
