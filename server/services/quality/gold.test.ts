// Gold comparisons on the real database: marking (validation, isGold mirrored, audit, re-scoring), serving at the
// project's gold rate past the overlap, scoring at submit, the labeller pause and its resume, gold feedback,
// gold accuracy in the Quality tab, and exports leaving gold out by default.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { ZGoldResult, type TCandidateFlags, type TGoldAnswer, type TTiers } from "../../domain";
import { leaseNext } from "../queue/lease-next";
import { nextTaskOrPause } from "../queue/next-task";
import { submitJudgment } from "../queue/submit-judgment";
import { renewLease } from "../queue/renew-lease";
import { exportLines } from "../export/export-lines";
import { setGold } from "./set-gold";
import { scoreGold } from "./score-gold";
import { resumeLabeller, findOpenPauses } from "./labeller-pause";
import { findGoldFeedback } from "./gold-feedback";
import { computeQuality } from "./compute-quality";
import { browsePrompts } from "../projects/browse-prompts";
import { getProjectDashboard } from "../stats/project-dashboard";
import { findLabellerProjects } from "../queue/labeller-progress";

const t = useTestDb();
const ALWAYS = () => 0;
const NEVER = () => 0.999;

/** A project whose first `gold` comparisons are gold, expecting the candidates in position order. */
async function goldProject(o: { prompts: number; gold: number; overlap?: number; candidates?: number }) {
  const admin = await makeUser({ role: "admin" });
  const project = await makeProject({ prompts: o.prompts, overlap: o.overlap ?? 1, candidates: o.candidates ?? 3 });
  const comparisons = await t.db().comparison.findMany({
    where: { projectId: project.id },
    orderBy: { promptSeq: "asc" },
    include: { candidates: { orderBy: { position: "asc" } } },
  });
  const gold = comparisons.slice(0, o.gold);
  for (const c of gold)
    await setGold({
      actorId: admin.id,
      projectId: project.id,
      comparisonId: c.id,
      gold: { tiers: c.candidates.map((k) => [k.id]), note: "The first answer is the most accurate." },
    });
  return { admin, project, comparisons, gold, goldIds: new Set(gold.map((c) => c.id)) };
}

const setRate = (
  projectId: string,
  data: { goldRate?: number; goldPauseBelow?: number | null; goldMinJudgments?: number; goldFeedback?: boolean },
) => t.db().project.update({ where: { id: projectId }, data });

async function submit(
  userId: string,
  task: { assignmentId: string; candidates: { id: string }[] },
  tiers?: TTiers,
  flags: TCandidateFlags = {},
) {
  return submitJudgment({
    userId,
    assignmentId: task.assignmentId,
    tiers: tiers ?? task.candidates.map((c) => [c.id]),
    noneAcceptable: false,
    flags,
    rationale: "",
    totalMs: 1000,
    activeMs: 900,
  });
}

/** The expected order of a comparison's candidates, or its reverse (a sure miss). */
async function positionOrder(comparisonId: string, reverse = false): Promise<TTiers> {
  const ks = await t.db().candidate.findMany({ where: { comparisonId }, orderBy: { position: "asc" } });
  const tiers = ks.map((k) => [k.id]);
  return reverse ? tiers.reverse() : tiers;
}

describe("scoring against a gold answer (hand cases)", () => {
  const gold = (g: Omit<TGoldAnswer, "note">): TGoldAnswer => ({ note: "", ...g });
  it("tau-b against the expected tiers, exactly", () => {
    const swapped = scoreGold(gold({ tiers: [["a"], ["b"], ["c"]] }), [["b"], ["a"], ["c"]], {});
    expect(swapped.result.tau).toBeCloseTo(1 / 3, 12);
    expect(swapped.result.top1).toBe(false);
    expect(swapped.result.flagRecall).toBeNull();
    expect(swapped.result.score).toBeCloseTo((2 / 3 + 0) / 2, 12);
    expect(swapped.isMiss).toBe(true);
    // A tie of the first two: 2 concordant pairs, no discordant, one tied pair on the labeller's side.
    const tied = scoreGold(gold({ tiers: [["a"], ["b"], ["c"]] }), [["a", "b"], ["c"]], {});
    expect(tied.result.tau).toBeCloseTo(2 / Math.sqrt(3 * 2), 12);
    expect(tied.result.top1).toBe(false);
    const exact = scoreGold(gold({ tiers: [["a"], ["b", "c"]] }), [["a"], ["c", "b"]], {});
    expect(exact.result.tau).toBeCloseTo(1, 12);
    expect(exact.result.score).toBeCloseTo(1, 12);
    expect([exact.result.top1, exact.result.flagRecall]).toEqual([true, null]);
    expect(exact.isMiss).toBe(false);
    // Everything tied says nothing about order: tau 0.
    expect(scoreGold(gold({ tiers: [["a"], ["b"]] }), [["a", "b"]], {}).result.tau).toBe(0);
  });

  it("top-1 against the expected best, and flag recall", () => {
    const hit = scoreGold(gold({ best: "a", mustFlag: ["b", "c"] }), [["a"], ["b", "c"]], {
      b: { kinds: ["harmful"], note: "" },
    });
    expect(hit.result).toEqual({ tau: null, top1: true, flagRecall: 0.5, score: 0.75 });
    expect(hit.isMiss).toBe(false);
    // The best tied with another is not the best alone: a missed top-1 is a miss whatever the score.
    const shared = scoreGold(gold({ best: "a", mustFlag: ["c"] }), [["a", "b"], ["c"]], {
      c: { kinds: ["off_task"], note: "" },
    });
    expect(shared.result).toEqual({ tau: null, top1: false, flagRecall: 1, score: 0.5 });
    expect(shared.isMiss).toBe(true);
    const unflagged = scoreGold(gold({ mustFlag: ["c"] }), [["a"], ["b"], ["c"]], {});
    expect(unflagged.result).toEqual({ tau: null, top1: null, flagRecall: 0, score: 0 });
    expect(unflagged.isMiss).toBe(true);
  });
});

describe("gold comparisons", () => {
  it("validates the expected answer against the comparison's candidates, mirrors isGold and audits", async () => {
    const { admin, project, comparisons } = await goldProject({ prompts: 2, gold: 0 });
    const c = comparisons[0]!;
    const [a, b, k] = c.candidates.map((x) => x.id) as [string, string, string];
    const other = comparisons[1]!.candidates[0]!.id;
    const mark = (gold: TGoldAnswer | null) =>
      setGold({ actorId: admin.id, projectId: project.id, comparisonId: c.id, gold });
    await expect(mark({ tiers: [[a], [b]], note: "" })).rejects.toThrow(/Expected ranking: .*leaves out 1 candidate/);
    await expect(mark({ tiers: [[a], [b], [other, k]], note: "" })).rejects.toThrow(
      new RegExp(`Expected ranking: tiers\\[2\\]: ${other} is not a candidate`),
    );
    await expect(mark({ tiers: [[a, b, k]], note: "" })).rejects.toThrow(/ties every candidate/);
    await expect(mark({ best: other, note: "" })).rejects.toThrow(/Expected best: .* is not a candidate/);
    await expect(mark({ tiers: [[a], [b], [k]], best: b, note: "" })).rejects.toThrow(/must be alone in the expected/);
    await expect(mark({ mustFlag: [k, k], note: "" })).rejects.toThrow(/Must flag: .* is listed twice/);
    await expect(mark({ mustFlag: [other], note: "" })).rejects.toThrow(/Must flag: .* is not a candidate/);
    await expect(
      setGold({ actorId: admin.id, projectId: "elsewhere", comparisonId: c.id, gold: { best: a, note: "" } }),
    ).rejects.toThrow(/No comparison/);
    expect((await t.db().comparison.findUniqueOrThrow({ where: { id: c.id } })).isGold).toBe(false);

    await mark({ tiers: [[a], [b], [k]], best: a, mustFlag: [k], note: "C is unsafe." });
    let row = await t.db().comparison.findUniqueOrThrow({ where: { id: c.id } });
    expect([row.isGold, row.gold]).toEqual([
      true,
      { tiers: [[a], [b], [k]], best: a, mustFlag: [k], note: "C is unsafe." },
    ]);
    await mark(null);
    row = await t.db().comparison.findUniqueOrThrow({ where: { id: c.id } });
    expect([row.isGold, row.gold]).toEqual([false, null]);
    const audit = await t.db().auditLog.findMany({ where: { targetId: project.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((r) => r.action)).toEqual(["comparison.gold-set", "comparison.gold-clear"]);
  });

  it("at rate 1 serves the gold comparisons first, at rate 0 never", async () => {
    const { project, goldIds } = await goldProject({ prompts: 4, gold: 2 });
    await setRate(project.id, { goldRate: 1 });
    const u = await makeUser();
    const served: string[] = [];
    for (;;) {
      const task = await leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS });
      if (!task) break;
      served.push(task.comparisonId);
      await submit(u.id, task);
    }
    expect(served.map((id) => goldIds.has(id))).toEqual([true, true, false, false]);

    const second = await goldProject({ prompts: 4, gold: 2 });
    await setRate(second.project.id, { goldRate: 0 });
    const v = await makeUser();
    const none: string[] = [];
    for (;;) {
      const task = await leaseNext({ userId: v.id, projectSlug: second.project.slug, random: ALWAYS });
      if (!task) break;
      none.push(task.comparisonId);
      await submit(v.id, task);
    }
    expect(none).toHaveLength(2);
    expect(none.some((id) => second.goldIds.has(id))).toBe(false);
    // The coin decides between the two paths: above the rate, the ordinary queue.
    const third = await goldProject({ prompts: 2, gold: 1 });
    await setRate(third.project.id, { goldRate: 0.5 });
    const w = await makeUser();
    const task = await leaseNext({ userId: w.id, projectSlug: third.project.slug, random: NEVER });
    expect(third.goldIds.has(task!.comparisonId)).toBe(false);
  });

  it("between 0 and 1, a seeded draw decides each lease: gold exactly when it falls below the rate", async () => {
    const { project, goldIds } = await goldProject({ prompts: 14, gold: 4 });
    await setRate(project.id, { goldRate: 0.3 });
    const seeded = (seed: number) => () => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
    const u = await makeUser();
    const random = seeded(7);
    const replay = seeded(7);
    let goldLeft = 4;
    const served: boolean[] = [];
    const expected: boolean[] = [];
    for (let i = 0; i < 10; i++) {
      const task = (await leaseNext({ userId: u.id, projectSlug: project.slug, random }))!;
      served.push(goldIds.has(task.comparisonId));
      const isGold = replay() < 0.3 && goldLeft > 0;
      if (isGold) goldLeft--;
      expected.push(isGold);
      await submit(u.id, task);
    }
    expect(served).toEqual(expected);
    expect(served.filter(Boolean).length).toBeGreaterThan(0);
    expect(served.filter((g) => !g).length).toBeGreaterThan(0);
  });

  it("never serves a gold comparison twice to one labeller, and every labeller past the overlap gets it once", async () => {
    const { project, gold } = await goldProject({ prompts: 3, gold: 1, overlap: 1 });
    await setRate(project.id, { goldRate: 1 });
    const users = await Promise.all(Array.from({ length: 6 }, () => makeUser()));
    // Six labellers at once, overlap 1: each gets the one gold comparison (one lease each, distinct slots).
    const tasks = await Promise.all(
      users.map((u) => leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS })),
    );
    expect(tasks.map((x) => x?.comparisonId)).toEqual(users.map(() => gold[0]!.id));
    const leases = await t.db().assignment.findMany({ where: { comparisonId: gold[0]!.id } });
    expect(new Set(leases.map((l) => l.slot)).size).toBe(6);
    for (const [i, u] of users.entries()) await submit(u.id, tasks[i]!);
    expect((await t.db().comparison.findUniqueOrThrow({ where: { id: gold[0]!.id } })).judgmentCount).toBe(6);
    // Done with gold: the ordinary queue, bounded by the overlap (two non-gold comparisons for six labellers).
    const after = await Promise.all(
      users.map((u) => leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS })),
    );
    expect(after.filter((x) => x !== null)).toHaveLength(2);
    expect(after.some((x) => x?.comparisonId === gold[0]!.id)).toBe(false);
    // One labeller asking twice at once still gets the gold comparison at most once.
    const second = await goldProject({ prompts: 3, gold: 1, overlap: 1 });
    await setRate(second.project.id, { goldRate: 1 });
    const u = await makeUser();
    await Promise.all([1, 2].map(() => leaseNext({ userId: u.id, projectSlug: second.project.slug, random: ALWAYS })));
    const mine = await t.db().assignment.findMany({ where: { userId: u.id, comparisonId: second.gold[0]!.id } });
    expect(mine).toHaveLength(1);
  });

  it("scores each gold judgment at submit, and re-scores when the answer changes", async () => {
    const { admin, project, gold } = await goldProject({ prompts: 2, gold: 1 });
    await setRate(project.id, { goldRate: 1 });
    const u = await makeUser();
    const task = (await leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS }))!;
    expect(task.comparisonId).toBe(gold[0]!.id);
    // Nothing in the task says it is gold.
    expect(Object.keys(task).sort()).toEqual(
      [
        "assignmentId",
        "candidates",
        "comparisonId",
        "expiresAt",
        "guidelineVersion",
        "leasedAt",
        "messages",
        "projectName",
        "projectSlug",
        "promptId",
        "strengthOfPreference",
        "suggestedOrder",
      ].sort(),
    );
    const [a, b, c] = (await positionOrder(task.comparisonId)).map((x) => x[0]!) as [string, string, string];
    await submit(u.id, task, [[b], [a], [c]]);
    let j = await t.db().judgment.findFirstOrThrow({ where: { comparisonId: task.comparisonId } });
    const result = ZGoldResult.parse(j.goldResult);
    expect(result.tau).toBeCloseTo(1 / 3, 12);
    expect(result.score).toBeCloseTo(1 / 3, 12);
    expect([result.top1, result.flagRecall]).toEqual([false, null]);
    expect(j.isGoldMiss).toBe(true);
    const plain = (await leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS }))!;
    await submit(u.id, plain);
    const nonGold = await t.db().judgment.findFirstOrThrow({ where: { comparisonId: plain.comparisonId } });
    expect([nonGold.goldResult, nonGold.isGoldMiss]).toEqual([null, false]);

    await setGold({ actorId: admin.id, projectId: project.id, comparisonId: gold[0]!.id, gold: { best: b, note: "" } });
    j = await t.db().judgment.findUniqueOrThrow({ where: { id: j.id } });
    expect([j.goldResult, j.isGoldMiss]).toEqual([{ tau: null, top1: true, flagRecall: null, score: 1 }, false]);
    await setGold({ actorId: admin.id, projectId: project.id, comparisonId: gold[0]!.id, gold: null });
    j = await t.db().judgment.findUniqueOrThrow({ where: { id: j.id } });
    expect([j.goldResult, j.isGoldMiss]).toEqual([null, false]);
  });

  it("pauses a labeller below the threshold after enough checks; label.next answers the pause; resume resets the window", async () => {
    const { admin, project } = await goldProject({ prompts: 5, gold: 4 });
    await setRate(project.id, { goldRate: 1, goldPauseBelow: 0.6, goldMinJudgments: 2, goldFeedback: true });
    const u = await makeUser();
    const next = () => nextTaskOrPause({ userId: u.id, projectSlug: project.slug, random: ALWAYS });
    const miss = async () => {
      const task = await next();
      if (!task || "pause" in task) throw new Error("expected a task");
      await submit(u.id, task, await positionOrder(task.comparisonId, true));
    };
    await miss();
    expect(await findOpenPauses({ projectId: project.id })).toHaveLength(0); // one check is below the minimum
    await miss();
    const paused = await next();
    expect(paused && "pause" in paused && paused.pause.reason).toBe(
      "Your agreement with the reference answers is 0% over 2 checks; the project asks for 60%. " +
        "An admin will review and resume you.",
    );
    expect(await t.db().assignment.count({ where: { userId: u.id, status: "active" } })).toBe(0);
    expect((await findOpenPauses({ projectId: project.id })).map((p) => p.user.id)).toEqual([u.id]);
    // A lease held when the pause began may still be renewed and submitted.
    const held = (await leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS }))!;
    await renewLease({ userId: u.id, assignmentId: held.assignmentId });
    await submit(u.id, held, await positionOrder(held.comparisonId, true));
    expect(await t.db().labellerPause.count({ where: { userId: u.id } })).toBe(1); // one open pause at most

    // Gold feedback: their misses, with the expected ranking and the note.
    const feedback = await findGoldFeedback({ userId: u.id, projectSlug: project.slug });
    expect(feedback.enabled).toBe(true);
    expect(feedback.misses).toHaveLength(3);
    expect(feedback.misses[0]!.note).toBe("The first answer is the most accurate.");
    expect(feedback.misses[0]!.expected.tiers).toEqual(await positionOrder(held.comparisonId)); // the latest first
    expect(feedback.misses[0]!.tiers).toEqual(await positionOrder(held.comparisonId, true));
    const other = await makeUser();
    expect((await findGoldFeedback({ userId: other.id, projectSlug: project.slug })).misses).toEqual([]);
    await setRate(project.id, { goldFeedback: false });
    expect(await findGoldFeedback({ userId: u.id, projectSlug: project.slug })).toEqual({
      projectName: "Test project",
      enabled: false,
      misses: [],
    });

    await resumeLabeller({ actorId: admin.id, projectId: project.id, userId: u.id });
    await expect(resumeLabeller({ actorId: admin.id, projectId: project.id, userId: u.id })).rejects.toThrow(
      /not paused/,
    );
    const audit = await t
      .db()
      .auditLog.findFirstOrThrow({ where: { action: "labeller.resume", targetId: project.id } });
    expect(audit.details).toMatchObject({ userId: u.id, email: u.email });
    // The old misses no longer count: one new miss is below the minimum of two.
    await miss();
    expect(await findOpenPauses({ projectId: project.id })).toHaveLength(0);
    const task = await next();
    expect(task && !("pause" in task)).toBe(true);
  });

  it("shows each labeller's gold accuracy in the quality overview and weighs it into the score", async () => {
    const { project } = await goldProject({ prompts: 2, gold: 2, overlap: 2 });
    await setRate(project.id, { goldRate: 1, goldMinJudgments: 2 });
    const [good, bad] = [await makeUser(), await makeUser()];
    for (let i = 0; i < 2; i++)
      for (const [u, reverse] of [
        [good, false],
        [bad, true],
      ] as const) {
        const task = (await leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS }))!;
        await submit(u.id, task, await positionOrder(task.comparisonId, reverse));
      }
    const q = await computeQuality({ projectId: project.id });
    const row = (id: string) => q.labellers.find((l) => l.userId === id)!;
    expect(row(good.id).gold).toEqual({
      judgments: 2,
      misses: 0,
      meanTau: 1,
      top1Rate: 1,
      flagRecall: null,
      meanScore: 1,
    });
    expect(row(bad.id).gold).toEqual({
      judgments: 2,
      misses: 2,
      meanTau: -1,
      top1Rate: 0,
      flagRecall: null,
      meanScore: 0,
    });
    expect(q.thresholds.goldMinJudgments).toBe(2);
    // Everyone ranks alike, so agreement alone would score them all; with the expected answers reversed (both
    // re-scored) the mean gold score is 0 and so is the reliability score, once there are enough checks.
    const alike = await goldProject({ prompts: 2, gold: 2, candidates: 4 });
    await setRate(alike.project.id, { goldRate: 1, goldMinJudgments: 2 });
    const three = [await makeUser(), await makeUser(), await makeUser()];
    for (const u of three)
      for (let i = 0; i < 2; i++) {
        const task = (await leaseNext({ userId: u.id, projectSlug: alike.project.slug, random: ALWAYS }))!;
        await submit(u.id, task, await positionOrder(task.comparisonId));
      }
    // The one whose shuffles least often matched their ranking (keeping the shown order lowers the score).
    const first = await computeQuality({ projectId: alike.project.id });
    const third = three.reduce((best, u) => {
      const score = (id: string) => first.labellers.find((l) => l.userId === id)!.score ?? 0;
      return score(u.id) > score(best.id) ? u : best;
    });
    const alikeScore = async () =>
      (await computeQuality({ projectId: alike.project.id })).labellers.find((l) => l.userId === third.id)!.score;
    const before = (await alikeScore())!;
    expect(before).toBeGreaterThan(0); // (below 1 where their ranking happened to keep the shown order)
    const admin = await makeUser({ role: "admin" });
    for (const c of await t.db().comparison.findMany({ where: { projectId: alike.project.id } }))
      await setGold({
        actorId: admin.id,
        projectId: alike.project.id,
        comparisonId: c.id,
        gold: { tiers: await positionOrder(c.id, true), note: "" },
      });
    expect(await alikeScore()).toBe(0);
    await setRate(alike.project.id, { goldMinJudgments: 3 }); // too few checks to count
    expect(await alikeScore()).toBeCloseTo(before, 12);
  });

  it("filters the prompt browser by gold, and leaves gold out of the project's progress", async () => {
    const { project, gold } = await goldProject({ prompts: 3, gold: 1, overlap: 1 });
    await setRate(project.id, { goldRate: 1 });
    const goldOnly = await browsePrompts({ projectId: project.id, gold: true, pageSize: 10 });
    expect(goldOnly.items.map((p) => [p.id, p.isGold])).toEqual([[gold[0]!.promptId, true]]);
    const notGold = await browsePrompts({ projectId: project.id, gold: false, pageSize: 10 });
    expect(notGold.items.map((p) => p.isGold)).toEqual([false, false]);
    const users = [await makeUser(), await makeUser()];
    for (const u of users) {
      const task = (await leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS }))!;
      expect(task.comparisonId).toBe(gold[0]!.id);
      await submit(u.id, task);
    }
    // Two judgments on the gold comparison (overlap 1) are not progress: 2 own comparisons, none complete.
    const dashboard = await getProjectDashboard({ projectId: project.id });
    expect(dashboard.prompts).toMatchObject({ total: 2, complete: 0, untouched: 2 });
    // A third labeller still has the gold comparison available, past the overlap; at rate 0 it is not offered.
    const third = await makeUser();
    const available = async () =>
      (await findLabellerProjects({ userId: third.id })).find((p) => p.slug === project.slug)!.available;
    expect(await available()).toBe(3);
    await setRate(project.id, { goldRate: 0 });
    expect(await available()).toBe(2);
  });

  it("leaves gold comparisons out of exports by default", async () => {
    const { project, goldIds } = await goldProject({ prompts: 3, gold: 1, overlap: 2 });
    await setRate(project.id, { goldRate: 1 });
    for (const u of [await makeUser(), await makeUser()])
      for (;;) {
        const task = await leaseNext({ userId: u.id, projectSlug: project.slug, random: ALWAYS });
        if (!task) break;
        await submit(u.id, task);
      }
    const ids = async (gold?: "exclude" | "include" | "only") => {
      const out: string[] = [];
      for await (const line of exportLines({ projectId: project.id, format: "judgments", gold }))
        out.push((JSON.parse(line) as { comparison_id: string }).comparison_id);
      return out;
    };
    expect((await ids()).some((id) => goldIds.has(id))).toBe(false);
    expect(await ids()).toHaveLength(4);
    expect(await ids("include")).toHaveLength(6);
    expect((await ids("only")).every((id) => goldIds.has(id))).toBe(true);
    expect(await ids("only")).toHaveLength(2);
  });
});
