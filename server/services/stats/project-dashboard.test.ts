// The project overview's numbers on a hand-made history: judgments and skips through the real lease, submit and
// skip services at chosen times, then every figure the overview plots checked by hand.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "../queue/lease-next";
import { submitJudgment } from "../queue/submit-judgment";
import { skipTask } from "../queue/skip-task";
import { getProjectDashboard, quantile, timeBin } from "./project-dashboard";

useTestDb();

const NOW = new Date("2026-06-10T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);

async function judge(userId: string, slug: string, at: Date, activeMs: number) {
  const task = (await leaseNext({ userId, projectSlug: slug, now: at }))!;
  const ids = task.candidates.map((c) => c.id);
  await submitJudgment({
    userId,
    assignmentId: task.assignmentId,
    tiers: ids.map((id) => [id]),
    noneAcceptable: false,
    flags: {},
    rationale: "",
    totalMs: activeMs + 1000,
    activeMs,
    now: new Date(at.getTime() + 10 * 60_000),
  });
}

async function skip(userId: string, slug: string, at: Date, reason: "unclear_prompt" | "needs_expertise") {
  const task = (await leaseNext({ userId, projectSlug: slug, now: at }))!;
  await skipTask({ userId, assignmentId: task.assignmentId, reason, note: "", totalMs: 1000, now: at });
}

describe("getProjectDashboard", () => {
  it("counts throughput per day and per labeller, time on task and skips by reason", async () => {
    const ana = await makeUser({ email: "ana@overview.test" });
    const ben = await makeUser({ email: "ben@overview.test" });
    const project = await makeProject({ prompts: 8, candidates: 2, overlap: 2 });
    await judge(ana.id, project.slug, daysAgo(10), 9000); // outside a 7-day window
    await judge(ana.id, project.slug, daysAgo(2), 3000);
    await judge(ana.id, project.slug, daysAgo(0), 7000);
    await judge(ana.id, project.slug, daysAgo(0), 45_000);
    await judge(ben.id, project.slug, daysAgo(0), 200_000);
    await skip(ben.id, project.slug, daysAgo(1), "needs_expertise");
    await skip(ana.id, project.slug, daysAgo(0), "needs_expertise");
    await skip(ben.id, project.slug, daysAgo(0), "unclear_prompt");

    const d = await getProjectDashboard({ projectId: project.id, days: 7, now: NOW });
    expect(d.judgments).toBe(5);
    expect(d.labellers).toBe(2);
    expect(d.dayList).toHaveLength(7);
    expect(d.dayList.at(-1)).toBe("2026-06-10");
    const perDay = Object.fromEntries(d.judgmentsPerDay.map((x) => [x.day, [x.count, x.skips]]));
    expect(perDay).toMatchObject({ "2026-06-08": [1, 0], "2026-06-09": [0, 1], "2026-06-10": [3, 2] });
    expect(d.judgmentsPerDay.reduce((s, x) => s + x.count, 0)).toBe(4);

    // Series: the busiest labeller of the window first; no "others" with two labellers.
    expect(d.throughput.series.map((s) => s.name)).toEqual(["ana@overview.test", "ben@overview.test"]);
    expect(d.throughput.series[0]!.perDay.slice(-3)).toEqual([1, 0, 2]);
    expect(d.throughput.series[1]!.perDay.slice(-3)).toEqual([0, 0, 1]);

    expect(d.perLabeller.map((l) => [l.name, l.judgments, l.judgmentsInWindow, l.skips, l.medianActiveMs])).toEqual([
      ["ana@overview.test", 4, 3, 1, 7000],
      ["ben@overview.test", 1, 1, 2, 200_000],
    ]);
    expect(d.perLabeller[0]!.lastJudgmentAt).toEqual(new Date(daysAgo(0).getTime() + 10 * 60_000));

    // 3 s, 7 s, 45 s and 200 s fall in the bins 0-5, 5-10, 40-80 and 160-320 s.
    expect(d.timeOnTask.bins.map((b) => b.count)).toEqual([1, 1, 0, 0, 1, 0, 1, 0]);
    expect(d.timeOnTask.n).toBe(4);
    expect(d.timeOnTask.medianMs).toBe(26_000);
    expect(d.timeOnTask.p90Ms).toBeCloseTo(153_500, 6);

    expect(d.skipReasons).toEqual([
      { reason: "needs_expertise", count: 2 },
      { reason: "unclear_prompt", count: 1 },
    ]);

    // A 30-day window takes the old judgment in.
    const month = await getProjectDashboard({ projectId: project.id, days: 30, now: NOW });
    expect(month.perLabeller[0]!.judgmentsInWindow).toBe(4);
    expect(month.timeOnTask.n).toBe(5);
  });

  it("sums labellers past the busiest eight as others", async () => {
    const project = await makeProject({ prompts: 10, candidates: 2, overlap: 10 });
    for (let i = 0; i < 10; i++) {
      const u = await makeUser({ email: `l${i}@many.test` });
      for (let k = 0; k < (i < 8 ? 2 : 1); k++) await judge(u.id, project.slug, daysAgo(0), 5000);
    }
    const d = await getProjectDashboard({ projectId: project.id, now: NOW });
    expect(d.throughput.series).toHaveLength(9);
    expect(d.throughput.series.at(-1)).toMatchObject({ key: "others", name: "Others" });
    expect(d.throughput.series.at(-1)!.perDay.at(-1)).toBe(2);
    expect(d.throughput.series.slice(0, 8).every((s) => s.perDay.at(-1) === 2)).toBe(true);
  });

  it("refuses a window outside 7 to 365 days and an unknown project", async () => {
    const project = await makeProject();
    await expect(getProjectDashboard({ projectId: project.id, days: 3 })).rejects.toMatchObject({ code: "BAD_INPUT" });
    await expect(getProjectDashboard({ projectId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("quantile interpolates like numpy and timeBin has closed lower edges", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 12);
    expect([0, 4999, 5000, 9999, 10_000, 319_999, 320_000, 10_000_000].map(timeBin)).toEqual([0, 0, 1, 1, 2, 6, 7, 7]);
  });
});
