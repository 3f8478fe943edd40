// A project's sampling settings through the admin's tRPC procedure: stored and audited, read by the
// generation plan; out-of-bounds values refused field by field with nothing stored; a project without
// a policy has none to set.
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import { makeProject, makeUser } from "../test/factories";
import { createCaller } from "./root";
import { createSession, resolveSession } from "../auth/session";
import { ensureBuiltinPolicy } from "../services/models/builtin-policy";
import { planGeneration } from "../services/generation/plan-generation";
import { DEFAULT_PROJECT_SAMPLING } from "../domain";

const t = useTestDb();
const settings = { name: "Sampled", description: "", candidatesPerPrompt: 2, overlap: 1, leaseMinutes: 30 };
const sampling = { temperature: 0.7, topP: 0.9, topK: 40, maxNewTokens: 64 };

async function adminCaller() {
  const admin = await makeUser({ role: "admin" });
  const { token } = await createSession({ userId: admin.id, userAgent: "vitest" });
  const viewer = await resolveSession(token);
  const caller = createCaller({ viewer, sessionToken: token, ip: "t", userAgent: "vitest", resHeaders: new Headers() });
  return { admin, caller };
}

async function policyProject() {
  const project = await makeProject({ prompts: 2, candidates: 2 });
  const policy = await ensureBuiltinPolicy();
  await t.db().project.update({ where: { id: project.id }, data: { policyVersionId: policy.id } });
  return project;
}

/** The zod issues of a refused call, as "path: message". */
async function issues(p: Promise<unknown>): Promise<string[]> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError && e.cause instanceof ZodError) {
      expect(e.code).toBe("BAD_REQUEST");
      return e.cause.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    }
    throw e;
  }
  return [];
}

describe("sampling settings", () => {
  it("are saved for a project with a policy, audited, and used by the next generation", async () => {
    const { admin, caller } = await adminCaller();
    const project = await policyProject();
    expect((await planGeneration({ projectId: project.id, maxPrompts: 8 }))?.sampling).toEqual(
      DEFAULT_PROJECT_SAMPLING,
    );
    await caller.admin.projects.update({ projectId: project.id, settings, sampling });
    const stored = await t.db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored.samplingParams).toEqual(sampling);
    expect(stored.name).toBe("Sampled");
    expect((await planGeneration({ projectId: project.id, maxPrompts: 8 }))?.sampling).toEqual(sampling);
    const audit = await t.db().auditLog.findFirstOrThrow({
      where: { targetId: project.id, action: "project.update" },
    });
    expect(audit.actorId).toBe(admin.id);
    expect(audit.details).toMatchObject({ sampling });
    // Saving the other settings alone keeps the sampling as it was.
    await caller.admin.projects.update({ projectId: project.id, settings: { ...settings, name: "Again" } });
    expect((await t.db().project.findUniqueOrThrow({ where: { id: project.id } })).samplingParams).toEqual(sampling);
  });

  it("out of bounds are refused, each field saying what is wrong, and nothing is stored", async () => {
    const { caller } = await adminCaller();
    const project = await policyProject();
    const bad = { temperature: 2.5, topP: 0, topK: 1.5, maxNewTokens: 2000 };
    expect(await issues(caller.admin.projects.update({ projectId: project.id, settings, sampling: bad }))).toEqual([
      "sampling.temperature: temperature: at most 2",
      "sampling.topP: top-p: more than 0",
      "sampling.topK: top-k: a whole number",
      "sampling.maxNewTokens: max new tokens: at most 1024",
    ]);
    const empty = { ...sampling, temperature: Number.NaN, maxNewTokens: 0 };
    expect(await issues(caller.admin.projects.update({ projectId: project.id, settings, sampling: empty }))).toEqual([
      "sampling.temperature: temperature: a number",
      "sampling.maxNewTokens: max new tokens: at least 1",
    ]);
    const stored = await t.db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect(stored.samplingParams).toBeNull();
    expect(stored.name).toBe("Test project");
  });

  it("cannot be set on a project whose candidates are imported (no policy)", async () => {
    const { caller } = await adminCaller();
    const project = await makeProject({ prompts: 1, candidates: 2 });
    await expect(caller.admin.projects.update({ projectId: project.id, settings, sampling })).rejects.toMatchObject({
      code: "CONFLICT",
      message: "This project has no policy (its candidates are imported): there are no sampling settings to change.",
    });
    const stored = await t.db().project.findUniqueOrThrow({ where: { id: project.id } });
    expect([stored.samplingParams, stored.name]).toEqual([null, "Test project"]);
  });
});
