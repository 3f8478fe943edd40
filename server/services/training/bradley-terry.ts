// Bradley-Terry ratings of players (policy versions) from head-to-head outcomes, on the Elo scale
// Chatbot Arena reports: P(i beats j) = 1 / (1 + 10^((R_j - R_i) / 400)). The strengths maximise
// the log-likelihood of the outcomes (a tie counts half a win each way) minus a tiny ridge
// (RIDGE / 2 * sum theta^2, natural-log units), which keeps an undefeated player finite and pins
// the otherwise free offset; ratings are then shifted so their mean is 1000. Fitted by Newton's
// method (the players are few). Confidence intervals: percentile bootstrap over the groups of
// outcomes (one group per judgment, whose pairs are not independent), with a seeded generator.
// Pure: no database.

export type TOutcome = { a: string; b: string; /** 1: a won, 0: b won, 0.5: tie */ score: number };
export type TRating = { player: string; rating: number; lower: number; upper: number; wins: number; games: number };

export const RIDGE = 1e-3;
const SCALE = 400 / Math.LN10;

/** Strengths (natural-log units, mean 0) of `players` from `outcomes`. */
export function fitStrengths(players: string[], outcomes: TOutcome[], ridge = RIDGE): number[] {
  const n = players.length;
  const index = new Map(players.map((p, i) => [p, i]));
  const theta = new Array<number>(n).fill(0);
  for (let iter = 0; iter < 100; iter++) {
    const grad = theta.map((t) => -ridge * t);
    const hess = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? ridge + 1e-9 : 0)));
    for (const o of outcomes) {
      const i = index.get(o.a)!;
      const j = index.get(o.b)!;
      const p = 1 / (1 + Math.exp(theta[j]! - theta[i]!));
      grad[i]! += o.score - p;
      grad[j]! -= o.score - p;
      const w = p * (1 - p);
      hess[i]![i]! += w;
      hess[j]![j]! += w;
      hess[i]![j]! -= w;
      hess[j]![i]! -= w;
    }
    const step = solve(hess, grad);
    let biggest = 0;
    for (let i = 0; i < n; i++) {
      theta[i]! += step[i]!;
      biggest = Math.max(biggest, Math.abs(step[i]!));
    }
    if (biggest < 1e-10) break;
  }
  const mean = theta.reduce((s, t) => s + t, 0) / Math.max(1, n);
  return theta.map((t) => t - mean);
}

/** Solves H x = g for a symmetric positive-definite H (Gaussian elimination with partial pivoting). */
function solve(h: number[][], g: number[]): number[] {
  const n = g.length;
  const a = h.map((row, i) => [...row, g[i]!]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k <= n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = a[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/** A small seeded generator (mulberry32), so a leaderboard's intervals are the same on every load. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const quantile = (sorted: number[], q: number) => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
};

/**
 * Elo-scale ratings (mean 1000) with 95% percentile-bootstrap intervals, best first. `groups` are the
 * outcomes of one judgment each: the bootstrap draws whole judgments.
 */
export function bradleyTerry(groups: TOutcome[][], o: { rounds?: number; seed?: number } = {}): TRating[] {
  const players = [...new Set(groups.flat().flatMap((x) => [x.a, x.b]))].sort();
  if (players.length === 0) return [];
  const toRating = (t: number) => 1000 + SCALE * t;
  const point = fitStrengths(players, groups.flat()).map(toRating);
  const rounds = o.rounds ?? 200;
  const draw = rng(o.seed ?? 1);
  const samples: number[][] = players.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const sample: TOutcome[] = [];
    for (let g = 0; g < groups.length; g++) sample.push(...groups[Math.floor(draw() * groups.length)]!);
    fitStrengths(players, sample).forEach((t, i) => samples[i]!.push(toRating(t)));
  }
  const wins = new Map(players.map((p) => [p, 0]));
  const games = new Map(players.map((p) => [p, 0]));
  for (const x of groups.flat()) {
    wins.set(x.a, wins.get(x.a)! + x.score);
    wins.set(x.b, wins.get(x.b)! + 1 - x.score);
    games.set(x.a, games.get(x.a)! + 1);
    games.set(x.b, games.get(x.b)! + 1);
  }
  return players
    .map((player, i) => {
      const s = [...samples[i]!].sort((x, y) => x - y);
      return {
        player,
        rating: point[i]!,
        lower: rounds > 0 ? quantile(s, 0.025) : point[i]!,
        upper: rounds > 0 ? quantile(s, 0.975) : point[i]!,
        wins: wins.get(player)!,
        games: games.get(player)!,
      };
    })
    .sort((x, y) => y.rating - x.rating || x.player.localeCompare(y.player));
}
