// Quality control of one project, computed from its judgments in one streaming pass (scan-judgments.ts):
// agreement (Krippendorff's alpha over pairwise items, overall and per week; Kendall's tau-b between labellers on
// the comparisons they share), the position-bias audit, and each labeller's reliability inputs and score.
// The README of this folder and README.md's admin guide document every figure; the thresholds are below.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { chiSquareGoodnessOfFit } from "./stats/chi-square";
import { kendallTauB } from "./stats/kendall";
import { NominalAlpha } from "./stats/krippendorff";
import { midRanks, pairPreferences, type PairValue } from "./stats/rankings";
import { normalTwoSided } from "./stats/special-functions";
import { scanComparisonGroups, type ScannedJudgment } from "./scan-judgments";
import { goldAccuracyByLabeller, type TGoldAccuracy } from "./gold-accuracy";

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
  looTauSum: number;
  looItems: number;
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
  looTauSum: 0,
  looItems: 0,
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

/**
 * The labeller's vote on one pairwise item against the others' votes on it, smoothed (add one per value):
 * its log-likelihood ln P(vote), and that log-likelihood's mean and variance had the labeller voted like a random
 * other labeller.
 */
function voteLikelihood(others: PairValue[], vote: PairValue) {
  const n = others.length;
  const prob = (v: PairValue) => (others.filter((o) => o === v).length + 1) / (n + 3);
  const ps = (["<", ">", "="] as const).map(prob);
  const mean = ps.reduce((s, q) => s + q * Math.log(q), 0);
  const second = ps.reduce((s, q) => s + q * Math.log(q) ** 2, 0);
  return { logLik: Math.log(prob(vote)), mean, sd: Math.sqrt(Math.max(0, second - mean * mean)) };
}

/** One-sided normal p-value Φ(z) (small when the votes are less likely than expected). */
function lowerTail(z: number) {
  return z >= 0 ? 1 - normalTwoSided(z) / 2 : normalTwoSided(z) / 2;
}

export type LabellerQuality = Awaited<ReturnType<typeof computeQuality>>["labellers"][number];

/**
 * Two passes over the judgments: the first measures agreement with the others' plain mean ranking; the second
 * measures it again against the others' ranking weighted by the first pass's scores (one reweighting step, so
 * adversarial or random labellers stop blurring the consensus everyone is compared with). Figures other than
 * the leave-one-out agreement, the outlier test and the score are the same in both passes.
 */
export async function computeQuality(opts: { projectId: string; pageSize?: number }) {
  const db = getDb();
  const project = await db.project.findUnique({
    where: { id: opts.projectId },
    select: { id: true, goldMinJudgments: true },
  });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const gold = { byUser: await goldAccuracyByLabeller(project.id), minJudgments: project.goldMinJudgments };
  const first = await computePass(project.id, opts.pageSize, null, gold);
  return computePass(project.id, opts.pageSize, scoresAsWeights(first.labellers), gold);
}

export function scoresAsWeights(rows: { userId: string; score: number | null }[]): Map<string, number> {
  const known = rows
    .map((l) => l.score)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
  const fallback = known.length ? known[known.length >> 1]! : 1;
  return new Map(rows.map((l) => [l.userId, l.score ?? fallback]));
}

async function computePass(
  projectId: string,
  pageSize: number | undefined,
  looWeights: Map<string, number> | null,
  gold: { byUser: Map<string, TGoldAccuracy>; minJudgments: number },
) {
  const db = getDb();
  const project = { id: projectId };

  const alpha = new NominalAlpha();
  const alphaByWeek = new Map<string, NominalAlpha>();
  const labellers = new Map<string, LabellerAcc>();
  const pairTau = new Map<string, { sum: number; items: number }>();
  const overall = newPositions();
  const allActive: number[] = [];
  let comparisons = 0;
  let judgments = 0;
  let tauSum = 0;
  let tauItems = 0;
  // Imported judgments (User.importedFrom) carry rankings but no timing or shown order: they count for agreement,
  // never for the too-fast, kept-order or position-bias figures.
  const imported = new Set(
    (await db.user.findMany({ where: { importedFrom: { not: null } }, select: { id: true } })).map((u) => u.id),
  );

  for await (const group of scanComparisonGroups(project.id, pageSize)) {
    comparisons++;
    const js = group.judgments;
    judgments += js.length;
    const ranks = js.map((j) => midRanks(j.tiers));
    const prefs = js.map((j) => pairPreferences(j.tiers));
    const candidateIds = [...new Set(js.flatMap((j) => j.shownOrder))].sort();

    // Krippendorff's alpha: one unit per candidate pair, one value per labeller.
    const week = weekOf(new Date(Math.max(...js.map((j) => j.createdAt.getTime()))));
    let weekly = alphaByWeek.get(week);
    if (!weekly) alphaByWeek.set(week, (weekly = new NominalAlpha()));
    const pairKeys = [...new Set(prefs.flatMap((p) => [...p.keys()]))];
    const votesByPair = new Map<string, PairValue[]>();
    for (const key of pairKeys) {
      const values = prefs.map((p) => p.get(key)).filter((v): v is PairValue => v !== undefined);
      votesByPair.set(key, values);
      alpha.addUnit(values);
      weekly.addUnit(values);
    }

    js.forEach((j, i) => {
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
      const vector = (m: Map<string, number>) => candidateIds.map((id) => m.get(id) ?? NaN);
      // Leave-one-out consensus: the others' mean rank of each candidate (weighted in the second pass).
      if (js.length >= 2) {
        const w = js.map((o, k) => (k === i ? 0 : (looWeights?.get(o.userId) ?? 1)));
        const wSum = w.reduce((s, x) => s + x, 0);
        const weightOf = (k: number) => (wSum > 0 ? w[k]! : k === i ? 0 : 1);
        const norm = wSum > 0 ? wSum : js.length - 1;
        const others = candidateIds.map(
          (id) => ranks.reduce((s, m, k) => s + weightOf(k) * (m.get(id) ?? 0), 0) / norm,
        );
        const loo = kendallTauB(vector(r), others).tau;
        if (!Number.isNaN(loo)) {
          acc.looTauSum += loo;
          acc.looItems++;
        }
      }
      // Tau-b with each other labeller of this comparison.
      for (let o = i + 1; o < js.length; o++) {
        const tau = kendallTauB(vector(r), vector(ranks[o]!)).tau;
        if (Number.isNaN(tau)) continue;
        tauSum += tau;
        tauItems++;
        const other = labellers.get(js[o]!.userId) ?? newLabeller();
        labellers.set(js[o]!.userId, other);
        for (const a of [acc, other]) {
          a.othersTauSum += tau;
          a.othersItems++;
        }
        const key = [j.userId, js[o]!.userId].sort().join("\u0000");
        const pt = pairTau.get(key) ?? { sum: 0, items: 0 };
        pt.sum += tau;
        pt.items++;
        pairTau.set(key, pt);
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
        const others = prefs
          .filter((_, o) => o !== i)
          .map((p) => p.get(key))
          .filter((v): v is PairValue => !!v);
        if (others.length < 2) continue;
        const v = voteLikelihood(others, vote);
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
    });
  }

  const projectMedian = median(allActive);
  const tooFastBelow = projectMedian === null ? 0 : projectMedian * TOO_FAST_SHARE_OF_MEDIAN;
  const users = await db.user.findMany({
    where: { id: { in: [...labellers.keys()] } },
    select: { id: true, email: true, name: true, importedFrom: true },
  });
  const userById = new Map(users.map((u) => [u.id, u]));

  const rows = [...labellers.entries()].map(([userId, a]) => {
    const looTau = a.looItems ? a.looTauSum / a.looItems : null;
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
      looItems: a.looItems,
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

  const a = alpha.result();
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
    alphaByWeek: [...alphaByWeek.entries()]
      .sort(([x], [y]) => x.localeCompare(y))
      .map(([week, acc]) => {
        const r = acc.result();
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
