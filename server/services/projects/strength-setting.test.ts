// The strength-of-preference setting: off by default, turned on and off by the settings form's update, audited
// in words; an update that does not mention it leaves it as it is.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeUser } from "../../test/factories";
import { describeAudit } from "../audit/describe-audit";
import { createProject, updateProject } from "./mutate-project";

const t = useTestDb();
const settings = { name: "Strength", description: "", candidatesPerPrompt: 2, overlap: 1, leaseMinutes: 30 };

describe("strengthOfPreference setting", () => {
  it("is off by default, switched by an update, kept by an update without it, and audited", async () => {
    const admin = await makeUser({ role: "admin" });
    const p = await createProject({ actorId: admin.id, slug: `strength-${t.provider}`, settings, guidelines: "" });
    expect(p.strengthOfPreference).toBe(false);
    await updateProject({ actorId: admin.id, projectId: p.id, settings: { ...settings, strengthOfPreference: true } });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: p.id } })).strengthOfPreference).toBe(true);
    await updateProject({ actorId: admin.id, projectId: p.id, settings: { ...settings, name: "Renamed" } });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: p.id } })).strengthOfPreference).toBe(true);

    const rows = await t.db().auditLog.findMany({ where: { action: "project.update", targetId: p.id } });
    const names = { users: new Map(), projects: new Map(), invites: new Map(), versions: new Map() };
    expect(rows.map((r) => describeAudit(r, names).changes).sort()).toEqual([
      ['name "Strength" → "Renamed"'],
      ["strength of preference false → true"],
    ]);
  });
});
