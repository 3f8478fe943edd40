// The generation job on the real database with the built-in model in a real child process: it fills
// the project's buffer with comparisons of K candidates from the active policy, records how each was
// made, marks a prompt too long for the model's context instead of cutting it, and runs again
// without duplicating anything.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../server/test/test-db";
import { makeProject, makeUser } from "../../server/test/factories";
import { BUILTIN_POLICY, ensureBuiltinPolicy } from "../../server/services/models/builtin-policy";
import { leaseNext } from "../../server/services/queue/lease-next";
import { generateCandidates } from "./generate-job";
import { isHeadToHead } from "../../server/services/generation/plan-generation";
import { submitJudgment } from "../../server/services/queue/submit-judgment";
import { getPolicyLeaderboard } from "../../server/services/training/policy-leaderboard";

const t = useTestDb();
const ctx = () => ({ jobId: "test", attempt: 1, signal: new AbortController().signal });

describe("generate.candidates job", () => {
  it("fills the buffer from the built-in policy, marks too-long prompts, and is idempotent", async () => {
    const db = t.db();
    const project = await makeProject({ prompts: 0, candidates: 3, overlap: 1 });
    const policy = await ensureBuiltinPolicy();
    await db.project.update({
      where: { id: project.id },
      data: {
        policyVersionId: policy.id,
        candidateBuffer: 2,
        samplingParams: { temperature: 1, topP: 0.95, topK: 0, maxNewTokens: 24 },
      },
    });
    const questions = [
      "What's the capital city of Algeria?",
      "word ".repeat(400) + "?",
      "What is 3 plus 4?",
      "Spell cat.",
    ];
    for (const [i, q] of questions.entries())
      await db.prompt.create({
        data: { projectId: project.id, seq: i + 1, contentHash: `g${i}`, messages: [{ role: "user", content: q }] },
      });

    const first = (await generateCandidates.run({ projectId: project.id }, ctx())) as Record<string, unknown>;
    // Buffer 2: the first two prompts are asked; the long one cannot be generated, so one comparison is ready.
    expect(first).toMatchObject({ generated: 1, tooLong: 1, policy: "house-sft", round: 0 });
    const long = await db.prompt.findFirstOrThrow({ where: { projectId: project.id, seq: 2 } });
    expect(long.generationError).toMatch(/more than the model's context of 256/);

    const second = (await generateCandidates.run({ projectId: project.id }, ctx())) as Record<string, unknown>;
    expect(second).toMatchObject({ generated: 1, tooLong: 0 });
    const third = (await generateCandidates.run({ projectId: project.id }, ctx())) as Record<string, unknown>;
    expect(third).toMatchObject({ generated: 0 }); // buffer full

    const comparisons = await db.comparison.findMany({
      where: { projectId: project.id },
      include: { candidates: { orderBy: { position: "asc" } }, prompt: true },
      orderBy: { promptSeq: "asc" },
    });
    expect(comparisons.map((c) => c.promptSeq)).toEqual([1, 3]);
    for (const c of comparisons) {
      expect(c).toMatchObject({ round: 0, status: "open", policyVersionId: policy.id });
      expect(c.candidates).toHaveLength(3);
      for (const [i, cand] of c.candidates.entries()) {
        expect(cand).toMatchObject({ source: "model", modelVersionId: policy.id });
        const params = cand.generationParams as Record<string, number | string>;
        expect(params).toMatchObject({ temperature: 1, top_p: 0.95, top_k: 0, max_new_tokens: 24, stream: i });
        expect(params.token_count).toBeGreaterThan(0);
        expect(params.token_count).toBeLessThanOrEqual(24);
        expect(params.logprob).toBeLessThan(0);
        expect(Number.isInteger(params.seed)).toBe(true);
        expect(cand.text.length).toBeGreaterThan(0);
      }
    }
    // The built-in model knows this capital (it was in pre-training): its answers are words, not noise.
    expect(comparisons[0]!.candidates.some((c) => /algiers/i.test(c.text))).toBe(true);

    // Labellers get the generated comparisons.
    const task = await leaseNext({ userId: (await makeUser()).id, projectSlug: project.slug });
    expect(task?.candidates).toHaveLength(3);
    // No round has trained a reward model yet: nothing is scored.
    expect(comparisons.every((c) => c.rewardMargin === null && c.candidates.every((x) => x.rewardScore === null))).toBe(
      true,
    );
  }, 120_000);

  it("scores each candidate with the reward model of the project's latest round and keeps the smallest gap", async () => {
    const db = t.db();
    const project = await makeProject({ prompts: 0, candidates: 4, overlap: 1 });
    const policy = await ensureBuiltinPolicy();
    await db.project.update({
      where: { id: project.id },
      data: {
        policyVersionId: policy.id,
        candidateBuffer: 2,
        samplingParams: { temperature: 1, topP: 1, topK: 0, maxNewTokens: 16 },
      },
    });
    // The built-in policy's checkpoint read as a reward model (its score head initialised deterministically)
    // stands in for a trained one: what is checked is that the scores reach the candidates.
    const reward = await db.modelVersion.create({
      data: { name: `rm-${project.slug}`, kind: "reward", path: BUILTIN_POLICY.path },
    });
    await db.trainingRun.create({
      data: { projectId: project.id, number: 1, status: "done", rewardVersionId: reward.id },
    });
    for (const [i, q] of ["What is 2 plus 2?", "Spell dog."].entries())
      await db.prompt.create({
        data: { projectId: project.id, seq: i + 1, contentHash: `r${i}`, messages: [{ role: "user", content: q }] },
      });
    const r = (await generateCandidates.run({ projectId: project.id }, ctx())) as Record<string, unknown>;
    expect(r).toMatchObject({ generated: 2, reward: reward.name });
    const comparisons = await db.comparison.findMany({
      where: { projectId: project.id },
      include: { candidates: true },
    });
    expect(comparisons).toHaveLength(2);
    for (const c of comparisons) {
      const scores = c.candidates.map((x) => x.rewardScore!);
      expect(scores.every((s) => Number.isFinite(s))).toBe(true);
      expect(c.candidates.every((x) => x.rewardVersionId === reward.id)).toBe(true);
      expect(new Set(scores).size).toBeGreaterThan(1); // different answers, different scores
      const sorted = [...scores].sort((a, b) => a - b);
      const gap = Math.min(...sorted.slice(1).map((s, i) => s - sorted[i]!));
      expect(c.rewardMargin).toBeCloseTo(gap, 12);
    }
  }, 120_000);

  it("mixes the active policy with the version it was trained from on a share of prompts, for the leaderboard", async () => {
    const db = t.db();
    const project = await makeProject({ prompts: 0, candidates: 4, overlap: 1 });
    const parent = await ensureBuiltinPolicy();
    // A child version with the built-in weights stands in for a trained round.
    const child = await db.modelVersion.create({
      data: { name: `round-1-${project.slug}`, kind: "policy", parentId: parent.id, path: BUILTIN_POLICY.path },
    });
    await db.project.update({
      where: { id: project.id },
      data: {
        policyVersionId: child.id,
        currentRound: 1,
        headToHeadShare: 1,
        candidateBuffer: 3,
        samplingParams: { temperature: 1, topP: 1, topK: 0, maxNewTokens: 12 },
      },
    });
    for (const [i, q] of ["What is 1 plus 2?", "Spell sun.", "What's the capital city of Peru?"].entries())
      await db.prompt.create({
        data: { projectId: project.id, seq: i + 1, contentHash: `h${i}`, messages: [{ role: "user", content: q }] },
      });
    const r = (await generateCandidates.run({ projectId: project.id }, ctx())) as Record<string, unknown>;
    expect(r).toMatchObject({ generated: 3, headToHead: 3, rival: parent.name, round: 1 });
    const comparisons = await db.comparison.findMany({
      where: { projectId: project.id },
      include: { candidates: { orderBy: { position: "asc" } } },
    });
    for (const c of comparisons) {
      expect(c.policyVersionId).toBe(child.id);
      expect(c.candidates.map((x) => x.modelVersionId)).toEqual([child.id, child.id, parent.id, parent.id]);
      const seeds = c.candidates.map((x) => (x.generationParams as { seed: number }).seed);
      expect(seeds[0]).not.toBe(seeds[2]); // the two versions never share random streams
    }
    // Ranked by a labeller, they give the leaderboard head-to-head evidence.
    const userId = (await makeUser()).id;
    for (;;) {
      const task = await leaseNext({ userId, projectSlug: project.slug });
      if (!task) break;
      const ids = task.candidates.map((x) => x.id);
      await submitJudgment({
        userId,
        assignmentId: task.assignmentId,
        tiers: ids.map((id) => [id]),
        noneAcceptable: false,
        flags: {},
        rationale: "",
        totalMs: 1000,
        activeMs: 900,
      });
    }
    const board = await getPolicyLeaderboard({ projectId: project.id, rounds: 20 });
    expect(board.headToHeadJudgments).toBe(3);
    expect(board.ratings.map((x) => x.versionId).sort()).toEqual([child.id, parent.id].sort());
  }, 120_000);

  it("draws head-to-head prompts at the project's share, the same way every time", () => {
    const ids = Array.from({ length: 4000 }, (_, i) => `prompt-${i}`);
    const share = ids.filter((id) => isHeadToHead(id, 2, 0.25)).length / ids.length;
    expect(Math.abs(share - 0.25)).toBeLessThan(0.03);
    expect(ids.filter((id) => isHeadToHead(id, 2, 0)).length).toBe(0);
    expect(ids.every((id) => isHeadToHead(id, 2, 0.25) === isHeadToHead(id, 2, 0.25))).toBe(true);
  });
});
