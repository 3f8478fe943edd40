// Quality control of one project, computed from its judgments in one streaming pass (scan-judgments.ts):
// agreement (Krippendorff's alpha over pairwise items, overall and per week; Kendall's tau-b between labellers on
// the comparisons they share), the position-bias audit, and each labeller's reliability inputs and score.
// The README of this folder and README.md's admin guide document every figure; the thresholds are below.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { chiSquareGoodnessOfFit } from "./stats/chi-square";
import { kendallTau } from "./stats/kendall";
import { NominalAlpha } from "./stats/krippendorff";
import { midRanks, pairPreferences, type PairValue } from "./stats/rankings";
import { normalTwoSided } from "./stats/special-functions";
import { goldAccuracyByLabeller, type TGoldAccuracy } from "./gold-accuracy";
import { scanComparisonGroups, type ScannedJudgment } from "./scan-judgments";

/** A bias or outlier test is significant below this p-value. */
export const SIGNIFICANCE = 0.001;
/** A submission is too fast when its active time is below this share of the project's median active time. */
export const TOO_FAST_SHARE_OF_MEDIAN = 0.25;
/** Tests and flags need at least this many judgments (or items) of a labeller. */
export const MIN_JUDGMENTS = 10;
/** A labeller keeping the shown order in more than this share of submissions is flagged. */
export const KEEPS_ORDER_FLAG_SHARE = 0.5;

type PositionCounts = {
  first: number[];
  expectedFirst: number[];
  rankSum: number[];
  chanceRankSum: number[];
  n: number[];
};
const newPositions = (): PositionCounts => ({ first: [], expectedFirst: [], rankSum: [], chanceRankSum: [], n: [] });
function add(arr: number[], i: number, v: number) {
  arr[i] = (arr[i] ?? 0) + v;
}

type LabellerAcc = {
  judgments: number;
  activeMs: number[];
  keepsOrder: number;
  chanceKeepsOrder: number;
  othersTauSum: number;
  othersItems: number;
  logLik: number;
  expectedLogLik: number;
  varianceBound: number;
  outlierItems: number;
  positions: PositionCounts;
};
const newLabeller = (): LabellerAcc => ({
  judgments: 0,
  activeMs: [],
  keepsOrder: 0,
  chanceKeepsOrder: 0,
  othersTauSum: 0,
  othersItems: 0,
  logLik: 0,
  expectedLogLik: 0,
  varianceBound: 0,
  outlierItems: 0,
  positions: newPositions(),
});

const factorial = (k: number): number => (k <= 1 ? 1 : k * factorial(k - 1));
const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export function weekOf(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7)); // back to Monday
  return day.toISOString().slice(0, 10);
}

/** Ranks in the shown order: mid-ranks never decrease along the shown order, and not all in one tier. */
function keepsShownOrder(j: ScannedJudgment, ranks: Map<string, number>): boolean {
  if (j.tiers.length < 2) return false;
  for (let i = 1; i < j.shownOrder.length; i++)
    if ((ranks.get(j.shownOrder[i]!) ?? 0) < (ranks.get(j.shownOrder[i - 1]!) ?? 0)) return false;
  return true;
}

function addPositions(p: PositionCounts, j: ScannedJudgment, ranks: Map<string, number>) {
  const k = j.shownOrder.length;
  const top = j.tiers[0] ?? [];
  if (k < 2 || j.tiers.length < 2) return; // everything tied says nothing about position
  j.shownOrder.forEach((id, pos) => {
    add(p.first, pos, top.includes(id) ? 1 / top.length : 0);
    add(p.expectedFirst, pos, 1 / k);
    add(p.rankSum, pos, ranks.get(id) ?? (k + 1) / 2);
    add(p.chanceRankSum, pos, (k + 1) / 2);
    add(p.n, pos, 1);
  });
}

function biasTest(p: PositionCounts) {
  const positions = p.n.map((n, pos) => ({
    position: pos + 1,
    judgments: n,
    firstShare: n ? p.first[pos]! / n : 0,
    chanceFirstShare: n ? p.expectedFirst[pos]! / n : 0,
    meanRank: n ? p.rankSum[pos]! / n : 0,
    chanceMeanRank: n ? p.chanceRankSum[pos]! / n : 0,
  }));
  const judgments = p.n[0] ?? 0;
  let chi: { statistic: number; pValue: number; df: number } | null = null;
  const usable = p.expectedFirst.map((e, i) => ({ e, o: p.first[i]! })).filter((x) => x.e > 0);
  if (judgments >= MIN_JUDGMENTS && usable.length >= 2)
    chi = chiSquareGoodnessOfFit(
      usable.map((x) => x.o),
      usable.map((x) => x.e),
    );
  return { judgments, positions, chiSquare: chi, significant: chi !== null && chi.pValue < SIGNIFICANCE };
}

/** Votes on one pairwise item: how many judgments gave each value. */
type VoteCounts = { "<": number; ">": number; "=": number; n: number };

/**
 * The labeller's vote on one pairwise item against the others' votes on it (all votes less the labeller's own),
 * smoothed (add one per value): its log-likelihood ln P(vote), and that log-likelihood's mean and standard
 * deviation had the labeller voted like a random other labeller.
 */
function voteLikelihood(all: VoteCounts, vote: PairValue) {
  const n = all.n - 1;
  const prob = (v: PairValue) => (all[v] - (v === vote ? 1 : 0) + 1) / (n + 3);
  const ps = [prob("<"), prob(">"), prob("=")];
  let mean = 0;
  let second = 0;
  for (const q of ps) mean += q * Math.log(q);
  for (const q of ps) second += q * Math.log(q) ** 2;
  return { logLik: Math.log(prob(vote)), mean, sd: Math.sqrt(Math.max(0, second - mean * mean)) };
}

/** One-sided normal p-value Φ(z) (small when the votes are less likely than expected). */
function lowerTail(z: number) {
  return z >= 0 ? 1 - normalTwoSided(z) / 2 : normalTwoSided(z) / 2;
}

export type LabellerQuality = Awaited<ReturnType<typeof computeQuality>>["labellers"][number];

/**
 * One pass over the judgments gathers every figure and keeps each judgment's mid-ranks (`KeptRanks`); the
 * leave-one-out agreement is then computed from those twice without reading the database again: first against
 * the others' plain mean ranking, then against the others' ranking weighted by the first round's scores (one
 * reweighting step, so adversarial or random labellers stop blurring the consensus everyone is compared with).
 * Figures other than the leave-one-out agreement and the score do not depend on the weights.
 */
export async function computeQuality(opts: { projectId: string; pageSize?: number }) {
  const db = getDb();
  const project = await db.project.findUnique({
    where: { id: opts.projectId },
    select: { id: true, goldMinJudgments: true },
  });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const gold = { byUser: await goldAccuracyByLabeller(project.id), minJudgments: project.goldMinJudgments };
  const acc = await accumulateQuality(project.id, opts.pageSize);
  const users = await db.user.findMany({
    where: { id: { in: [...acc.labellers.keys()] } },
    select: { id: true, email: true, name: true, importedFrom: true },
  });
  const userById = new Map(users.map((u) => [u.id, u]));
  const first = report(acc, leaveOneOut(acc.kept, null), userById, gold);
  return report(acc, leaveOneOut(acc.kept, scoresAsWeights(first.labellers)), userById, gold);
}

export function scoresAsWeights(rows: { userId: string; score: number | null }[]): Map<string, number> {
  const known = rows
    .map((l) => l.score)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
  const fallback = known.length ? known[known.length >> 1]! : 1;
  return new Map(rows.map((l) => [l.userId, l.score ?? fallback]));
}

/**
 * Every judgment's mid-ranks, one vector over its comparison's candidates (sorted ids; NaN for a candidate it
 * does not rank), in scan order: 4 bytes per ranked candidate and 4 per judgment and per comparison (about 2 MB
 * for 100k judgments of 4 candidates). Mid-ranks are multiples of 0.5, exact in float32.
 */
class KeptRanks {
  users: string[] = [];
  private readonly userIndex = new Map<string, number>();
  ranks = new Float32Array(4096);
  judgmentUser = new Int32Array(1024);
  /** Per comparison: its number of judgments and of candidates. */
  sizes = new Int32Array(2048);
  rankCount = 0;
  judgmentCount = 0;
  comparisonCount = 0;

  add(userIds: string[], vectors: number[][], width: number) {
    const grow = <T extends Float32Array | Int32Array>(a: T, need: number): T => {
      if (need <= a.length) return a;
      const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
      b.set(a);
      return b;
    };
    this.sizes = grow(this.sizes, 2 * this.comparisonCount + 2);
    this.sizes[2 * this.comparisonCount] = userIds.length;
    this.sizes[2 * this.comparisonCount + 1] = width;
    this.comparisonCount++;
    this.judgmentUser = grow(this.judgmentUser, this.judgmentCount + userIds.length);
    this.ranks = grow(this.ranks, this.rankCount + userIds.length * width);
    userIds.forEach((id, i) => {
      let u = this.userIndex.get(id);
      if (u === undefined) {
        this.userIndex.set(id, (u = this.users.length));
        this.users.push(id);
      }
      this.judgmentUser[this.judgmentCount++] = u;
      this.ranks.set(vectors[i]!, this.rankCount);
      this.rankCount += width;
    });
  }
}

/**
 * Per labeller, the mean over their judgments of tau-b between their mid-ranks and the mean mid-rank of the
 * comparison's other judgments (weighted by `weights`; a labeller missing from it weighs 1; all other weights zero:
 * equal weights). Judgments alone on their comparison, or tying everything, do not count.
 */
function leaveOneOut(kept: KeptRanks, weights: Map<string, number> | null) {
  const weightOfUser = Float64Array.from(kept.users, (id) => weights?.get(id) ?? 1);
  const sum = new Float64Array(kept.users.length);
  const items = new Int32Array(kept.users.length);
  let j0 = 0;
  let r0 = 0;
  for (let c = 0; c < kept.comparisonCount; c++) {
    const m = kept.sizes[2 * c]!;
    const width = kept.sizes[2 * c + 1]!;
    if (m >= 2) {
      const others = new Float64Array(width);
      const w = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let wSum = 0;
        for (let k = 0; k < m; k++) wSum += w[k] = k === i ? 0 : weightOfUser[kept.judgmentUser[j0 + k]!]!;
        const norm = wSum > 0 ? wSum : m - 1;
        for (let x = 0; x < width; x++) {
          let s = 0;
          for (let k = 0; k < m; k++) {
            const r = kept.ranks[r0 + k * width + x]!;
            s += (wSum > 0 ? w[k]! : k === i ? 0 : 1) * (Number.isNaN(r) ? 0 : r);
          }
          others[x] = s / norm;
        }
        const tau = kendallTau(kept.ranks.subarray(r0 + i * width, r0 + (i + 1) * width), others);
        if (!Number.isNaN(tau)) {
          const u = kept.judgmentUser[j0 + i]!;
          sum[u] = (sum[u] ?? 0) + tau;
          items[u] = (items[u] ?? 0) + 1;
        }
      }
    }
    j0 += m;
    r0 += m * width;
  }
  const out = new Map<string, { tau: number | null; items: number }>();
  kept.users.forEach((id, u) => out.set(id, { tau: items[u] ? sum[u]! / items[u] : null, items: items[u] ?? 0 }));
  return out;
}

type Accumulated = Awaited<ReturnType<typeof accumulateQuality>>;

/** The one pass over the judgments (exported for the benchmark): every accumulator, and the kept ranks. */
export async function accumulateQuality(projectId: string, pageSize?: number) {
  const alpha = new NominalAlpha();
  const alphaByWeek = new Map<string, NominalAlpha>();
  const labellers = new Map<string, LabellerAcc>();
  const pairTau = new Map<string, { sum: number; items: number }>();
  const overall = newPositions();
  const allActive: number[] = [];
  const kept = new KeptRanks();
  let comparisons = 0;
  let judgments = 0;
  let tauSum = 0;
  let tauItems = 0;
  // Imported judgments (User.importedFrom) carry rankings but no timing or shown order: they count for agreement,
  // never for the too-fast, kept-order or position-bias figures.
  const imported = new Set(
    (await getDb().user.findMany({ where: { importedFrom: { not: null } }, select: { id: true } })).map((u) => u.id),
  );

  for await (const group of scanComparisonGroups(projectId, pageSize)) {
    comparisons++;
    const js = group.judgments;
    judgments += js.length;
    const ranks = js.map((j) => midRanks(j.tiers));
    const prefs = js.map((j) => pairPreferences(j.tiers));
    const candidateIds = [...new Set(js.flatMap((j) => j.shownOrder))].sort();
    const vectors = ranks.map((m) => candidateIds.map((id) => m.get(id) ?? NaN));
    kept.add(
      js.map((j) => j.userId),
      vectors,
      candidateIds.length,
    );

    // Krippendorff's alpha: one unit per candidate pair, one value per labeller. The same counts give the outlier
    // test each labeller's "others": all votes on the pair less their own.
    let latest = -Infinity;
    for (const j of js) latest = Math.max(latest, j.createdAt.getTime());
    const week = weekOf(new Date(latest));
    let weekly = alphaByWeek.get(week);
    if (!weekly) alphaByWeek.set(week, (weekly = new NominalAlpha()));
    const votes = new Map<string, VoteCounts & { values: PairValue[] }>();
    for (const p of prefs)
      for (const [key, v] of p) {
        let c = votes.get(key);
        if (!c) votes.set(key, (c = { "<": 0, ">": 0, "=": 0, n: 0, values: [] }));
        c[v]++;
        c.n++;
        c.values.push(v);
      }
    for (const c of votes.values()) {
      alpha.addUnit(c.values);
      weekly.addUnit(c.values);
    }

    for (let i = 0; i < js.length; i++) {
      const j = js[i]!;
      let acc = labellers.get(j.userId);
      if (!acc) labellers.set(j.userId, (acc = newLabeller()));
      const r = ranks[i]!;
      acc.judgments++;
      if (!imported.has(j.userId)) {
        acc.activeMs.push(j.activeMs);
        allActive.push(j.activeMs);
        if (keepsShownOrder(j, r)) acc.keepsOrder++;
        acc.chanceKeepsOrder += 1 / factorial(j.shownOrder.length);
        addPositions(acc.positions, j, r);
        addPositions(overall, j, r);
      }
      // Tau-b with each other labeller of this comparison.
      for (let o = i + 1; o < js.length; o++) {
        const tau = kendallTau(vectors[i]!, vectors[o]!);
        if (Number.isNaN(tau)) continue;
        tauSum += tau;
        tauItems++;
        const otherId = js[o]!.userId;
        let other = labellers.get(otherId);
        if (!other) labellers.set(otherId, (other = newLabeller()));
        acc.othersTauSum += tau;
        acc.othersItems++;
        other.othersTauSum += tau;
        other.othersItems++;
        const key = j.userId < otherId ? `${j.userId}\u0000${otherId}` : `${otherId}\u0000${j.userId}`;
        const pt = pairTau.get(key);
        if (pt) {
          pt.sum += tau;
          pt.items++;
        } else pairTau.set(key, { sum: tau, items: 1 });
      }
      // Outlier test (after Chatbot Arena's anomalous-user detection): how likely are this labeller's pairwise
      // votes under the others' votes on the same pairs, against how likely they would be from a typical other
      // labeller. The pairs of one ranking are dependent, so a judgment's variance is bounded by (Σ sd)²;
      // comparisons are independent. z = (Σ ln P − Σ E) / √Σ bound; p = Φ(z).
      let lik = 0;
      let mean = 0;
      let sd = 0;
      let pairs = 0;
      for (const [key, vote] of prefs[i]!) {
        const all = votes.get(key)!;
        if (all.n - 1 < 2) continue;
        const v = voteLikelihood(all, vote);
        lik += v.logLik;
        mean += v.mean;
        sd += v.sd;
        pairs++;
      }
      if (pairs > 0) {
        acc.logLik += lik;
        acc.expectedLogLik += mean;
        acc.varianceBound += sd * sd;
        acc.outlierItems++;
      }
    }
  }
  return { alpha, alphaByWeek, labellers, pairTau, overall, allActive, kept, comparisons, judgments, tauSum, tauItems };
}

/** What the Quality tab shows, from the pass's accumulators and one round of leave-one-out agreement. */
function report(
  acc: Accumulated,
  loo: Map<string, { tau: number | null; items: number }>,
  userById: Map<string, { id: string; email: string; name: string; importedFrom: string | null }>,
  gold: { byUser: Map<string, TGoldAccuracy>; minJudgments: number },
) {
  const { labellers, pairTau, overall, allActive, comparisons, judgments, tauSum, tauItems } = acc;
  const projectMedian = median(allActive);
  const tooFastBelow = projectMedian === null ? 0 : projectMedian * TOO_FAST_SHARE_OF_MEDIAN;

  const rows = [...labellers.entries()].map(([userId, a]) => {
    const looTau = loo.get(userId)?.tau ?? null;
    const tooFastShare = a.activeMs.filter((ms) => ms < tooFastBelow).length / a.judgments;
    const keepsOrderShare = a.keepsOrder / a.judgments;
    const chanceKeeps = a.chanceKeepsOrder / a.judgments;
    const excessOrderShare = chanceKeeps >= 1 ? 0 : Math.max(0, (keepsOrderShare - chanceKeeps) / (1 - chanceKeeps));
    const outlierZ =
      a.outlierItems && a.varianceBound > 0 ? (a.logLik - a.expectedLogLik) / Math.sqrt(a.varianceBound) : null;
    const outlierP = outlierZ === null ? null : lowerTail(outlierZ);
    const outlier = outlierP !== null && a.outlierItems >= MIN_JUDGMENTS && outlierP < SIGNIFICANCE;
    const bias = biasTest(a.positions);
    // The reliability score: agreement with the others' consensus (negative counts as none), discounted by the
    // share of too-fast submissions, by how much more often than chance the shown order is kept, and halved for
    // an outlier. 0 = no evidence of reliable work, 1 = agrees perfectly, never too fast, no order habit.
    // With at least the project's goldMinJudgments gold judgments, the mean gold score is one more factor.
    const goldAcc = gold.byUser.get(userId) ?? null;
    const goldFactor = goldAcc && goldAcc.judgments >= gold.minJudgments ? goldAcc.meanScore : 1;
    const score =
      looTau === null
        ? null
        : Math.max(0, looTau) * (1 - tooFastShare) * (1 - excessOrderShare) * (outlier ? 0.5 : 1) * goldFactor;
    const flags: string[] = [];
    if (a.judgments >= MIN_JUDGMENTS) {
      if (looTau !== null && looTau < 0) flags.push("against-consensus");
      if (outlier) flags.push("outlier");
      if (bias.significant) flags.push("position-bias");
      if (keepsOrderShare > KEEPS_ORDER_FLAG_SHARE) flags.push("keeps-shown-order");
      if (tooFastShare > 0.25) flags.push("too-fast");
    }
    const u = userById.get(userId);
    return {
      userId,
      email: u?.email ?? "(deleted)",
      name: u?.name ?? "",
      /** Set for an account of imported judgments: shown as imported, no timing or order figures. */
      importedFrom: u?.importedFrom ?? null,
      judgments: a.judgments,
      tauWithOthers: a.othersItems ? a.othersTauSum / a.othersItems : null,
      tauItems: a.othersItems,
      looTau,
      looItems: loo.get(userId)?.items ?? 0,
      medianActiveMs: median(a.activeMs),
      tooFastShare,
      keepsOrderShare,
      chanceKeepsOrderShare: chanceKeeps,
      outlier: { z: outlierZ, pValue: outlierP, judgments: a.outlierItems, flagged: outlier },
      bias,
      gold: goldAcc,
      score,
      flags,
    };
  });
  rows.sort((x, y) => (y.score ?? -1) - (x.score ?? -1) || (y.looTau ?? -2) - (x.looTau ?? -2));

  const a = acc.alpha.result();
  const pairs = [...pairTau.entries()]
    .map(([key, v]) => {
      const [x, y] = key.split("\u0000") as [string, string];
      return {
        a: userById.get(x)?.email ?? x,
        b: userById.get(y)?.email ?? y,
        meanTau: v.sum / v.items,
        items: v.items,
      };
    })
    .sort((p, q) => q.items - p.items)
    .slice(0, 100);
  return {
    comparisons,
    judgments,
    alpha: { alpha: Number.isNaN(a.alpha) ? null : a.alpha, units: a.units, values: a.pairableValues },
    alphaByWeek: [...acc.alphaByWeek.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([week, w]) => {
        const r = w.result();
        return { week, alpha: Number.isNaN(r.alpha) ? null : r.alpha, units: r.units };
      }),
    tau: { mean: tauItems ? tauSum / tauItems : null, items: tauItems },
    labellerPairs: pairs,
    positionBias: biasTest(overall),
    medianActiveMs: projectMedian,
    tooFastBelowMs: tooFastBelow,
    labellers: rows,
    thresholds: {
      significance: SIGNIFICANCE,
      tooFastShareOfMedian: TOO_FAST_SHARE_OF_MEDIAN,
      minJudgments: MIN_JUDGMENTS,
      goldMinJudgments: gold.minJudgments,
    },
  };
}
