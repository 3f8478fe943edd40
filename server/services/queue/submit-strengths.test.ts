// Strength of preference at submit, on the real database (both paths: SQLite's transaction, PostgreSQL's one
// statement): stored when the project asks, refused with the wrong count, refused when the project does not ask.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { leaseNext } from "./lease-next";
import { submitJudgment } from "./submit-judgment";

const t = useTestDb();

async function leased(strengthOfPreference: boolean) {
  const project = await makeProject({ prompts: 1, candidates: 3 });
  await t.db().project.update({ where: { id: project.id }, data: { strengthOfPreference } });
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
  return { task, a, b, c, base };
}

describe("submit with strength of preference", () => {
  it("tells the labeller's page that the project asks", async () => {
    expect((await leased(true)).task.strengthOfPreference).toBe(true);
    expect((await leased(false)).task.strengthOfPreference).toBe(false);
  });

  it("stores one strength per pair of adjacent tiers when the project asks", async () => {
    const { task, a, b, c, base } = await leased(true);
    await submitJudgment({ ...base, tiers: [[a], [b], [c]], strengths: ["much_better", "slightly_better"] });
    const j = await t.db().judgment.findFirstOrThrow({ where: { assignmentId: task.assignmentId } });
    expect(j.strengths).toEqual(["much_better", "slightly_better"]);
  });

  it("accepts none for a ranking that is one tie (no pair of adjacent tiers)", async () => {
    const { task, a, b, c, base } = await leased(true);
    await submitJudgment({ ...base, tiers: [[a, b, c]], strengths: [] });
    const j = await t.db().judgment.findFirstOrThrow({ where: { assignmentId: task.assignmentId } });
    expect(j.strengths).toEqual([]);
  });

  it("refuses the wrong count, or none, when the project asks, and stores nothing", async () => {
    const { task, a, b, c, base } = await leased(true);
    await expect(submitJudgment({ ...base, tiers: [[a], [b, c]], strengths: ["better", "better"] })).rejects.toThrow(
      /strengths: 2 sent for 2 tiers; one per pair of adjacent tiers is 1/,
    );
    await expect(submitJudgment({ ...base, tiers: [[a], [b], [c]], strengths: ["better"] })).rejects.toThrow(
      /strengths: 1 sent for 3 tiers/,
    );
    await expect(submitJudgment({ ...base, tiers: [[a], [b], [c]] })).rejects.toThrow(
      /strengths: this project asks .* 2 needed/,
    );
    expect(await t.db().judgment.count({ where: { assignmentId: task.assignmentId } })).toBe(0);
    // The lease is still open: a corrected submit goes through.
    await submitJudgment({ ...base, tiers: [[a], [b, c]], strengths: ["better"] });
  });

  it("refuses strengths when the project does not ask, and stores null without them", async () => {
    const { task, a, b, c, base } = await leased(false);
    await expect(submitJudgment({ ...base, tiers: [[a], [b], [c]], strengths: ["better", "better"] })).rejects.toThrow(
      /this project does not ask/,
    );
    await submitJudgment({ ...base, tiers: [[a], [b], [c]] });
    const j = await t.db().judgment.findFirstOrThrow({ where: { assignmentId: task.assignmentId } });
    expect(j.strengths).toBeNull();
  });
});
