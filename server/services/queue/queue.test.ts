// Leases against the real database: overlap caps, no double lease, expiry, skips, submissions.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "./lease-next";
import { submitJudgment } from "./submit-judgment";
import { skipTask } from "./skip-task";
import { renewLease } from "./renew-lease";
import { createComparison } from "./create-comparison";
import { exportLines } from "../export/export-lines";
import type { TJudgmentRow } from "../export/format-judgment";
import { findLabellerProjects } from "./labeller-progress";

const t = useTestDb();

describe("lease queue", () => {
  it("never leases a prompt beyond its overlap, even to many labellers asking at once", async () => {
    const project = await makeProject({ prompts: 3, overlap: 2 });
    const users = await Promise.all(Array.from({ length: 8 }, () => makeUser()));
    const tasks = await Promise.all(users.map((u) => leaseNext({ userId: u.id, projectSlug: project.slug })));
    const leased = tasks.filter((x) => x !== null);
    expect(leased).toHaveLength(6); // 3 prompts x overlap 2
    const perPrompt = new Map<string, number>();
    for (const task of leased) perPrompt.set(task.promptId, (perPrompt.get(task.promptId) ?? 0) + 1);
    expect([...perPrompt.values()].sort()).toEqual([2, 2, 2]);
    const rows = await t.db().assignment.findMany({ where: { projectId: project.id } });
    expect(new Set(rows.map((r) => `${r.promptId}:${r.userId}`)).size).toBe(rows.length);
  });

  it("parallel requests fill every free slot exactly once: no lost race, no double lease, none past the overlap", async () => {
    // Each labeller asks once, all at the same moment: 12 requests for 3 comparisons x overlap 2. A request
    // may come back empty only when every slot is taken, so exactly 6 leases, one per labeller.
    const project = await makeProject({ prompts: 3, overlap: 2 });
    const users = await Promise.all(Array.from({ length: 12 }, () => makeUser()));
    const tasks = await Promise.all(users.map((u) => leaseNext({ userId: u.id, projectSlug: project.slug })));
    expect(tasks.filter((x) => x !== null)).toHaveLength(6);
    // Then labellers ask twice each at once on a fresh project (3 x overlap 3): a labeller's two calls may
    // take two comparisons, never one twice.
    const second = await makeProject({ prompts: 3, overlap: 3 });
    const more = [...users.slice(0, 6), ...(await Promise.all(Array.from({ length: 2 }, () => makeUser())))];
    const calls = more
      .flatMap((u) => [u, u])
      .map(async (u) => ({
        userId: u.id,
        task: await leaseNext({ userId: u.id, projectSlug: second.slug }),
      }));
    const got = await Promise.all(calls); // none throws: a lost race is retried, never reported
    const rows = await t.db().assignment.findMany({ where: { projectId: second.id } });
    expect(rows.length).toBeLessThanOrEqual(9);
    const perComparison = new Map<string, Set<number>>();
    for (const r of rows) {
      expect(r.slot).toBeLessThan(3);
      const slots = perComparison.get(r.comparisonId) ?? new Set<number>();
      slots.add(r.slot);
      perComparison.set(r.comparisonId, slots);
    }
    expect([...perComparison.values()].reduce((n, s) => n + s.size, 0)).toBe(rows.length);
    expect(new Set(rows.map((r) => `${r.comparisonId}:${r.userId}`)).size).toBe(rows.length);
    for (const { userId, task } of got) {
      if (task) expect(rows.find((r) => r.id === task.assignmentId)?.userId).toBe(userId);
      // Empty-handed only if every comparison with a free slot is already this labeller's (its other call).
      else
        for (const c of await t.db().comparison.findMany({ where: { projectId: second.id } }))
          if ((perComparison.get(c.id)?.size ?? 0) < 3)
            expect(rows.some((r) => r.comparisonId === c.id && r.userId === userId)).toBe(true);
    }
  });

  it("gives one labeller the same open task again, never a second lease of the same prompt", async () => {
    const project = await makeProject({ prompts: 2, overlap: 3 });
    const u = await makeUser();
    const [a, b] = await Promise.all([
      leaseNext({ userId: u.id, projectSlug: project.slug }),
      leaseNext({ userId: u.id, projectSlug: project.slug }),
    ]);
    const first = await leaseNext({ userId: u.id, projectSlug: project.slug });
    expect(first?.assignmentId).toBeDefined();
    const mine = await t.db().assignment.findMany({ where: { userId: u.id, projectId: project.id } });
    // Racing requests may each lease a different prompt, but never the same prompt twice.
    expect(new Set(mine.map((m) => m.promptId)).size).toBe(mine.length);
    expect([a?.assignmentId, b?.assignmentId]).toContain(first?.assignmentId);
  });

  it("returns an expired lease's prompt to the queue", async () => {
    const project = await makeProject({ prompts: 1, overlap: 1, leaseMinutes: 5 });
    const [u1, u2] = [await makeUser(), await makeUser()];
    const start = new Date("2026-01-01T10:00:00Z");
    const first = await leaseNext({ userId: u1.id, projectSlug: project.slug, now: start });
    expect(first).not.toBeNull();
    expect(
      await leaseNext({ userId: u2.id, projectSlug: project.slug, now: new Date(start.getTime() + 4 * 60_000) }),
    ).toBeNull();
    const later = await leaseNext({
      userId: u2.id,
      projectSlug: project.slug,
      now: new Date(start.getTime() + 6 * 60_000),
    });
    expect(later?.promptId).toBe(first?.promptId);
    await expect(renewLease({ userId: u1.id, assignmentId: first!.assignmentId })).rejects.toThrow(
      /lease on this prompt ended/,
    );
  });

  it("renewing keeps the lease alive past its first expiry", async () => {
    const project = await makeProject({ prompts: 1, overlap: 1, leaseMinutes: 5 });
    const [u1, u2] = [await makeUser(), await makeUser()];
    const task = await leaseNext({ userId: u1.id, projectSlug: project.slug });
    await renewLease({ userId: u1.id, assignmentId: task!.assignmentId, now: new Date(Date.now() + 4 * 60_000) });
    expect(
      await leaseNext({ userId: u2.id, projectSlug: project.slug, now: new Date(Date.now() + 6 * 60_000) }),
    ).toBeNull();
  });

  it("shuffles candidates per assignment and records the shown order", async () => {
    const project = await makeProject({ prompts: 1, candidates: 4, overlap: 30 });
    const orders = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const u = await makeUser();
      const task = await leaseNext({ userId: u.id, projectSlug: project.slug });
      orders.add(task!.candidates.map((c) => c.id).join(","));
      const row = await t.db().assignment.findUniqueOrThrow({ where: { id: task!.assignmentId } });
      expect(row.shownOrder).toEqual(task!.candidates.map((c) => c.id));
    }
    expect(orders.size).toBeGreaterThan(1); // 12 draws of 24 orders all equal: p < 1e-15
  });

  it("submits once, completes the prompt at its overlap, and refuses a second submission", async () => {
    const project = await makeProject({ prompts: 1, candidates: 3, overlap: 1 });
    const u = await makeUser();
    const task = (await leaseNext({ userId: u.id, projectSlug: project.slug }))!;
    const [a, b, c] = task.candidates.map((x) => x.id) as [string, string, string];
    const base = {
      userId: u.id,
      assignmentId: task.assignmentId,
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 1000,
      activeMs: 900,
    };
    await expect(submitJudgment({ ...base, tiers: [[a], [b]] })).rejects.toThrow(/leaves out 1 candidate/);
    await expect(submitJudgment({ ...base, tiers: [[a], [b, a], [c]] })).rejects.toThrow(/appears twice/);
    await expect(
      submitJudgment({ ...base, tiers: [[a], [b], [c]], flags: { [a]: { kinds: ["other"], note: "" } } }),
    ).rejects.toThrow(/needs a note/);
    await submitJudgment({ ...base, tiers: [[a, b], [c]], flags: { [c]: { kinds: ["harmful"], note: "" } } });
    await expect(submitJudgment({ ...base, tiers: [[a], [b], [c]] })).rejects.toThrow(/already submitted/);
    const j = await t.db().judgment.findFirstOrThrow({ where: { promptId: task.promptId } });
    expect(j.tiers).toEqual([[a, b], [c]]);
    expect(j.guidelineVersion).toBe(1);
    expect((await t.db().comparison.findUniqueOrThrow({ where: { id: task.comparisonId } })).judgmentCount).toBe(1);
    expect(await leaseNext({ userId: (await makeUser()).id, projectSlug: project.slug })).toBeNull();
  });

  it("a skipped prompt is freed for others and never offered to the skipper again", async () => {
    const project = await makeProject({ prompts: 1, overlap: 1 });
    const [u1, u2] = [await makeUser(), await makeUser()];
    const task = (await leaseNext({ userId: u1.id, projectSlug: project.slug }))!;
    await skipTask({ userId: u1.id, assignmentId: task.assignmentId, reason: "unclear_prompt", note: "", totalMs: 10 });
    expect(await leaseNext({ userId: u1.id, projectSlug: project.slug })).toBeNull();
    expect((await leaseNext({ userId: u2.id, projectSlug: project.slug }))?.promptId).toBe(task.promptId);
  });

  const submitAll = (task: { assignmentId: string; candidates: { id: string }[] }, userId: string, now?: Date) =>
    submitJudgment({
      userId,
      assignmentId: task.assignmentId,
      tiers: task.candidates.map((c) => [c.id]),
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 1000,
      activeMs: 900,
      ...(now ? { now } : {}),
    });

  it("completes every comparison whose last two judgments arrive at the same moment", async () => {
    const n = 30;
    const project = await makeProject({ prompts: n, candidates: 2, overlap: 2 });
    const pairs: { task: NonNullable<Awaited<ReturnType<typeof leaseNext>>>; userId: string }[][] = [];
    for (let i = 0; i < n; i++) {
      const [u1, u2] = [await makeUser(), await makeUser()];
      const t1 = (await leaseNext({ userId: u1.id, projectSlug: project.slug }))!;
      const t2 = (await leaseNext({ userId: u2.id, projectSlug: project.slug }))!;
      expect(t2.comparisonId).toBe(t1.comparisonId); // the half-leased comparison is handed out first
      pairs.push([
        { task: t1, userId: u1.id },
        { task: t2, userId: u2.id },
      ]);
    }
    // Both judgments of each comparison in parallel, all comparisons at once.
    await Promise.all(pairs.flat().map(({ task, userId }) => submitAll(task, userId)));
    const rows = await t.db().comparison.findMany({ where: { projectId: project.id } });
    expect(rows.map((r) => r.judgmentCount)).toEqual(Array.from({ length: n }, () => 2));
    const judged = await t
      .db()
      .judgment.groupBy({ by: ["comparisonId"], where: { projectId: project.id }, _count: { _all: true } });
    expect(judged.every((g) => g._count._all === 2)).toBe(true);
    const complete = [];
    for await (const line of exportLines({ projectId: project.id, format: "judgments", onlyComplete: true }))
      complete.push(line);
    expect(complete).toHaveLength(2 * n);
  }, 120_000);

  it("refuses heartbeat, submit and skip on a lease that ran out, even before anyone reclaims it", async () => {
    const project = await makeProject({ prompts: 1, overlap: 1, leaseMinutes: 5 });
    const u = await makeUser();
    const start = new Date(Date.now() - 60_000);
    const task = (await leaseNext({ userId: u.id, projectSlug: project.slug, now: start }))!;
    const after = new Date(start.getTime() + 5 * 60_000 + 1);
    await expect(renewLease({ userId: u.id, assignmentId: task.assignmentId, now: after })).rejects.toMatchObject({
      code: "GONE",
    });
    await expect(submitAll(task, u.id, after)).rejects.toMatchObject({ code: "GONE" });
    await expect(
      skipTask({
        userId: u.id,
        assignmentId: task.assignmentId,
        reason: "unclear_prompt",
        note: "",
        totalMs: 1,
        now: after,
      }),
    ).rejects.toMatchObject({ code: "GONE" });
    // Nothing was written by the refused calls, and the lease was not revived.
    expect(await t.db().judgment.count({ where: { projectId: project.id } })).toBe(0);
    expect(await t.db().skip.count({ where: { projectId: project.id } })).toBe(0);
    const row = await t.db().assignment.findUniqueOrThrow({ where: { id: task.assignmentId } });
    expect(row.expiresAt.getTime()).toBe(start.getTime() + 5 * 60_000);
    // Within the lease the same calls work.
    await renewLease({ userId: u.id, assignmentId: task.assignmentId, now: new Date(start.getTime() + 60_000) });
    await submitAll(task, u.id, new Date(start.getTime() + 2 * 60_000));
  });

  it("a second round of candidates for the same prompt is ranked again, by the same labeller too", async () => {
    const project = await makeProject({ prompts: 1, candidates: 2, overlap: 1 });
    const u = await makeUser();
    const first = (await leaseNext({ userId: u.id, projectSlug: project.slug }))!;
    await submitAll(first, u.id);
    expect(await leaseNext({ userId: u.id, projectSlug: project.slug })).toBeNull();
    expect((await findLabellerProjects({ userId: u.id })).find((p) => p.slug === project.slug)?.available).toBe(0);
    const next = await createComparison({
      promptId: first.promptId,
      round: 1,
      candidates: [
        { text: "better answer", source: "model" },
        { text: "other answer", source: "model" },
      ],
    });
    await expect(
      createComparison({
        promptId: first.promptId,
        round: 1,
        candidates: [
          { text: "x", source: "model" },
          { text: "y", source: "model" },
        ],
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      createComparison({ promptId: first.promptId, round: 2, candidates: [{ text: "alone", source: "model" }] }),
    ).rejects.toMatchObject({ code: "BAD_INPUT" });
    expect((await findLabellerProjects({ userId: u.id })).find((p) => p.slug === project.slug)?.available).toBe(1);
    const second = (await leaseNext({ userId: u.id, projectSlug: project.slug }))!;
    expect(second.comparisonId).toBe(next.comparisonId);
    expect(second.promptId).toBe(first.promptId);
    expect(new Set(second.candidates.map((c) => c.id))).toEqual(new Set(next.candidateIds));
    await submitAll(second, u.id);
    const rows: TJudgmentRow[] = [];
    for await (const line of exportLines({ projectId: project.id, format: "judgments" }))
      rows.push(JSON.parse(line) as TJudgmentRow);
    expect(rows.map((r) => [r.round, r.prompt_id])).toEqual([
      [0, first.promptId],
      [1, first.promptId],
    ]);
    expect(rows[1]!.candidates.map((c) => c.text).sort()).toEqual(["better answer", "other answer"]);
  });

  it("hands out no comparison that is not ready (pending)", async () => {
    const project = await makeProject({ prompts: 0, candidates: 2, overlap: 1 });
    const prompt = await t.db().prompt.create({
      data: { projectId: project.id, seq: 1, contentHash: "x", messages: [{ role: "user", content: "q" }] },
    });
    await createComparison({
      promptId: prompt.id,
      round: 0,
      status: "pending",
      candidates: [
        { text: "a", source: "model" },
        { text: "b", source: "model" },
      ],
    });
    expect(await leaseNext({ userId: (await makeUser()).id, projectSlug: project.slug })).toBeNull();
  });

  it("hands out no comparison with fewer than two candidates (nothing to rank)", async () => {
    const project = await makeProject({ prompts: 0, candidates: 2, overlap: 1 });
    const db = t.db();
    const prompt = await db.prompt.create({
      data: { projectId: project.id, seq: 1, contentHash: "one", messages: [{ role: "user", content: "q" }] },
    });
    // Written past the services (createComparison refuses it): the queue must not trust the data.
    const lone = await db.comparison.create({ data: { projectId: project.id, promptId: prompt.id, promptSeq: 1 } });
    await db.candidate.create({
      data: { promptId: prompt.id, comparisonId: lone.id, position: 0, text: "only", source: "imported" },
    });
    expect(await leaseNext({ userId: (await makeUser()).id, projectSlug: project.slug })).toBeNull();
  });
});
