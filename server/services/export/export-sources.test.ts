// What an export is made of (raw judgments, consensus, adjudicated, final) and the minimum-agreement filter, on a
// real database: three labellers rank three prompts (two agree, one reverses them), a reviewer adjudicates one.
import { beforeAll, describe, expect, it } from "vitest";
import type { TTiers } from "../../domain";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { sampleConsensus } from "../quality/consensus-rankings";
import { exportCounts, exportLines, type TExportOptions } from "./export-lines";
import { pseudonymize } from "./pseudonym";
import { datasetCard } from "./dataset-card";

const t = useTestDb();
let projectId = "";
let reviewerId = "";
let comparisons: { id: string; ids: string[] }[] = [];
const labellers: string[] = [];

async function rankAll(userId: string, slug: string, order: (ids: string[]) => TTiers, flagFirst: boolean) {
  for (;;) {
    const task = await leaseNext({ userId, projectSlug: slug });
    if (!task) return;
    const ids = comparisons.find((c) => c.id === task.comparisonId)!.ids;
    await submitJudgment({
      userId,
      assignmentId: task.assignmentId,
      tiers: order(ids),
      noneAcceptable: false,
      flags: flagFirst ? { [ids[2]!]: { kinds: ["low_quality"], note: "" } } : {},
      rationale: "",
      totalMs: 4000,
      activeMs: 3000,
    });
  }
}

beforeAll(async () => {
  const project = await makeProject({ prompts: 3, candidates: 3, overlap: 3 });
  projectId = project.id;
  const rows = await t.db().comparison.findMany({
    where: { projectId },
    orderBy: { promptSeq: "asc" },
    include: { candidates: { orderBy: { position: "asc" } } },
  });
  comparisons = rows.map((c) => ({ id: c.id, ids: c.candidates.map((x) => x.id) }));
  for (let i = 0; i < 3; i++) labellers.push((await makeUser()).id);
  // Two labellers rank positions 0 > 1 > 2 (and flag position 2); the third reverses them.
  await rankAll(labellers[0]!, project.slug, (ids) => [[ids[0]!], [ids[1]!], [ids[2]!]], true);
  await rankAll(labellers[1]!, project.slug, (ids) => [[ids[0]!], [ids[1]!], [ids[2]!]], true);
  await rankAll(labellers[2]!, project.slug, (ids) => [[ids[2]!], [ids[1]!], [ids[0]!]], false);
  reviewerId = (await makeUser({ role: "admin" })).id;
  const second = comparisons[1]!;
  // Two adjudications of the second comparison: the latest one counts.
  await t.db().adjudication.create({
    data: {
      projectId,
      comparisonId: second.id,
      reviewerId,
      tiers: [[second.ids[1]!], [second.ids[0]!, second.ids[2]!]],
    },
  });
  await t.db().adjudication.create({
    data: {
      projectId,
      comparisonId: second.id,
      reviewerId,
      tiers: [[second.ids[2]!], [second.ids[0]!, second.ids[1]!]],
      note: "the short answer is right",
      createdAt: new Date(Date.now() + 1000),
    },
  });
});

async function rows(o: Partial<TExportOptions>) {
  const out: Record<string, unknown>[] = [];
  for await (const line of exportLines({ projectId, salt: "s", format: "judgments", ...o }))
    out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
}

describe("export sources", () => {
  it("raw: every judgment, marked as one", async () => {
    const r = await rows({});
    expect(r).toHaveLength(9);
    expect(new Set(r.map((x) => x.ranking_source))).toEqual(new Set(["judgment"]));
    expect(new Set(r.map((x) => x.labeller))).toEqual(new Set(labellers.map((id) => pseudonymize("s", id))));
  });

  it("consensus: one reliability-weighted ranking per comparison, as the Quality tab computes it", async () => {
    const r = await rows({ source: "consensus" });
    expect(r).toHaveLength(3);
    const expected = await sampleConsensus({ projectId, weighting: "reliability", take: 10 });
    for (const row of r) {
      expect(row).toMatchObject({ ranking_source: "consensus", labeller: "consensus", shown_order: [], total_ms: 0 });
      const c = comparisons.find((x) => x.id === row.comparison_id)!;
      // The two who agree outweigh the one who reverses them.
      expect(row.tiers).toEqual([[c.ids[0]], [c.ids[1]], [c.ids[2]]]);
      expect(row.tiers).toEqual(expected.find((e) => e.comparisonId === c.id)!.tiers);
      // Flagged by two of three: kept.
      expect(row.flags).toEqual({ [c.ids[2]!]: { kinds: ["low_quality"], note: "" } });
    }
  });

  it("adjudicated: only the reviewers' rankings, the latest per comparison, with the note", async () => {
    const r = await rows({ source: "adjudicated" });
    const second = comparisons[1]!;
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({
      comparison_id: second.id,
      ranking_source: "adjudicated",
      tiers: [[second.ids[2]], [second.ids[0], second.ids[1]]],
      rationale: "the short answer is right",
      labeller: pseudonymize("s", reviewerId),
    });
  });

  it("final: adjudicated where there is one, consensus elsewhere; TRL pairs follow the chosen ranking", async () => {
    const r = await rows({ source: "final" });
    expect(r.map((x) => x.ranking_source)).toEqual(["consensus", "adjudicated", "consensus"]);
    const pairs: Record<string, unknown>[] = [];
    for await (const line of exportLines({ projectId, format: "trl", source: "final", trlShape: "standard" }))
      pairs.push(JSON.parse(line) as Record<string, unknown>);
    // 3 pairs from each full ranking, 2 from the adjudicated one with a tie.
    expect(pairs).toHaveLength(8);
    const counts = await exportCounts({ projectId, format: "trl", source: "final" });
    expect(counts).toEqual({ rows: 8, judgments: 9, prompts: 3, labellers: 3 });
    const card = await datasetCard({
      project: { slug: "p", name: "P", description: "", overlap: 3 },
      options: { projectId, format: "trl", source: "final" },
    });
    expect(card).toContain("the reviewer's adjudicated ranking where there is one");
  });

  it("minimum agreement keeps only the comparisons whose labellers agree enough", async () => {
    const [a, b, c] = comparisons;
    await t.db().comparison.update({ where: { id: a!.id }, data: { agreement: 0.9 } });
    await t.db().comparison.update({ where: { id: b!.id }, data: { agreement: 0.4 } });
    await t.db().comparison.update({ where: { id: c!.id }, data: { agreement: null } });
    const r = await rows({ minAgreement: 0.5 });
    expect(new Set(r.map((x) => x.comparison_id))).toEqual(new Set([a!.id]));
    expect(await rows({ minAgreement: 0.4, source: "consensus" })).toHaveLength(2);
    expect(await rows({ minAgreement: 0 })).toHaveLength(6); // null (not yet computed) is left out
  });
});
