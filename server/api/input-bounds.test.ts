// Bounded inputs and the labeller's view of guidelines: oversized arrays and records are refused by
// validation (quickly, with a path), and guidelines are readable only for projects a labeller can label.
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import { makeProject, makeUser } from "../test/factories";
import { createCaller } from "./root";
import type { TContext } from "./trpc";
import { createSession, resolveSession } from "../auth/session";
import { leaseNext } from "../services/queue/lease-next";

const t = useTestDb();

async function labellerCaller() {
  const user = await makeUser();
  const { token } = await createSession({ userId: user.id, userAgent: "vitest" });
  const viewer = (await resolveSession(token))!;
  const ctx: TContext = { viewer, sessionToken: token, ip: "t", userAgent: "vitest", resHeaders: new Headers() };
  return { user, caller: createCaller(ctx) };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e: unknown) => {
      if (e instanceof TRPCError) return `${e.code}: ${e.message}`;
      throw e;
    },
  );

describe("input bounds", () => {
  it("label.submit with 1,000,000 flags is refused by validation, fast", async () => {
    const { user, caller } = await labellerCaller();
    const project = await makeProject({ prompts: 1 });
    const task = await leaseNext({ userId: user.id, projectSlug: project.slug });
    const flags: Record<string, { kinds: string[] }> = {};
    for (let i = 0; i < 1_000_000; i++) flags[`c${i}`] = { kinds: ["harmful"] };
    const started = performance.now();
    const outcome = await failure(
      caller.label.submit({
        assignmentId: task!.assignmentId,
        tiers: [["a"]],
        noneAcceptable: false,
        flags,
        totalMs: 1,
        activeMs: 1,
      }),
    );
    expect(outcome).toMatch(/^BAD_REQUEST: .*at most 16 candidate ids/s);
    // Generous: the machine may be busy; parsing the million flags instead of refusing early takes far longer.
    expect(performance.now() - started).toBeLessThan(3000);
    expect(await t.db().judgment.count()).toBe(0);
  });

  it("tiers, tier sizes and candidate ids are bounded", async () => {
    const { caller } = await labellerCaller();
    const submit = (tiers: string[][]) =>
      failure(
        caller.label.submit({ assignmentId: "x", tiers, noneAcceptable: false, flags: {}, totalMs: 1, activeMs: 1 }),
      );
    expect(await submit(Array.from({ length: 17 }, (_, i) => [`c${i}`]))).toMatch(/at most 16 tiers/);
    expect(await submit([Array.from({ length: 17 }, (_, i) => `c${i}`)])).toMatch(/at most 16 candidates/);
    expect(await submit([["x".repeat(65)]])).toMatch(/at most 64 characters/);
  });
});

describe("label.guidelines", () => {
  it("answers for an active project only: paused and archived ones read as not found", async () => {
    const { caller } = await labellerCaller();
    const project = await makeProject({ prompts: 0 });
    const read = () => failure(caller.label.guidelines({ projectSlug: project.slug }));
    expect(await caller.label.guidelines({ projectSlug: project.slug })).toMatchObject({
      body: "# Rank by helpfulness",
    });
    for (const status of ["paused", "archived"]) {
      await t.db().project.update({ where: { id: project.id }, data: { status } });
      expect(await read()).toBe(`NOT_FOUND: No project "${project.slug}".`);
    }
    expect(await failure(caller.label.guidelines({ projectSlug: "no-such-project" }))).toBe(
      'NOT_FOUND: No project "no-such-project".',
    );
  });
});
