// The policy leaderboard from real judgments (leased and submitted through the labelling services):
// head-to-head rankings of two versions give Bradley-Terry ratings that match the SciPy reference;
// comparisons that hold one version each give no ratings, and the board says how many it read.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { getPolicyLeaderboard } from "./policy-leaderboard";

const t = useTestDb();

/** A project whose comparisons hold one candidate of each version (in `versionsOf(prompt)` order). */
async function versionedProject(prompts: number, versionsOf: (i: number) => [string, string]) {
  const project = await makeProject({ prompts, candidates: 2, overlap: 1 });
  const comparisons = await t.db().comparison.findMany({
    where: { projectId: project.id },
    include: { candidates: { orderBy: { position: "asc" } }, prompt: true },
    orderBy: { prompt: { seq: "asc" } },
  });
  for (const [i, c] of comparisons.entries()) {
    const [first, second] = versionsOf(i);
    await t.db().candidate.update({ where: { id: c.candidates[0]!.id }, data: { modelVersionId: first } });
    await t.db().candidate.update({ where: { id: c.candidates[1]!.id }, data: { modelVersionId: second } });
  }
  return project;
}

/** One labeller ranks every prompt: `prefer(version ids of the two candidates)` says which comes first. */
async function rankAll(slug: string, prefer: (seq: number) => "first" | "second") {
  const user = await makeUser();
  for (;;) {
    const task = await leaseNext({ userId: user.id, projectSlug: slug });
    if (!task) return;
    const cands = await t.db().candidate.findMany({
      where: { comparisonId: task.comparisonId },
      orderBy: { position: "asc" },
    });
    const seq = (await t.db().prompt.findUniqueOrThrow({ where: { id: task.promptId } })).seq;
    const [a, b] = [cands[0]!.id, cands[1]!.id];
    await submitJudgment({
      userId: user.id,
      assignmentId: task.assignmentId,
      tiers: prefer(seq) === "first" ? [[a], [b]] : [[b], [a]],
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 1000,
      activeMs: 1000,
    });
  }
}

describe("the policy leaderboard", () => {
  it("rates two versions from rankings that hold both (3 wins to 1: SciPy's 1095.36 and 904.64)", async () => {
    const [v1, v2] = await Promise.all(
      ["lb-old", "lb-new"].map((name) =>
        t.db().modelVersion.create({ data: { name: `${name}-${t.provider}`, kind: "policy" } }),
      ),
    );
    // v2 is the first candidate on even prompts: position never decides the outcome.
    const project = await versionedProject(4, (i) => (i % 2 === 0 ? [v2!.id, v1!.id] : [v1!.id, v2!.id]));
    const winnerIsV2 = new Set([1, 2, 3]); // prompt seqs where v2 wins
    await rankAll(project.slug, (seq) => {
      const firstIsV2 = (seq - 1) % 2 === 0;
      return winnerIsV2.has(seq) === firstIsV2 ? "first" : "second";
    });
    const board = await getPolicyLeaderboard({ projectId: project.id, rounds: 50 });
    expect(board).toMatchObject({ judgmentsRead: 4, headToHeadJudgments: 4, isConnected: true });
    expect(board.ratings.map((r) => [r.name, r.wins, r.games])).toEqual([
      [v2!.name, 3, 4],
      [v1!.name, 1, 4],
    ]);
    expect(board.ratings[0]!.rating).toBeCloseTo(1095.360688, 3);
    expect(board.ratings[1]!.rating).toBeCloseTo(904.639312, 3);
    for (const r of board.ratings) expect(r.lower <= r.rating && r.rating <= r.upper).toBe(true);
  });

  it("gives no ratings when every ranking holds one version (the generation's comparisons), but lists them", async () => {
    const v = await t.db().modelVersion.create({ data: { name: `lb-solo-${t.provider}`, kind: "policy" } });
    const project = await versionedProject(2, () => [v.id, v.id]);
    await rankAll(project.slug, () => "first");
    const board = await getPolicyLeaderboard({ projectId: project.id });
    expect(board).toMatchObject({ judgmentsRead: 2, headToHeadJudgments: 0, ratings: [] });
    expect(board.versions).toEqual([{ versionId: v.id, name: v.name, judgments: 2 }]);
  });
});
