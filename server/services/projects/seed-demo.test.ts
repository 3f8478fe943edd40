// The first start's demo projects: hand-written candidates ready to rank, and a project whose
// candidates the worker generates from the built-in policy.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeUser } from "../../test/factories";
import { seedDemoProject } from "./seed-demo";

const t = useTestDb();

describe("seedDemoProject", () => {
  it("creates the two demo projects once", async () => {
    const admin = await makeUser({ role: "admin" });
    expect(await seedDemoProject({ actorId: admin.id })).toEqual({ created: true, slug: "demo" });
    const db = t.db();
    const demo = await db.project.findUniqueOrThrow({ where: { slug: "demo" } });
    expect(demo.policyVersionId).toBeNull();
    expect(await db.comparison.count({ where: { projectId: demo.id, status: "open" } })).toBeGreaterThan(0);
    const house = await db.project.findUniqueOrThrow({
      where: { slug: "built-in-model" },
      include: { policyVersion: true },
    });
    expect(house.policyVersion).toMatchObject({ name: "house-sft", kind: "policy", path: "builtin:house" });
    expect(await db.prompt.count({ where: { projectId: house.id } })).toBe(200);
    expect(await db.comparison.count({ where: { projectId: house.id } })).toBe(0); // the worker generates them
    expect(await seedDemoProject({ actorId: admin.id })).toEqual({ created: false, slug: "demo" });
  });
});
