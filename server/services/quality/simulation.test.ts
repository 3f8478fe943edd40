// Simulated labellers with known reliabilities rank a real project through the queue (lease, submit); quality
// control must tell them apart. Truth: a candidate's creation position (0 best). Labellers rank noisy utilities
// (Thurstone: −position + N(0, σ²), near-equal utilities tied), except a random one, an adversarial one that
// reverses the truth, and one that always keeps the shown order (and hurries).
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { computeQuality } from "./compute-quality";
import { forEachConsensus, reliabilityWeights } from "./consensus-rankings";

const t = useTestDb();

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(20261203);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

type Kind = { name: string; sigma?: number; behaviour?: "random" | "adversarial" | "keeper" };
const KINDS: Kind[] = [
  { name: "careful", sigma: 0.3 },
  { name: "good", sigma: 0.7 },
  { name: "noisy", sigma: 1.3 },
  { name: "very-noisy", sigma: 2.5 },
  { name: "random", behaviour: "random" },
  { name: "adversarial", behaviour: "adversarial" },
  { name: "order-keeper", behaviour: "keeper" },
];
const PROMPTS = 60;

function rank(kind: Kind, shown: string[], truth: Map<string, number>): string[][] {
  if (kind.behaviour === "keeper") return shown.map((id) => [id]);
  const utility = new Map(
    shown.map((id) => {
      const u = -truth.get(id)!;
      if (kind.behaviour === "adversarial") return [id, -u];
      if (kind.behaviour === "random") return [id, rand()];
      return [id, u + kind.sigma! * gauss()];
    }),
  );
  const sorted = [...shown].sort((a, b) => utility.get(b)! - utility.get(a)!);
  const tiers: string[][] = [];
  for (const id of sorted) {
    const last = tiers[tiers.length - 1];
    if (last && kind.sigma && Math.abs(utility.get(last[0]!)! - utility.get(id)!) < 0.1) last.push(id);
    else tiers.push([id]);
  }
  return tiers;
}

describe("quality control on simulated labellers", () => {
  it(
    "orders labellers by reliability, flags the adversarial and the order-keeper, and weighted consensus wins",
    { timeout: 180_000 },
    async () => {
      const project = await makeProject({ prompts: PROMPTS, candidates: 4, overlap: KINDS.length });
      const users = await Promise.all(KINDS.map(() => makeUser()));
      const candidates = await t.db().candidate.findMany({
        where: { comparison: { projectId: project.id } },
        select: { id: true, position: true, comparisonId: true },
      });
      const truth = new Map(candidates.map((c) => [c.id, c.position]));
      // Round-robin so every comparison is judged by all, as leases would interleave in practice.
      for (let round = 0; round < PROMPTS; round++) {
        for (const [i, kind] of KINDS.entries()) {
          const task = await leaseNext({ userId: users[i]!.id, projectSlug: project.slug });
          if (!task) throw new Error(`${kind.name} got no task in round ${round}`);
          const shown = task.candidates.map((c) => c.id);
          const ms = kind.behaviour === "keeper" ? 1500 + rand() * 1000 : 15_000 + rand() * 45_000;
          await submitJudgment({
            userId: users[i]!.id,
            assignmentId: task.assignmentId,
            tiers: rank(kind, shown, truth),
            noneAcceptable: false,
            flags: {},
            rationale: "",
            totalMs: ms,
            activeMs: ms,
            now: new Date(task.leasedAt.getTime() + ms),
          });
        }
      }

      const q = await computeQuality({ projectId: project.id, pageSize: 97 }); // small pages: crosses page edges
      expect(q.judgments).toBe(PROMPTS * KINDS.length);
      expect(q.comparisons).toBe(PROMPTS);
      const by = new Map(KINDS.map((k, i) => [k.name, q.labellers.find((l) => l.userId === users[i]!.id)!]));
      const score = (name: string) => by.get(name)!.score!;
      const summary = KINDS.map((k) => `${k.name}=${score(k.name).toFixed(3)}`).join(" ");
      // The honest labellers in order of their noise, all above the three bad ones.
      expect(score("careful"), summary).toBeGreaterThan(score("good"));
      expect(score("good"), summary).toBeGreaterThan(score("noisy"));
      expect(score("noisy"), summary).toBeGreaterThan(score("very-noisy"));
      for (const bad of ["random", "adversarial", "order-keeper"])
        expect(score("very-noisy"), summary).toBeGreaterThan(score(bad));
      expect(by.get("adversarial")!.looTau!).toBeLessThan(-0.3);
      expect(by.get("adversarial")!.flags).toEqual(expect.arrayContaining(["against-consensus", "outlier"]));
      expect(by.get("order-keeper")!.flags).toEqual(
        expect.arrayContaining(["keeps-shown-order", "position-bias", "too-fast"]),
      );
      expect(by.get("order-keeper")!.keepsOrderShare).toBe(1);
      expect(by.get("careful")!.flags).toEqual([]);
      expect(by.get("good")!.flags).toEqual([]);
      // The bias audit finds the order-keeper and only it; the project as a whole shows the bias too.
      expect(q.labellers.filter((l) => l.bias.significant).map((l) => l.userId)).toEqual([
        by.get("order-keeper")!.userId,
      ]);
      // Project-wide, one labeller in seven keeps the shown order: the first shown answer wins (60 + 360/4) / 420
      // = 0.357 of the time against 0.25 by chance. The chi-square at p < 0.001 has only ~90% power here (the
      // shown orders are random), so the check is on the share, 3.9 standard deviations clear of chance + 0.03.
      const first = q.positionBias.positions[0]!;
      expect(first.chanceFirstShare).toBeCloseTo(0.25, 9);
      expect(first.firstShare).toBeGreaterThan(first.chanceFirstShare + 0.03);
      expect(q.positionBias.chiSquare!.df).toBe(3);
      expect(q.alpha.units).toBe(PROMPTS * 6);
      expect(Math.abs(q.alpha.alpha!)).toBeLessThan(0.5); // three of seven labellers work against the others
      expect(q.alphaByWeek.reduce((s, w) => s + w.units, 0)).toBe(PROMPTS * 6);
      expect(q.tau.items).toBe(PROMPTS * ((KINDS.length * (KINDS.length - 1)) / 2));

      // Consensus: how often does it recover the true ranking exactly?
      const exact = async (weighting: "reliability" | "equal", weights?: Map<string, number>) => {
        let hits = 0;
        let confidence = 0;
        let pairs = 0;
        await forEachConsensus({ projectId: project.id, weighting, weights }, (c) => {
          const ids = c.tiers.flat();
          if (c.tiers.every((tier) => tier.length === 1) && ids.every((id, i) => truth.get(id) === i)) hits++;
          for (const p of c.pairs) {
            confidence += p.confidence;
            pairs++;
          }
        });
        return { hits, meanConfidence: confidence / pairs };
      };
      const weights = await reliabilityWeights(project.id);
      const weighted = await exact("reliability", weights);
      const unweighted = await exact("equal");
      const report =
        `reliability-weighted consensus recovers ${weighted.hits}/${PROMPTS} true rankings, unweighted ${unweighted.hits}/${PROMPTS}; ` +
        `alpha ${q.alpha.alpha!.toFixed(3)}; scores ${summary}`;
      console.log(report);
      expect(weighted.hits, report).toBeGreaterThan(unweighted.hits);
      expect(weighted.meanConfidence).toBeGreaterThan(0.5);
    },
  );
});
