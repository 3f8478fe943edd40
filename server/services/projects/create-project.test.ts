// Creating projects against the real database: a slug taken by a racing request is a clear CONFLICT.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeUser } from "../../test/factories";
import { isAppError } from "../../errors";
import { createProject, setProjectStatus } from "./mutate-project";

const t = useTestDb();
const settings = { name: "Race", description: "", candidatesPerPrompt: 3, overlap: 1, leaseMinutes: 30 };

describe("createProject", () => {
  it("lets exactly one of several parallel creations with the same slug win; the others get CONFLICT", async () => {
    const admin = await makeUser({ role: "admin" });
    const slug = `race-${t.provider}`;
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, () => createProject({ actorId: admin.id, slug, settings, guidelines: "" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) {
      const reason: unknown = r.reason;
      expect(isAppError(reason) && reason.code, String(reason)).toBe("CONFLICT");
      expect((reason as Error).message).toBe(`The slug "${slug}" is taken; choose another.`);
    }
    // The losers left nothing behind: one project, one guideline version, one audit entry.
    const projects = await t.db().project.findMany({ where: { slug }, include: { guidelines: true } });
    expect(projects).toHaveLength(1);
    expect(projects[0]?.guidelines).toHaveLength(1);
    expect(await t.db().auditLog.count({ where: { action: "project.create", targetId: projects[0]?.id } })).toBe(1);
  });

  it("answers a status change of a project that does not exist with NOT_FOUND", async () => {
    const admin = await makeUser({ role: "admin" });
    await expect(
      setProjectStatus({ actorId: admin.id, projectId: "no-such-id", status: "paused" }),
    ).rejects.toMatchObject({ name: "AppError", code: "NOT_FOUND", message: "No such project." });
  });
});
