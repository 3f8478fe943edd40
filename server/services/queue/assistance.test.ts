// Reward-model assistance in the queue, on a real database: uncertainty sampling serves the comparisons whose
// candidates the reward model separates least first (then the unscored ones in queue order), the suggested order
// is the reward model's and is shown only when the project asks, and each judgment records how its task was picked
// and what was suggested.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "./lease-next";
import { submitJudgment } from "./submit-judgment";
import { getPromptDetail } from "../projects/browse-prompts";

const t = useTestDb();

/** Three comparisons of three candidates; scores give margins 2.0 (first prompt), 0.1 (second), none (third). */
async function scoredProject(settings: { taskSelection: string; suggestOrder: boolean }) {
  const project = await makeProject({ prompts: 3, candidates: 3, overlap: 1 });
  await t.db().project.update({ where: { id: project.id }, data: settings });
  const comparisons = await t.db().comparison.findMany({
    where: { projectId: project.id },
    orderBy: { promptSeq: "asc" },
    include: { candidates: { orderBy: { position: "asc" } } },
  });
  const scores = [[5, 1, 3], [0.2, 0.3, 0.5], null];
  for (const [i, c] of comparisons.entries()) {
    const s = scores[i];
    if (!s) continue;
    for (const [k, cand] of c.candidates.entries())
      await t.db().candidate.update({ where: { id: cand.id }, data: { rewardScore: s[k] } });
    const sorted = [...s].sort((a, b) => a - b);
    await t.db().comparison.update({
      where: { id: c.id },
      data: { rewardMargin: Math.min(sorted[1]! - sorted[0]!, sorted[2]! - sorted[1]!) },
    });
  }
  return { project, comparisons };
}

async function rankInTurn(slug: string, userId: string) {
  const seen: { comparisonId: string; suggested: string[] | null }[] = [];
  for (;;) {
    const task = await leaseNext({ userId, projectSlug: slug, random: () => 0.99 });
    if (!task) return seen;
    seen.push({ comparisonId: task.comparisonId, suggested: task.suggestedOrder });
    await submitJudgment({
      userId,
      assignmentId: task.assignmentId,
      tiers: task.candidates.map((c) => [c.id]),
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 1000,
      activeMs: 900,
    });
  }
}

describe("reward-model assistance in the queue", () => {
  it("uncertainty sampling: smallest reward-model gap first, unscored last; judgments record it", async () => {
    const { project, comparisons } = await scoredProject({ taskSelection: "uncertainty", suggestOrder: false });
    const user = await makeUser();
    const seen = await rankInTurn(project.slug, user.id);
    expect(seen.map((s) => s.comparisonId)).toEqual([comparisons[1]!.id, comparisons[0]!.id, comparisons[2]!.id]);
    expect(seen.every((s) => s.suggested === null)).toBe(true); // not asked for
    const judgments = await t.db().judgment.findMany({ where: { projectId: project.id } });
    const selection = new Map(judgments.map((j) => [j.comparisonId, j.selection]));
    expect(selection.get(comparisons[1]!.id)).toBe("uncertainty");
    expect(selection.get(comparisons[0]!.id)).toBe("uncertainty");
    expect(selection.get(comparisons[2]!.id)).toBe("queue"); // no scores: picked in queue order
    expect(judgments.every((j) => j.suggestedOrder === null)).toBe(true);
  });

  it("queue order ignores the scores; the suggested order is the reward model's, shown and kept", async () => {
    const { project, comparisons } = await scoredProject({ taskSelection: "queue", suggestOrder: true });
    const user = await makeUser();
    const seen = await rankInTurn(project.slug, user.id);
    expect(seen.map((s) => s.comparisonId)).toEqual(comparisons.map((c) => c.id));
    const [first, second] = comparisons;
    const ids = (i: number) => comparisons[i]!.candidates.map((c) => c.id);
    // Scores 5, 1, 3 and 0.2, 0.3, 0.5: best first.
    expect(seen[0]!.suggested).toEqual([ids(0)[0], ids(0)[2], ids(0)[1]]);
    expect(seen[1]!.suggested).toEqual([ids(1)[2], ids(1)[1], ids(1)[0]]);
    expect(seen[2]!.suggested).toBeNull(); // unscored candidates: nothing to suggest
    const judgments = await t.db().judgment.findMany({ where: { projectId: project.id } });
    const byComparison = new Map(judgments.map((j) => [j.comparisonId, j]));
    expect(byComparison.get(first!.id)!.suggestedOrder).toEqual(seen[0]!.suggested);
    expect(byComparison.get(second!.id)!.suggestedOrder).toEqual(seen[1]!.suggested);
    expect(judgments.every((j) => j.selection === "queue")).toBe(true);
  });

  it("admins see each candidate's reward-model score with the prompt", async () => {
    const { project, comparisons } = await scoredProject({ taskSelection: "queue", suggestOrder: false });
    const detail = await getPromptDetail({ projectId: project.id, promptId: comparisons[0]!.promptId });
    const scores = detail.comparisons.flatMap((c) => c.candidates.map((x) => x.rewardScore));
    expect(scores).toEqual([5, 1, 3]);
  });
});
