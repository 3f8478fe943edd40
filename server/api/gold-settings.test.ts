// A project's gold settings through the admin's tRPC procedures: saved and audited in words, left unchanged when
// a caller leaves them out, refused field by field when out of bounds; the gold procedures end to end (mark a
// comparison gold, the labeller's pause through label.next, resume).
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import { makeProject, makeUser } from "../test/factories";
import { createCaller } from "./root";
import { createSession, resolveSession } from "../auth/session";
import { findAuditEntries } from "../services/audit/find-audit-entries";

const t = useTestDb();
const settings = { name: "Checked", description: "", candidatesPerPrompt: 3, overlap: 1, leaseMinutes: 30 };

async function callerFor(role: "admin" | "labeller") {
  const user = await makeUser({ role });
  const { token } = await createSession({ userId: user.id, userAgent: "vitest" });
  const viewer = await resolveSession(token);
  const caller = createCaller({ viewer, sessionToken: token, ip: "t", userAgent: "vitest", resHeaders: new Headers() });
  return { user, caller };
}

async function issues(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError && e.cause instanceof ZodError) return e.cause.issues.map((i) => i.message);
    throw e;
  }
  return [];
}

describe("gold settings", () => {
  it("are saved, audited in words, kept when left out, and refused out of bounds", async () => {
    const { caller } = await callerFor("admin");
    const project = await makeProject({ prompts: 1 });
    const gold = { goldRate: 0.25, goldPauseBelow: 0.6, goldMinJudgments: 8, goldFeedback: true };
    await caller.admin.projects.update({ projectId: project.id, settings: { ...settings, ...gold } });
    let stored = await t.db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect([stored.goldRate, stored.goldPauseBelow, stored.goldMinJudgments, stored.goldFeedback]).toEqual([
      0.25,
      0.6,
      8,
      true,
    ]);
    const [entry] = (await findAuditEntries({ limit: 1, action: "project.update" })).items;
    expect(entry!.changes).toEqual([
      'name "Test project" → "Checked"',
      "gold rate 0.1 → 0.25",
      "pause below gold score (none) → 0.6",
      "gold checks before a pause 5 → 8",
      "gold feedback false → true",
    ]);
    await caller.admin.projects.update({ projectId: project.id, settings: { ...settings, name: "Renamed" } });
    stored = await t.db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect([stored.name, stored.goldRate, stored.goldPauseBelow]).toEqual(["Renamed", 0.25, 0.6]);
    await caller.admin.projects.update({ projectId: project.id, settings: { ...settings, goldPauseBelow: null } });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: project.id } })).goldPauseBelow).toBeNull();

    expect(
      await issues(
        caller.admin.projects.update({
          projectId: project.id,
          settings: { ...settings, goldRate: 1.5, goldPauseBelow: -0.1, goldMinJudgments: 0 },
        }),
      ),
    ).toEqual([
      "gold rate: a share from 0 (never) to 1 (always when one is left)",
      "pause below: a share from 0 to 1, or empty for never",
      "gold checks before a pause: at least 1",
    ]);
    expect(
      await issues(
        caller.admin.projects.update({
          projectId: project.id,
          settings: { ...settings, goldRate: Number.NaN, goldMinJudgments: 2.5 },
        }),
      ),
    ).toEqual(["gold rate: a number", "gold checks before a pause: a whole number"]);
  });

  it("mark gold, a paused labeller's label.next, resume: through the procedures", async () => {
    const { caller: admin } = await callerFor("admin");
    const { user, caller: labeller } = await callerFor("labeller");
    const project = await makeProject({ prompts: 2 });
    await t.db().project.update({
      where: { id: project.id },
      data: { goldRate: 1, goldPauseBelow: 0.9, goldMinJudgments: 1, goldFeedback: true },
    });
    const comparison = await t.db().comparison.findFirstOrThrow({
      where: { projectId: project.id },
      orderBy: { promptSeq: "asc" },
      include: { candidates: { orderBy: { position: "asc" } } },
    });
    const [a, b, c] = comparison.candidates.map((k) => k.id) as [string, string, string];
    await expect(
      admin.admin.quality.setGold({
        projectId: project.id,
        comparisonId: comparison.id,
        gold: { best: "nobody", note: "" },
      }),
    ).rejects.toThrow(/Expected best: nobody is not a candidate of this comparison/);
    await admin.admin.quality.setGold({
      projectId: project.id,
      comparisonId: comparison.id,
      gold: { best: a, mustFlag: [c], note: "C invents a citation." },
    });
    await expect(
      labeller.admin.quality.setGold({ projectId: project.id, comparisonId: comparison.id, gold: null }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    // At gold rate 1 with random draws below 1, the gold comparison is the first task.
    let task = await labeller.label.next({ projectSlug: project.slug });
    if (!task || "pause" in task) throw new Error("expected a task");
    expect(task.comparisonId).toBe(comparison.id);
    await labeller.label.submit({
      assignmentId: task.assignmentId,
      tiers: [[b], [a], [c]],
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 1000,
      activeMs: 900,
    });
    const paused = await labeller.label.next({ projectSlug: project.slug });
    expect(paused && "pause" in paused ? paused.pause.reason : null).toMatch(
      /^Your agreement with the reference answers is 0% over 1 check; the project asks for 90%\./,
    );
    const feedback = await labeller.label.goldFeedback({ projectSlug: project.slug });
    expect(feedback.misses.map((m) => [m.note, m.expected.best, m.expected.mustFlag])).toEqual([
      ["C invents a citation.", a, [c]],
    ]);
    expect((await admin.admin.quality.pauses({ projectId: project.id })).map((p) => p.user.id)).toEqual([user.id]);
    await admin.admin.quality.resume({ projectId: project.id, userId: user.id });
    task = await labeller.label.next({ projectSlug: project.slug });
    expect(task !== null && !("pause" in task)).toBe(true);
  });
});
