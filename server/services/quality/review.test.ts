// Per-comparison agreement (definition, kept at submit, parallel last submits, backfill), the review queue
// (low agreement, gold misses, adjudicated items leave), the review item's pseudonyms and adjudication
// (validation, append-only, audit). Real database: SQLite, and PostgreSQL with TEST_DB_PROVIDER=postgres.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { comparisonAgreement } from "./stats/comparison-agreement";
import { countReview, findReviewQueue } from "./review-queue";
import { getReviewItem } from "./review-item";
import { adjudicateComparison } from "./adjudicate-comparison";
import { backfillAgreement, refreshAgreement } from "./refresh-agreement";
import { ZProjectSettings, type TTiers } from "../../domain";
import { updateProject } from "../projects/mutate-project";
import { describeAudit } from "../audit/describe-audit";

const t = useTestDb();

describe("comparisonAgreement (hand cases)", () => {
  it("is 1 for identical rankings, 0 for reversed ones, null below two judgments", () => {
    expect(comparisonAgreement([[["a"], ["b"], ["c"]]])).toBeNull();
    expect(comparisonAgreement([])).toBeNull();
    expect(
      comparisonAgreement([
        [["a"], ["b"], ["c"]],
        [["a"], ["b"], ["c"]],
      ]),
    ).toBe(1);
    expect(
      comparisonAgreement([
        [["a"], ["b"]],
        [["b"], ["a"]],
      ]),
    ).toBe(0);
  });

  it("averages over candidate pairs the share of judgment pairs that agree (ties are a value of their own)", () => {
    // a|b agree, a|c agree, b|c disagree: 2/3.
    expect(
      comparisonAgreement([
        [["a"], ["b"], ["c"]],
        [["a"], ["c"], ["b"]],
      ]),
    ).toBeCloseTo(2 / 3, 12);
    // a|b: =, >, = → 1 agreeing judgment pair of 3; a|c and b|c: all three say ">" → 1 each. (1/3 + 1 + 1) / 3.
    expect(
      comparisonAgreement([
        [["a", "b"], ["c"]],
        [["a"], ["b"], ["c"]],
        [["b", "a"], ["c"]],
      ]),
    ).toBeCloseTo(7 / 9, 12);
    // Everything tied by both: they agree on every pair.
    expect(comparisonAgreement([[["a", "b", "c"]], [["c", "b", "a"]]])).toBe(1);
  });
});

type TTask = NonNullable<Awaited<ReturnType<typeof leaseNext>>>;

/** Candidate ids of a comparison in position order. */
async function idsOf(comparisonId: string): Promise<string[]> {
  const rows = await t.db().candidate.findMany({ where: { comparisonId }, orderBy: { position: "asc" } });
  return rows.map((r) => r.id);
}

/** Submits a ranking given as position numbers (1-based), e.g. [[2], [1, 3]]. */
async function submitPositions(task: TTask, userId: string, positions: number[][]) {
  const ids = await idsOf(task.comparisonId);
  const tiers: TTiers = positions.map((tier) => tier.map((p) => ids[p - 1]!));
  return submitJudgment({
    userId,
    assignmentId: task.assignmentId,
    tiers,
    noneAcceptable: false,
    flags: {},
    rationale: `ranked ${JSON.stringify(positions)}`,
    totalMs: 1000,
    activeMs: 800,
  });
}

/** Leases the next task of the project for the user (expects one). */
async function lease(slug: string, userId: string): Promise<TTask> {
  const task = await leaseNext({ userId, projectSlug: slug });
  expect(task).not.toBeNull();
  return task!;
}

describe("agreement kept at submit", () => {
  it("is null after one judgment and the definition's value after each later one", async () => {
    const project = await makeProject({ prompts: 1, candidates: 3, overlap: 3 });
    const users = [await makeUser(), await makeUser(), await makeUser()];
    const rankings = [
      [[1], [2], [3]],
      [[1], [3], [2]],
      [[1, 2], [3]],
    ];
    const tasks = [];
    for (const u of users) tasks.push(await lease(project.slug, u.id));
    const comparisonId = tasks[0]!.comparisonId;
    const agreement = async () =>
      (await t.db().comparison.findUniqueOrThrow({ where: { id: comparisonId } })).agreement;
    await submitPositions(tasks[0]!, users[0]!.id, rankings[0]!);
    expect(await agreement()).toBeNull();
    await submitPositions(tasks[1]!, users[1]!.id, rankings[1]!);
    expect(await agreement()).toBeCloseTo(2 / 3, 9);
    await submitPositions(tasks[2]!, users[2]!.id, rankings[2]!);
    // 1|2: >, >, = → 1/3; 1|3: all > → 1; 2|3: >, <, > → 1/3.
    expect(await agreement()).toBeCloseTo((1 / 3 + 1 + 1 / 3) / 3, 9);
  });

  it("is right after the last judgments of many comparisons are submitted in parallel", async () => {
    const n = 24;
    const overlap = 3;
    const project = await makeProject({ prompts: n, candidates: 3, overlap });
    const rankings = [
      [[1], [2], [3]],
      [[3], [2], [1]],
      [[2, 3], [1]],
    ];
    const jobs: { task: TTask; userId: string; ranking: number[][] }[] = [];
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < overlap; k++) {
        const u = await makeUser();
        const task = await lease(project.slug, u.id);
        // Which labeller gives which ranking varies per comparison, so values differ between comparisons.
        jobs.push({ task, userId: u.id, ranking: rankings[(i + k) % (i % 2 === 0 ? 3 : 2)]! });
      }
    }
    // Every judgment of every comparison at once: the last two (or three) of a comparison race each other.
    await Promise.all(jobs.map((j) => submitPositions(j.task, j.userId, j.ranking)));
    const comparisons = await t.db().comparison.findMany({
      where: { projectId: project.id },
      include: { judgments: { select: { tiers: true } } },
    });
    expect(comparisons).toHaveLength(n);
    const got = comparisons.map((c) => c.agreement);
    const expected = comparisons.map((c) => comparisonAgreement(c.judgments.map((j) => j.tiers as string[][])));
    expect(comparisons.every((c) => c.judgmentCount === overlap)).toBe(true);
    expect(got.every((v) => v !== null)).toBe(true);
    expect(got.map((v) => v!.toFixed(9))).toEqual(expected.map((v) => v!.toFixed(9)));
  }, 120_000);

  it("a refresh that read before the last judgment was written does not overwrite the newer value", async () => {
    const project = await makeProject({ prompts: 1, candidates: 2, overlap: 2 });
    const [u1, u2] = [await makeUser(), await makeUser()];
    const t1 = await lease(project.slug, u1.id);
    const t2 = await lease(project.slug, u2.id);
    await submitPositions(t1, u1.id, [[1], [2]]);
    // A late refresh reads the one judgment, then the second judgment is submitted (and refreshed) before it writes.
    let release!: () => void;
    let hasRead!: () => void;
    const read = new Promise<void>((resolve) => (hasRead = resolve));
    const late = refreshAgreement(t.db(), t1.comparisonId, () => {
      hasRead();
      return new Promise<void>((resolve) => (release = resolve));
    });
    await read;
    await submitPositions(t2, u2.id, [[2], [1]]);
    release();
    await late;
    expect((await t.db().comparison.findUniqueOrThrow({ where: { id: t1.comparisonId } })).agreement).toBe(0);
  });

  it("is backfilled for comparisons judged before it was stored", async () => {
    const project = await makeProject({ prompts: 2, candidates: 2, overlap: 2 });
    const [u1, u2] = [await makeUser(), await makeUser()];
    for (let i = 0; i < 2; i++) {
      await submitPositions(await lease(project.slug, u1.id), u1.id, [[1], [2]]);
      await submitPositions(await lease(project.slug, u2.id), u2.id, [[2], [1]]);
    }
    await t.db().comparison.updateMany({ where: { projectId: project.id }, data: { agreement: null } });
    expect(await backfillAgreement(project.id)).toBe(2);
    const rows = await t.db().comparison.findMany({ where: { projectId: project.id } });
    expect(rows.map((r) => r.agreement)).toEqual([0, 0]);
    // Nothing left to backfill; a read of the queue would not redo it.
    expect(await backfillAgreement(project.id)).toBe(0);
  });
});

/** A project of `prompts` comparisons of 2 candidates, overlap 2: the even ones agreed on, the odd ones not. */
async function judgedProject(prompts: number, threshold: number | null) {
  const project = await makeProject({ prompts, candidates: 2, overlap: 2 });
  await t.db().project.update({ where: { id: project.id }, data: { reviewBelowAgreement: threshold } });
  const [u1, u2] = [await makeUser(), await makeUser()];
  const bySeq: string[] = [];
  for (let i = 0; i < prompts; i++) {
    const t1 = await lease(project.slug, u1.id);
    const t2 = await lease(project.slug, u2.id);
    expect(t2.comparisonId).toBe(t1.comparisonId);
    await submitPositions(t1, u1.id, [[1], [2]]);
    await submitPositions(t2, u2.id, i % 2 === 0 ? [[1], [2]] : [[2], [1]]);
    bySeq.push(t1.comparisonId);
  }
  const rows = await t.db().comparison.findMany({ where: { projectId: project.id }, orderBy: { promptSeq: "asc" } });
  return { project, comparisons: rows.map((r) => r.id), users: [u1, u2] };
}

describe("the review queue", () => {
  it("holds the comparisons below the threshold and those with a gold miss, each with its reasons", async () => {
    const { project, comparisons } = await judgedProject(6, 0.5);
    // Agreement: 1 for seq 1, 3, 5 (index 0, 2, 4), 0 for the others. A gold miss on seq 3 and on seq 4.
    await t.db().judgment.updateMany({
      where: { comparisonId: { in: [comparisons[2]!, comparisons[3]!] } },
      data: { isGoldMiss: true },
    });
    const q = await findReviewQueue({ projectSlug: project.slug, pageSize: 25 });
    expect(q.items.map((i) => [i.promptSeq, i.reasons])).toEqual([
      [2, ["low_agreement"]],
      [3, ["gold_miss"]],
      [4, ["low_agreement", "gold_miss"]],
      [6, ["low_agreement"]],
    ]);
    expect(q.items[0]!.agreement).toBe(0);
    expect(q.items[0]!.preview).toBe("Prompt 2");
    expect(q.counts).toMatchObject({ open: 4, lowAgreement: 3, goldMiss: 2, adjudicated: 0, adjudications: 0 });

    // Pages by keyset, in prompt order.
    const first = await findReviewQueue({ projectSlug: project.slug, pageSize: 3 });
    expect(first.items.map((i) => i.promptSeq)).toEqual([2, 3, 4]);
    expect(first.nextCursor).toEqual({ seq: 4, round: 0 });
    const second = await findReviewQueue({ projectSlug: project.slug, pageSize: 3, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.promptSeq)).toEqual([6]);
    expect(second.nextCursor).toBeNull();
  });

  it("takes only gold misses without a threshold, and is strict at the threshold", async () => {
    const { project, comparisons } = await judgedProject(2, null);
    expect((await findReviewQueue({ projectSlug: project.slug, pageSize: 25 })).items).toEqual([]);
    await t.db().judgment.updateMany({ where: { comparisonId: comparisons[0]! }, data: { isGoldMiss: true } });
    expect(
      (await findReviewQueue({ projectSlug: project.slug, pageSize: 25 })).items.map((i) => [i.promptSeq, i.reasons]),
    ).toEqual([[1, ["gold_miss"]]]);
    // Agreement 0 is not below a threshold of 0.
    await t.db().project.update({ where: { id: project.id }, data: { reviewBelowAgreement: 0 } });
    expect((await findReviewQueue({ projectSlug: project.slug, pageSize: 25 })).items).toHaveLength(1);
    await t.db().project.update({ where: { id: project.id }, data: { reviewBelowAgreement: 0.01 } });
    expect((await findReviewQueue({ projectSlug: project.slug, pageSize: 25 })).items).toHaveLength(2);
  });

  it("an adjudicated item leaves the queue for good; the latest adjudication wins; each is audited", async () => {
    const { project, comparisons } = await judgedProject(2, 0.5);
    const reviewer = await makeUser({ role: "reviewer" });
    const seq2 = comparisons[1]!;
    const [a, b] = await idsOf(seq2);
    expect((await findReviewQueue({ projectSlug: project.slug, pageSize: 25 })).items).toHaveLength(1);
    const first = await adjudicateComparison({
      reviewerId: reviewer.id,
      projectSlug: project.slug,
      comparisonId: seq2,
      tiers: [[b!], [a!]],
      note: "  B follows the instructions.  ",
    });
    const q = await findReviewQueue({ projectSlug: project.slug, pageSize: 25 });
    expect(q.items).toEqual([]);
    expect(q.counts).toMatchObject({ open: 0, adjudicated: 1, adjudications: 1 });
    await adjudicateComparison({
      reviewerId: reviewer.id,
      projectSlug: project.slug,
      comparisonId: seq2,
      tiers: [[a!, b!]],
      note: "",
    });
    expect(await countReview({ id: project.id, reviewBelowAgreement: 0.5 })).toMatchObject({
      open: 0,
      adjudicated: 1,
      adjudications: 2,
    });
    const item = await getReviewItem({ projectSlug: project.slug, comparisonId: seq2 });
    expect(item.isOpen).toBe(false);
    expect(item.adjudications.map((x) => [x.tiers, x.note])).toEqual([
      [[[a, b]], ""],
      [[[b], [a]], "B follows the instructions."],
    ]);
    const audit = await t.db().auditLog.findMany({
      where: { action: "comparison.adjudicate", actorId: reviewer.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((r) => [r.targetType, r.targetId, r.details])).toEqual([
      [
        "project",
        project.id,
        { comparisonId: seq2, promptSeq: 2, round: 0, ranking: [[2], [1]], note: "B follows the instructions." },
      ],
      ["project", project.id, { comparisonId: seq2, promptSeq: 2, round: 0, ranking: [[1, 2]], note: "" }],
    ]);
    expect(first.adjudicationId).toBe(item.adjudications[1]!.id);
  });
});

describe("adjudication is validated", () => {
  it("refuses a ranking that is not a partition of the comparison's candidates, and writes nothing", async () => {
    const { project, comparisons } = await judgedProject(2, 0.5);
    const other = await judgedProject(1, 0.5);
    const reviewer = await makeUser({ role: "reviewer" });
    const [a, b] = await idsOf(comparisons[1]!);
    const [foreign] = await idsOf(other.comparisons[0]!);
    const tryWith = (tiers: string[][], comparisonId = comparisons[1]!) =>
      adjudicateComparison({
        reviewerId: reviewer.id,
        projectSlug: project.slug,
        comparisonId,
        tiers: tiers,
        note: "",
      }).then(
        () => "OK",
        (e: { code?: string; message?: string }) => `${e.code}: ${e.message}`,
      );
    expect(await tryWith([[a!]])).toBe("BAD_INPUT: The ranking leaves out 1 candidate(s): answer 2.");
    expect(await tryWith([[a!], [a!, b!]])).toBe(`BAD_INPUT: tiers[1]: ${a} appears twice in the ranking.`);
    expect(await tryWith([[a!], [b!], [foreign!]])).toBe(
      `BAD_INPUT: tiers[2]: ${foreign} is not a candidate of this comparison.`,
    );
    expect(await tryWith([[a!], [b!]], other.comparisons[0])).toBe(
      `NOT_FOUND: No comparison ${other.comparisons[0]} in the project "Test project".`,
    );
    // A comparison nobody ranked has nothing to adjudicate.
    const unjudged = await makeProject({ prompts: 1, candidates: 2 });
    const c = await t.db().comparison.findFirstOrThrow({ where: { projectId: unjudged.id } });
    const ids = await idsOf(c.id);
    expect(
      await adjudicateComparison({
        reviewerId: reviewer.id,
        projectSlug: unjudged.slug,
        comparisonId: c.id,
        tiers: [[ids[0]!], [ids[1]!]],
        note: "",
      }).catch((e: { code: string }) => e.code),
    ).toBe("CONFLICT");
    expect(await t.db().adjudication.count({ where: { reviewerId: reviewer.id } })).toBe(0);
    expect(await t.db().auditLog.count({ where: { actorId: reviewer.id } })).toBe(0);
  });
});

describe("the review item", () => {
  it("shows every judgment under a stable pseudonym, with tiers, rationale and times, and no labeller id", async () => {
    const { project, comparisons, users } = await judgedProject(2, 0.5);
    const gold = { tiers: [[(await idsOf(comparisons[1]!))[0]!]], note: "The first is right." };
    await t.db().comparison.update({ where: { id: comparisons[1]! }, data: { gold, isGold: true } });
    const item = await getReviewItem({ projectSlug: project.slug, comparisonId: comparisons[1]! });
    expect(item.judgments.map((j) => j.labeller)).toEqual(["Labeller A", "Labeller B"]);
    expect(item.judgments.map((j) => j.rationale)).toEqual(["ranked [[1],[2]]", "ranked [[2],[1]]"]);
    // Times are the client's, clamped to the lease's age.
    expect(item.judgments[0]!.activeMs).toBeLessThanOrEqual(item.judgments[0]!.totalMs);
    expect(item.judgments[0]!.createdAt).toBeInstanceOf(Date);
    expect(item.candidates.map((c) => [c.number, c.text])).toEqual([
      [1, "Answer 1 to prompt 2"],
      [2, "Answer 2 to prompt 2"],
    ]);
    expect(item.messages).toEqual([{ role: "user", content: "Prompt 2" }]);
    expect(item.gold).toMatchObject({ note: "The first is right." });
    expect(item.reasons).toEqual(["low_agreement"]);
    expect(item.isOpen).toBe(true);
    const text = JSON.stringify(item);
    for (const u of users) {
      expect(text).not.toContain(u.id);
      expect(text).not.toContain(u.email);
    }
    // Asked again, the same letters.
    const again = await getReviewItem({ projectSlug: project.slug, comparisonId: comparisons[1]! });
    expect(again.judgments.map((j) => [j.id, j.labeller])).toEqual(item.judgments.map((j) => [j.id, j.labeller]));
  });
});

describe("the review threshold setting", () => {
  it("is saved with the project settings, validated to 0..1 or none, and audited with the value it replaced", async () => {
    const project = await makeProject({ prompts: 1 });
    const admin = await makeUser({ role: "admin" });
    const base = { name: "Test project", description: "", candidatesPerPrompt: 3, overlap: 1, leaseMinutes: 30 };
    expect(ZProjectSettings.safeParse({ ...base, reviewBelowAgreement: 1.5 }).error?.issues[0]?.message).toBe(
      "review below agreement: between 0 and 1",
    );
    const settings = ZProjectSettings.parse({ ...base, reviewBelowAgreement: 0.6 });
    await updateProject({ actorId: admin.id, projectId: project.id, settings });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: project.id } })).reviewBelowAgreement).toBe(0.6);
    // Left out, it is unchanged; null turns it off.
    await updateProject({ actorId: admin.id, projectId: project.id, settings: ZProjectSettings.parse(base) });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: project.id } })).reviewBelowAgreement).toBe(0.6);
    await updateProject({
      actorId: admin.id,
      projectId: project.id,
      settings: ZProjectSettings.parse({ ...base, reviewBelowAgreement: null }),
    });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: project.id } })).reviewBelowAgreement).toBeNull();
    const rows = await t.db().auditLog.findMany({
      where: { action: "project.update", targetId: project.id },
      orderBy: { createdAt: "asc" },
    });
    const names = { users: new Map(), projects: new Map(), invites: new Map(), versions: new Map() };
    expect(rows.map((r) => describeAudit(r, names).changes)).toEqual([
      ["review below agreement (none) → 0.6"],
      [],
      ["review below agreement 0.6 → (none)"],
    ]);
  });
});
