// A training round end to end on the real database, with the built-in model and the engine's trainer
// in child processes: generated candidates are ranked (longer answers first, a preference DPO can
// learn), the round trains DPO, registers a policy version with lineage and metrics, promotes it, and
// the next candidates come from it. A round whose loss goes non-finite fails visibly and leaves the
// active version as it was.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../server/test/test-db";
import { makeProject, makeUser } from "../../server/test/factories";
import { ensureBuiltinPolicy } from "../../server/services/models/builtin-policy";
import { leaseNext } from "../../server/services/queue/lease-next";
import { submitJudgment } from "../../server/services/queue/submit-judgment";
import { requestTrainingRun } from "../../server/services/training/request-training-run";
import { getModelsOverview } from "../../server/services/training/models-overview";
import { ZPolicyObjective } from "../../server/domain";
import { updateProject } from "../../server/services/projects/mutate-project";
import { activatePolicy, shouldPromote } from "../../server/services/training/training-run-state";
import { generateCandidates, policyDir } from "../generation/generate-job";
import { trainRewardStep } from "./reward-step";
import { trainRound } from "./train-round-job";

const t = useTestDb();
const ctx = () => ({ jobId: "test", attempt: 1, signal: new AbortController().signal });
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-models-"));
beforeAll(() => void (process.env.PREFLOOP_MODELS_DIR = modelsDir));
afterAll(() => fs.rmSync(modelsDir, { recursive: true, force: true }));

const QUESTIONS = [
  "What's the capital city of Algeria?",
  "Name the capital of Jersey.",
  "What currency does Christmas Island use?",
  "Is 1 more than 12?",
  "Tell me: is 19 greater than 16?",
  "What is 3 plus 4?",
  "What is 9 minus 2?",
  "How many letters are in the word cat?",
  "What is the first letter of apple?",
  "Spell the word house.",
  "Which continent is Peru in?",
  "What language do they speak in Algeria?",
];

async function rankAll(projectId: string, slug: string, labellers: { id: string }[]) {
  let judged = 0;
  for (const u of labellers) {
    for (;;) {
      const task = await leaseNext({ userId: u.id, projectSlug: slug });
      if (!task) break;
      // Longer answers first: a consistent preference the policy can learn.
      const order = [...task.candidates].sort((a, b) => b.text.length - a.text.length || a.id.localeCompare(b.id));
      await submitJudgment({
        userId: u.id,
        assignmentId: task.assignmentId,
        tiers: order.map((c) => [c.id]),
        noneAcceptable: false,
        flags: {},
        rationale: "",
        totalMs: 1000,
        activeMs: 900,
      });
      judged++;
    }
  }
  expect(judged).toBeGreaterThan(0);
  return judged;
}

describe("train.round job", () => {
  it("trains, registers and promotes a new policy; the next candidates come from it", async () => {
    const db = t.db();
    const project = await makeProject({ prompts: 0, candidates: 3, overlap: 1 });
    const house = await ensureBuiltinPolicy();
    const admin = await makeUser({ role: "admin" });
    await db.project.update({
      where: { id: project.id },
      data: {
        policyVersionId: house.id,
        candidateBuffer: QUESTIONS.length,
        samplingParams: { temperature: 1, topP: 1, topK: 0, maxNewTokens: 32 },
      },
    });
    for (const [i, q] of QUESTIONS.entries())
      await db.prompt.create({
        data: { projectId: project.id, seq: i + 1, contentHash: `q${i}`, messages: [{ role: "user", content: q }] },
      });
    await generateCandidates.run({ projectId: project.id }, ctx());
    expect(await db.comparison.count({ where: { projectId: project.id, round: 0 } })).toBe(QUESTIONS.length);
    // Nothing to learn from yet: refused before any run is created.
    await expect(requestTrainingRun({ projectId: project.id, trigger: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
      message: expect.stringMatching(/at least 2/) as unknown,
    });
    expect(await db.trainingRun.count({ where: { projectId: project.id } })).toBe(0);
    await rankAll(project.id, project.slug, [await makeUser(), await makeUser()]);

    const { runId, number } = await requestTrainingRun({ projectId: project.id, trigger: "admin" });
    expect(number).toBe(1);
    await expect(requestTrainingRun({ projectId: project.id, trigger: "admin" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const t0 = Date.now();
    const result = (await trainRound.run({ runId }, ctx())) as {
      versionId: string;
      isPromoted: boolean;
      pairs: number;
      rewardVersionId: string;
    };
    console.log(`round wall time ${Date.now() - t0} ms`);
    const run = await db.trainingRun.findUniqueOrThrow({ where: { id: runId }, include: { policyVersion: true } });
    expect(run).toMatchObject({ status: "done", judgments: QUESTIONS.length, parentVersionId: house.id });
    expect(run.pairs).toBe(result.pairs);
    expect(run.pairs).toBeGreaterThanOrEqual(QUESTIONS.length); // at least one pair per ranking
    const steps = run.metrics as { step: number; loss: number }[];
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => Number.isFinite(s.loss))).toBe(true);
    expect(run.policyVersion).toMatchObject({ kind: "policy", parentId: house.id, name: `${project.slug}-round-1` });
    expect(fs.existsSync(path.join(run.policyVersion!.path, "model.safetensors"))).toBe(true);
    expect(run.policyVersion!.path.startsWith(modelsDir)).toBe(true);

    // Step 1: the reward model, registered beside the policy with its lineage, held-out accuracy and loss curve.
    const reward = await db.modelVersion.findUniqueOrThrow({ where: { name: `${project.slug}-round-1-reward` } });
    expect(reward).toMatchObject({ kind: "reward", parentId: house.id });
    expect(reward.id).toBe(result.rewardVersionId);
    expect(run.rewardVersionId).toBe(reward.id); // the run names the reward model it trained
    expect(reward.path.startsWith(modelsDir)).toBe(true);
    expect(fs.existsSync(path.join(reward.path, "model.safetensors"))).toBe(true);
    const rm = reward.metadata as {
      trainingRunId: string;
      dataCutoff: string;
      seed: number;
      hyperParams: { lr: number };
      evaluation: Record<string, number>;
      losses: { step: number; loss: number }[];
    };
    expect(rm).toMatchObject({ trainingRunId: runId, dataCutoff: run.dataCutoff!.toISOString(), seed: 42 });
    expect(rm.hyperParams.lr).toBeGreaterThan(0);
    expect(Number.isFinite(rm.evaluation.eval_accuracy)).toBe(true);
    expect(rm.losses.length).toBeGreaterThan(0);
    expect(rm.losses.every((s) => Number.isFinite(s.loss))).toBe(true);
    const rewardAccuracy = rm.evaluation.eval_accuracy!;
    const overview = await getModelsOverview({ projectId: project.id });
    expect(overview.rewardModels).toEqual([
      expect.objectContaining({ id: reward.id, round: 1, parent: house.name, heldOutAccuracy: rewardAccuracy }),
    ]);
    expect(overview.versions.map((v) => v.id)).not.toContain(reward.id); // never offered as a policy
    // No DPO held-out split below 20 judgments; the reward model's split (from 10) holds out prompts on which the
    // new policy and the current one are compared, scored by the reward model.
    const ev = run.evaluation as Record<string, number>;
    expect(Object.keys(ev).sort()).toEqual([
      "eval_current_reward",
      "eval_kl",
      "eval_new_reward",
      "eval_prompts",
      "eval_win_rate",
      "reward_eval_accuracy",
      "reward_eval_loss",
      "reward_eval_margin",
    ]);
    expect(Object.values(ev).every((v) => Number.isFinite(v))).toBe(true);
    expect(ev.eval_prompts).toBeGreaterThan(0);
    expect(ev.eval_win_rate).toBeGreaterThanOrEqual(0);
    expect(ev.eval_win_rate).toBeLessThanOrEqual(1);
    expect(ev.reward_eval_accuracy).toBe(rewardAccuracy);
    // Promoted exactly when the new policy wins more than half of the held-out prompts.
    expect(result.isPromoted).toBe(ev.eval_win_rate! > 0.5);
    if (!result.isPromoted)
      await activatePolicy({ projectId: project.id, versionId: result.versionId, actorId: admin.id });
    const after = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(after).toMatchObject({ policyVersionId: result.versionId, currentRound: 1 });
    await generateCandidates.run({ projectId: project.id }, ctx());
    const next = await db.comparison.findMany({
      where: { projectId: project.id, round: 1 },
      include: { candidates: true },
    });
    expect(next.length).toBeGreaterThan(0);
    for (const c of next) {
      expect(c.policyVersionId).toBe(result.versionId);
      // From the new version, except head-to-head comparisons: the first ceil(K/2) from it, the rest from its parent.
      const versions = c.candidates.sort((a, b) => a.position - b.position).map((x) => x.modelVersionId);
      const own = Math.ceil(versions.length / 2);
      const isHeadToHead = versions.includes(house.id);
      expect(versions).toEqual(
        isHeadToHead
          ? versions.map((_, i) => (i < own ? result.versionId : house.id))
          : versions.map(() => result.versionId),
      );
    }
    // Every candidate of the round came from the new version or its parent, and most from the new one.
    const all = next.flatMap((c) => c.candidates.map((x) => x.modelVersionId));
    expect(all.filter((v) => v === result.versionId).length).toBeGreaterThan(all.length / 2);
  }, 300_000);

  it("the policy objective setting is validated and kept for projects with a policy", async () => {
    expect(ZPolicyObjective.safeParse("ppo").error?.issues[0]?.message).toMatch(/one of dpo, rloo, dpo_rloo/);
    const admin = await makeUser({ role: "admin" });
    const imported = await makeProject({ prompts: 1 });
    const settings = { name: imported.name, description: "", candidatesPerPrompt: 2, overlap: 1, leaseMinutes: 30 };
    await expect(
      updateProject({ actorId: admin.id, projectId: imported.id, settings, objective: "rloo" }),
    ).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/no policy/) as unknown });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: imported.id } })).policyObjective).toBe("dpo");
  });

  it("the reward step's trained head orders more held-out pairs as the labellers did than an untrained one", async () => {
    // A rule learnable from few rows, on 30 prompts (6 held out): " yes :)" over " maybe" over " no".
    const data = path.join(modelsDir, "rule.jsonl");
    const rows = Array.from({ length: 30 }, (_, i) => ({
      prompt: `Question ${i}: is ${i} a number?`,
      completions: i % 2 ? [" no", " yes :)", " maybe"] : [" maybe", " no", " yes :)"],
      ranks: i % 2 ? [2, 0, 1] : [1, 2, 0],
    }));
    fs.writeFileSync(data, rows.map((r) => JSON.stringify(r)).join("\n"));
    const step = (override?: { lr: number }) =>
      trainRewardStep({
        base: policyDir("builtin:house"),
        data,
        dir: fs.mkdtempSync(path.join(modelsDir, "rule-")),
        judgments: rows.length,
        maxLength: 256,
        signal: new AbortController().signal,
        ...(override ? { override } : {}),
      });
    const trained = (await step()).evaluation;
    const untrained = (await step({ lr: 0 })).evaluation; // the head and adapter as initialised
    console.log(`reward held-out accuracy: trained ${trained.eval_accuracy}, untrained ${untrained.eval_accuracy}`);
    expect(Number.isFinite(untrained.eval_accuracy)).toBe(true);
    expect(trained.eval_accuracy).toBeGreaterThan(untrained.eval_accuracy!);
    expect(trained.eval_loss).toBeLessThan(untrained.eval_loss!);
  }, 300_000);

  it("a round whose loss is not finite fails with the reason and changes nothing", async () => {
    const db = t.db();
    const project = await db.project.findFirstOrThrow({ where: { trainingRuns: { some: {} } } });
    const before = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    await rankAll(project.id, project.slug, [await makeUser()]);
    const { runId } = await requestTrainingRun({ projectId: project.id, trigger: "admin", hyperParams: { lr: 1e30 } });
    await expect(trainRound.run({ runId }, ctx())).rejects.toThrow(/not finite/);
    await trainRound.onFailed!({ runId }, "training stopped: the loss is not finite");
    const run = await db.trainingRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run).toMatchObject({ status: "failed", policyVersionId: null, isPromoted: false });
    expect(run.error).toMatch(/not finite/);
    const after = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(after).toMatchObject({ policyVersionId: before.policyVersionId, currentRound: before.currentRound });
  }, 300_000);

  it("RLOO, and DPO then RLOO, train against the round's reward model as the project's setting says", async () => {
    const db = t.db();
    const project = await db.project.findFirstOrThrow({ where: { trainingRuns: { some: {} } } });
    for (const objective of ["rloo", "dpo_rloo"] as const) {
      await db.project.update({ where: { id: project.id }, data: { policyObjective: objective } });
      const { runId } = await requestTrainingRun({ projectId: project.id, trigger: "admin" });
      const t0 = Date.now();
      await trainRound.run({ runId }, ctx());
      console.log(`${objective} round wall time ${Date.now() - t0} ms`);
      const run = await db.trainingRun.findUniqueOrThrow({ where: { id: runId }, include: { policyVersion: true } });
      const hp = run.hyperParams as {
        objective: string;
        rloo: { numGenerations: number; from: string };
        lr?: number;
      };
      expect(run).toMatchObject({ status: "done", objective });
      expect(hp.objective).toBe(objective);
      expect(hp.rloo.numGenerations).toBe(4);
      expect(hp.lr !== undefined).toBe(objective === "dpo_rloo"); // DPO's hyper-parameters only when it ran
      const ev = run.evaluation as Record<string, number>;
      expect(Number.isFinite(ev.rloo_reward)).toBe(true);
      expect(Number.isFinite(ev.rloo_kl)).toBe(true);
      expect(Number.isFinite(ev.reward_eval_accuracy)).toBe(true);
      for (const k of ["eval_win_rate", "eval_kl", "eval_new_reward", "eval_current_reward"])
        expect(Number.isFinite(ev[k]), k).toBe(true);
      const steps = run.metrics as { step: number; loss: number }[];
      expect(steps.every((e) => Number.isFinite(e.loss))).toBe(true);
      // Steps numbered once across DPO then RLOO.
      expect(steps.map((e) => e.step)).toEqual(steps.map((_, i) => i + 1));
      expect(run.policyVersion!.path).toMatch(/rloo[/\\]model$/);
      expect(fs.existsSync(path.join(run.policyVersion!.path, "model.safetensors"))).toBe(true);
      // After DPO, RLOO starts from (and keeps its KL to) this round's DPO policy; alone, from the parent.
      expect(hp.rloo).toMatchObject({ from: objective === "dpo_rloo" ? "dpo" : "parent" });
    }
    await db.project.update({ where: { id: project.id }, data: { policyObjective: "dpo" } });
  }, 300_000);
});

describe("the promotion bar", () => {
  it("needs held-out reward accuracy of at least 0.5 and finite numbers; no evaluation promotes a finite run", () => {
    expect(shouldPromote({})).toBe(true);
    expect(shouldPromote({ "eval_rewards/accuracies": 0.5, eval_loss: 0.69 })).toBe(true);
    expect(shouldPromote({ "eval_rewards/accuracies": 0.49, eval_loss: 0.69 })).toBe(false);
    expect(shouldPromote({ "eval_rewards/accuracies": 0.9, eval_loss: Number.NaN })).toBe(false);
  });

  it("with a new-vs-current evaluation: a win rate above 0.5 and finite numbers; DPO's accuracy only reported", () => {
    const ev = { eval_win_rate: 0.6, eval_new_reward: 0.2, eval_current_reward: 0.1, eval_kl: 0.3 };
    expect(shouldPromote(ev)).toBe(true);
    expect(shouldPromote({ ...ev, eval_win_rate: 0.5 })).toBe(false); // a tie is no improvement
    expect(shouldPromote({ ...ev, eval_win_rate: 0.4, "eval_rewards/accuracies": 1 })).toBe(false);
    expect(shouldPromote({ ...ev, "eval_rewards/accuracies": 0.2 })).toBe(true);
    expect(shouldPromote({ ...ev, eval_kl: Number.NaN })).toBe(false);
    expect(shouldPromote({ ...ev, eval_new_reward: Number.POSITIVE_INFINITY })).toBe(false);
  });
});
