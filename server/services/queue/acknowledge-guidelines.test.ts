// Acknowledging guidelines that changed mid-task: the lease, then its judgment, records the acknowledged
// version; only forward, only up to the project's current version, only on one's own open lease.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { updateGuidelines } from "../projects/mutate-project";
import { leaseNext } from "./lease-next";
import { submitJudgment } from "./submit-judgment";
import { acknowledgeGuidelines } from "./acknowledge-guidelines";

const t = useTestDb();

describe("acknowledgeGuidelines", () => {
  it("moves the task to the new version, which its judgment records", async () => {
    const admin = await makeUser({ role: "admin" });
    const labeller = await makeUser();
    const other = await makeUser();
    const project = await makeProject({ prompts: 2, candidates: 2 });
    const task = (await leaseNext({ userId: labeller.id, projectSlug: project.slug }))!;
    expect(task.guidelineVersion).toBe(1);
    await updateGuidelines({ actorId: admin.id, projectId: project.id, body: "# Rank by honesty" });

    await expect(
      acknowledgeGuidelines({ userId: labeller.id, assignmentId: task.assignmentId, version: 3 }),
    ).rejects.toMatchObject({ code: "BAD_INPUT", message: "version: the project's guidelines have no version 3." });
    await expect(
      acknowledgeGuidelines({ userId: other.id, assignmentId: task.assignmentId, version: 2 }),
    ).rejects.toMatchObject({ code: "GONE" });
    expect(await acknowledgeGuidelines({ userId: labeller.id, assignmentId: task.assignmentId, version: 2 })).toEqual({
      guidelineVersion: 2,
    });
    // A late, older acknowledgement does not lower it.
    expect(await acknowledgeGuidelines({ userId: labeller.id, assignmentId: task.assignmentId, version: 1 })).toEqual({
      guidelineVersion: 2,
    });

    const [a, b] = task.candidates.map((c) => c.id);
    const { judgmentId } = await submitJudgment({
      userId: labeller.id,
      assignmentId: task.assignmentId,
      tiers: [[a!], [b!]],
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 10,
      activeMs: 5,
    });
    expect((await t.db().judgment.findUniqueOrThrow({ where: { id: judgmentId } })).guidelineVersion).toBe(2);
    await expect(
      acknowledgeGuidelines({ userId: labeller.id, assignmentId: task.assignmentId, version: 2 }),
    ).rejects.toMatchObject({ code: "GONE" });
  });
});
