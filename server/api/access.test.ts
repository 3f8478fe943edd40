// Every tRPC procedure declares who may call it: the router's procedure map is checked against an explicit access
// table, then anonymous, labeller and admin callers are run against every procedure; plus the access rules around
// it: other labellers' tasks, disabled accounts, sign-in rate limiting, the session cookie and invites.
import { TRPCError, type AnyProcedure } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import superjson, { type SuperJSONResult } from "superjson";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../test/test-db";
import { makeProject, makeUser } from "../test/factories";
import { appRouter, createCaller } from "./root";
import { createContext, type TContext } from "./trpc";
import { createSession, isCookieSecure, resolveSession, SESSION_COOKIE } from "../auth/session";
import { createInvite } from "../services/users/create-invite";
import { env } from "../env";

const t = useTestDb();

type TAccess = "public" | "labeller" | "reviewer" | "admin";
/** "OK" or the TRPCError code a call ends with. */
type TOutcome = "OK" | TRPCError["code"];
type TUser = Awaited<ReturnType<typeof makeUser>>;
type TFixture = { project: { id: string; slug: string }; target: TUser; inviteId: string; labeller: TUser };
type TEntry = {
  access: TAccess;
  type: "query" | "mutation";
  /** A plausible, valid input, so that a refusal can only be about access. */
  input: (f: TFixture) => unknown;
  /** What a caller who may use the procedure gets with that input (anonymous for public ones). */
  allowed: TOutcome;
};

const settings = { name: "Renamed", description: "", candidatesPerPrompt: 3, overlap: 1, leaseMinutes: 30 };
const NO_INPUT = () => undefined;

/**
 * Who may call each procedure. A procedure added to the router without a row here fails the first test, so
 * nothing new can escape the access checks below.
 */
const ACCESS: Record<string, TEntry> = {
  "auth.me": { access: "public", type: "query", input: NO_INPUT, allowed: "OK" },
  "auth.signIn": {
    access: "public",
    type: "mutation",
    input: (f) => ({ email: f.labeller.email, password: f.labeller.password }),
    allowed: "OK",
  },
  "auth.inviteInfo": {
    access: "public",
    type: "query",
    input: () => ({ token: "no-such-invite-token" }),
    allowed: "NOT_FOUND",
  },
  "auth.acceptInvite": {
    access: "public",
    type: "mutation",
    input: () => ({ token: "no-such-invite-token", name: "Someone", password: "long enough password" }),
    allowed: "NOT_FOUND",
  },
  "auth.passwordResetInfo": {
    access: "public",
    type: "query",
    input: () => ({ token: "no-such-reset-token" }),
    allowed: "NOT_FOUND",
  },
  "auth.resetPassword": {
    access: "public",
    type: "mutation",
    input: () => ({ token: "no-such-reset-token", password: "long enough password" }),
    allowed: "NOT_FOUND",
  },
  "auth.signOut": { access: "labeller", type: "mutation", input: NO_INPUT, allowed: "OK" },
  "auth.changePassword": {
    access: "labeller",
    type: "mutation",
    input: () => ({ current: "not the password", next: "a brand new password" }),
    allowed: "BAD_REQUEST",
  },

  "label.projects": { access: "labeller", type: "query", input: NO_INPUT, allowed: "OK" },
  "label.next": {
    access: "labeller",
    type: "mutation",
    input: (f) => ({ projectSlug: f.project.slug }),
    allowed: "OK",
  },
  "label.heartbeat": {
    access: "labeller",
    type: "mutation",
    input: () => ({ assignmentId: "no-such-assignment" }),
    allowed: "PRECONDITION_FAILED",
  },
  "label.submit": {
    access: "labeller",
    type: "mutation",
    input: () => ({
      assignmentId: "no-such-assignment",
      tiers: [["a"], ["b"]],
      noneAcceptable: false,
      flags: {},
      rationale: "",
      totalMs: 10,
      activeMs: 5,
    }),
    allowed: "PRECONDITION_FAILED",
  },
  "label.skip": {
    access: "labeller",
    type: "mutation",
    input: () => ({ assignmentId: "no-such-assignment", reason: "unclear_prompt" }),
    allowed: "PRECONDITION_FAILED",
  },
  "label.progress": {
    access: "labeller",
    type: "query",
    input: (f) => ({ projectSlug: f.project.slug }),
    allowed: "OK",
  },
  "label.goldFeedback": {
    access: "labeller",
    type: "query",
    input: (f) => ({ projectSlug: f.project.slug }),
    allowed: "OK",
  },
  "label.acknowledgeGuidelines": {
    access: "labeller",
    type: "mutation",
    input: () => ({ assignmentId: "no-such-assignment", version: 2 }),
    allowed: "PRECONDITION_FAILED",
  },
  "label.guidelines": {
    access: "labeller",
    type: "query",
    input: (f) => ({ projectSlug: f.project.slug }),
    allowed: "OK",
  },

  "review.projects": { access: "reviewer", type: "query", input: NO_INPUT, allowed: "OK" },
  "review.queue": {
    access: "reviewer",
    type: "query",
    input: (f) => ({ projectSlug: f.project.slug }),
    allowed: "OK",
  },
  "review.item": {
    access: "reviewer",
    type: "query",
    input: (f) => ({ projectSlug: f.project.slug, comparisonId: "no-such-comparison" }),
    allowed: "NOT_FOUND",
  },
  "review.adjudicate": {
    access: "reviewer",
    type: "mutation",
    input: (f) => ({ projectSlug: f.project.slug, comparisonId: "no-such-comparison", tiers: [["a"], ["b"]] }),
    allowed: "NOT_FOUND",
  },
  "admin.quality.review": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },

  "admin.projects.list": { access: "admin", type: "query", input: () => ({ includeArchived: true }), allowed: "OK" },
  "admin.projects.get": { access: "admin", type: "query", input: (f) => ({ slug: f.project.slug }), allowed: "OK" },
  "admin.projects.create": {
    access: "admin",
    type: "mutation",
    input: () => ({ slug: "made-by-admin", settings: { ...settings, name: "New" }, guidelines: "# Hi" }),
    allowed: "OK",
  },
  "admin.projects.update": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, settings }),
    allowed: "OK",
  },
  "admin.projects.setStatus": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, status: "active" }),
    allowed: "OK",
  },
  "admin.projects.guidelines": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.projects.updateGuidelines": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, body: "# Rank by honesty" }),
    allowed: "OK",
  },
  "admin.quality.overview": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.quality.consensus": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id, weighting: "equal", take: 5 }),
    allowed: "OK",
  },
  "admin.quality.setGold": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, comparisonId: "no-such-comparison", gold: null }),
    allowed: "NOT_FOUND",
  },
  "admin.quality.pauses": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.quality.resume": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, userId: f.labeller.id }),
    allowed: "CONFLICT",
  },
  "admin.projects.dashboard": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.projects.prompts": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.projects.browsePrompts": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id, text: "prompt", status: "open" }),
    allowed: "OK",
  },
  "admin.projects.promptBrowseOptions": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.projects.promptDetail": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id, judgmentId: "no-such-judgment" }),
    allowed: "NOT_FOUND",
  },
  "admin.projects.imports": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.projects.importStatus": {
    access: "admin",
    type: "query",
    input: () => ({ importId: "no-such-import" }),
    allowed: "NOT_FOUND",
  },
  "admin.projects.members": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.projects.addMember": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, userId: f.target.id }),
    allowed: "OK",
  },
  "admin.projects.removeMember": {
    access: "admin",
    type: "mutation",
    // Runs after addMember (the admin walks the table in order).
    input: (f) => ({ projectId: f.project.id, userId: f.target.id }),
    allowed: "OK",
  },
  "admin.projects.setOpenToAll": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, openToAllLabellers: true }),
    allowed: "OK",
  },
  "admin.models.overview": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.models.leaderboard": {
    access: "admin",
    type: "query",
    input: (f) => ({ projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.models.train": {
    access: "admin",
    type: "mutation",
    // The fixture project has imported candidates and no policy: the admin is told so.
    input: (f) => ({ projectId: f.project.id }),
    allowed: "CONFLICT",
  },
  "admin.models.activate": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ projectId: f.project.id, versionId: "no-such-version" }),
    allowed: "NOT_FOUND",
  },
  "admin.jobs.list": {
    access: "admin",
    type: "query",
    input: (f) => ({ status: "failed", kind: "import", projectId: f.project.id }),
    allowed: "OK",
  },
  "admin.jobs.retry": {
    access: "admin",
    type: "mutation",
    input: () => ({ jobId: "no-such-job" }),
    allowed: "NOT_FOUND",
  },
  "admin.jobs.cancel": {
    access: "admin",
    type: "mutation",
    input: () => ({ jobId: "no-such-job" }),
    allowed: "NOT_FOUND",
  },
  "admin.jobs.workers": { access: "admin", type: "query", input: NO_INPUT, allowed: "OK" },
  "admin.users.list": { access: "admin", type: "query", input: NO_INPUT, allowed: "OK" },
  "admin.users.invite": {
    access: "admin",
    type: "mutation",
    input: () => ({ email: "invited@test.local", role: "labeller" }),
    allowed: "OK",
  },
  "admin.users.revokeInvite": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ inviteId: f.inviteId }),
    allowed: "OK",
  },
  "admin.users.setDisabled": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ userId: f.target.id, isDisabled: false }),
    allowed: "OK",
  },
  "admin.users.passwordResetLink": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ userId: f.target.id }),
    allowed: "OK",
  },
  "admin.users.setRole": {
    access: "admin",
    type: "mutation",
    input: (f) => ({ userId: f.target.id, role: "labeller" }),
    allowed: "OK",
  },
  "admin.audit": { access: "admin", type: "query", input: () => ({ limit: 10 }), allowed: "OK" },
  "admin.auditFilters": { access: "admin", type: "query", input: NO_INPUT, allowed: "OK" },
};

const paths = (access: TAccess) => Object.keys(ACCESS).filter((p) => ACCESS[p]!.access === access);
const procedures = appRouter._def.procedures as unknown as Record<string, AnyProcedure>;
const hasInput = (path: string) => procedures[path]!._def.inputs.length > 0;
/** Fails every input schema of the router (all are objects). */
const GARBAGE = "not an object";

let ipCounter = 0;
const baseCtx = (): TContext => ({
  viewer: null,
  sessionToken: undefined,
  ip: `test-ip-${ipCounter++}`,
  userAgent: "vitest",
  resHeaders: new Headers(),
});
const anonymous = baseCtx;

/** A real session for the user, resolved as a request with its cookie would be. */
async function signedIn(user: { id: string }): Promise<TContext> {
  const { token } = await createSession({ userId: user.id, userAgent: "vitest" });
  const viewer = await resolveSession(token);
  if (!viewer) throw new Error("a fresh session did not resolve");
  return { ...baseCtx(), viewer, sessionToken: token };
}

/** Calls a procedure by its dotted path through a createCaller caller. */
function call(ctx: TContext, path: string, input: unknown): Promise<unknown> {
  let node: unknown = createCaller(ctx);
  for (const key of path.split(".")) node = (node as Record<string, unknown>)[key];
  return (node as (input: unknown) => Promise<unknown>)(input);
}

async function outcome(promise: Promise<unknown>): Promise<TOutcome> {
  try {
    await promise;
    return "OK";
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return e.code;
  }
}

/** Row counts of every table a procedure could write to. */
async function counts() {
  const db = t.db();
  const [
    users,
    sessions,
    invites,
    projects,
    guidelines,
    prompts,
    assignments,
    judgments,
    skips,
    imports,
    audit,
    logins,
  ] = await Promise.all([
    db.user.count(),
    db.session.count(),
    db.invite.count(),
    db.project.count(),
    db.guidelineVersion.count(),
    db.prompt.count(),
    db.assignment.count(),
    db.judgment.count(),
    db.skip.count(),
    db.importBatch.count(),
    db.auditLog.count(),
    db.loginAttempt.count(),
  ]);
  return {
    users,
    sessions,
    invites,
    projects,
    guidelines,
    prompts,
    assignments,
    judgments,
    skips,
    imports,
    audit,
    logins,
  };
}

let f: TFixture;
let admin: TUser;

beforeAll(async () => {
  admin = await makeUser({ role: "admin" });
  const labeller = await makeUser();
  const target = await makeUser();
  const project = await makeProject({ prompts: 3, candidates: 3, overlap: 1 });
  const invite = await createInvite({ actorId: admin.id, email: "to-revoke@test.local", role: "labeller" });
  f = { project, target, inviteId: invite.id, labeller };
});

describe("the access table", () => {
  it("names exactly the router's procedures, with their types", () => {
    expect(Object.keys(appRouter._def.lazy)).toEqual([]);
    expect(Object.keys(procedures).sort()).toEqual(Object.keys(ACCESS).sort());
    const types = Object.fromEntries(Object.entries(procedures).map(([path, proc]) => [path, proc._def.type]));
    expect(types).toEqual(Object.fromEntries(Object.entries(ACCESS).map(([path, e]) => [path, e.type])));
  });
});

describe("who may call each procedure", () => {
  it("anonymous callers get UNAUTHORIZED from every labeller and admin procedure, before input parsing, with no effect", async () => {
    const before = await counts();
    const guarded = [...paths("labeller"), ...paths("reviewer"), ...paths("admin")];
    const got: Record<string, [TOutcome, TOutcome]> = {};
    for (const path of guarded) {
      got[path] = [
        await outcome(call(anonymous(), path, ACCESS[path]!.input(f))),
        await outcome(call(anonymous(), path, GARBAGE)),
      ];
    }
    expect(got).toEqual(Object.fromEntries(guarded.map((p) => [p, ["UNAUTHORIZED", "UNAUTHORIZED"]])));
    expect(await counts()).toEqual(before);
  });

  it("labellers get FORBIDDEN from every admin procedure, before input parsing, with no effect", async () => {
    const ctx = await signedIn(f.labeller);
    const before = await counts();
    const got: Record<string, [TOutcome, TOutcome]> = {};
    for (const path of paths("admin"))
      got[path] = [await outcome(call(ctx, path, ACCESS[path]!.input(f))), await outcome(call(ctx, path, GARBAGE))];
    expect(got).toEqual(Object.fromEntries(paths("admin").map((p) => [p, ["FORBIDDEN", "FORBIDDEN"]])));
    expect(await counts()).toEqual(before);
  });

  it("labellers get FORBIDDEN from every reviewer procedure, before input parsing, with no effect", async () => {
    const ctx = await signedIn(f.labeller);
    const before = await counts();
    const got: Record<string, [TOutcome, TOutcome]> = {};
    for (const path of paths("reviewer"))
      got[path] = [await outcome(call(ctx, path, ACCESS[path]!.input(f))), await outcome(call(ctx, path, GARBAGE))];
    expect(got).toEqual(Object.fromEntries(paths("reviewer").map((p) => [p, ["FORBIDDEN", "FORBIDDEN"]])));
    expect(await counts()).toEqual(before);
  });

  it("reviewers get FORBIDDEN from every admin procedure, and past every labeller and reviewer one", async () => {
    const reviewer = await makeUser({ role: "reviewer" });
    const ctx = await signedIn(reviewer);
    const before = await counts();
    const refused: Record<string, [TOutcome, TOutcome]> = {};
    for (const path of paths("admin"))
      refused[path] = [await outcome(call(ctx, path, ACCESS[path]!.input(f))), await outcome(call(ctx, path, GARBAGE))];
    expect(refused).toEqual(Object.fromEntries(paths("admin").map((p) => [p, ["FORBIDDEN", "FORBIDDEN"]])));
    expect(await counts()).toEqual(before);
    const allowed = [...paths("labeller"), ...paths("reviewer")];
    const got: Record<string, [TOutcome, TOutcome]> = {};
    for (const path of allowed) {
      const c = await signedIn(reviewer);
      got[path] = [
        await outcome(call(c, path, ACCESS[path]!.input(f))),
        hasInput(path) ? await outcome(call(c, path, GARBAGE)) : "OK",
      ];
    }
    expect(got).toEqual(
      Object.fromEntries(allowed.map((p) => [p, [ACCESS[p]!.allowed, hasInput(p) ? "BAD_REQUEST" : "OK"]])),
    );
  });

  it("public procedures answer anonymous callers; input is checked after access, so garbage is BAD_REQUEST", async () => {
    const got: Record<string, TOutcome> = {};
    for (const path of paths("public")) got[path] = await outcome(call(anonymous(), path, ACCESS[path]!.input(f)));
    expect(got).toEqual(Object.fromEntries(paths("public").map((p) => [p, ACCESS[p]!.allowed])));
    const withInput = paths("public").filter(hasInput);
    expect(withInput).toEqual([
      "auth.signIn",
      "auth.inviteInfo",
      "auth.acceptInvite",
      "auth.passwordResetInfo",
      "auth.resetPassword",
    ]);
    for (const path of withInput)
      expect([path, await outcome(call(anonymous(), path, GARBAGE))]).toEqual([path, "BAD_REQUEST"]);
  });

  it("labellers get past the access check of every labeller procedure, and their input is validated", async () => {
    const user = await makeUser();
    const got: Record<string, [TOutcome, TOutcome]> = {};
    for (const path of paths("labeller")) {
      const ctx = await signedIn(user);
      got[path] = [
        await outcome(call(ctx, path, ACCESS[path]!.input(f))),
        hasInput(path) ? await outcome(call(ctx, path, GARBAGE)) : "OK",
      ];
    }
    expect(got).toEqual(
      Object.fromEntries(paths("labeller").map((p) => [p, [ACCESS[p]!.allowed, hasInput(p) ? "BAD_REQUEST" : "OK"]])),
    );
  });

  it("admins get past the access check of every labeller, reviewer and admin procedure, and their input is validated", async () => {
    const guarded = [...paths("labeller"), ...paths("reviewer"), ...paths("admin")];
    const got: Record<string, [TOutcome, TOutcome]> = {};
    for (const path of guarded) {
      const ctx = await signedIn(admin);
      got[path] = [
        await outcome(call(ctx, path, ACCESS[path]!.input(f))),
        hasInput(path) ? await outcome(call(ctx, path, GARBAGE)) : "OK",
      ];
    }
    expect(got).toEqual(
      Object.fromEntries(guarded.map((p) => [p, [ACCESS[p]!.allowed, hasInput(p) ? "BAD_REQUEST" : "OK"]])),
    );
    // The admin calls above really ran: their effects are in the database.
    expect(await t.db().project.count({ where: { slug: "made-by-admin" } })).toBe(1);
    expect((await t.db().invite.findUniqueOrThrow({ where: { id: f.inviteId } })).revokedAt).toBeInstanceOf(Date);
  });

  it("an admin invites a reviewer and changes roles (audited); the reviewer procedures follow the role", async () => {
    const adminCtx = await signedIn(admin);
    const invite = (await call(adminCtx, "admin.users.invite", { email: "rev@test.local", role: "reviewer" })) as {
      token: string;
    };
    const ctx = anonymous();
    expect(
      await call(ctx, "auth.acceptInvite", { token: invite.token, name: "Rev", password: "a good long password" }),
    ).toEqual({ role: "reviewer" });
    const reviewer = await t.db().user.findUniqueOrThrow({ where: { email: "rev@test.local" } });
    expect(await outcome(call(await signedIn(reviewer), "review.projects", undefined))).toBe("OK");

    await call(adminCtx, "admin.users.setRole", { userId: reviewer.id, role: "labeller" });
    expect(await outcome(call(await signedIn(reviewer), "review.projects", undefined))).toBe("FORBIDDEN");
    await call(adminCtx, "admin.users.setRole", { userId: reviewer.id, role: "reviewer" });
    expect(await outcome(call(await signedIn(reviewer), "review.projects", undefined))).toBe("OK");
    const audit = await t.db().auditLog.findMany({
      where: { action: "user.set-role", targetId: reviewer.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.details)).toEqual([
      { role: "labeller", from: "reviewer" },
      { role: "reviewer", from: "labeller" },
    ]);
  });

  it("over HTTP, the refusal is a 401 without a stack or data", async () => {
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://127.0.0.1:3000/api/trpc/admin.users.list", {
        headers: { cookie: `${SESSION_COOKIE}=not-a-session` },
      }),
      router: appRouter,
      createContext: ({ req, resHeaders }) => createContext({ req, resHeaders }),
    });
    expect(res.status).toBe(401);
    const raw = await res.text();
    const body = superjson.deserialize<{ message: string; data: Record<string, unknown> }>(
      (JSON.parse(raw) as { error: SuperJSONResult }).error,
    );
    expect(body.message).toBe("Sign in first.");
    // tRPC adds the stack outside production (vitest runs with NODE_ENV=test); the app's formatter drops it.
    expect(body.data).toStrictEqual({
      code: "UNAUTHORIZED",
      httpStatus: 401,
      path: "admin.users.list",
      stack: undefined,
      appCode: null,
      zodIssues: null,
    });
    expect(raw).not.toMatch(/\bat .+\.(ts|js|mjs):\d+/);
    expect(raw).not.toContain("@test.local");
  });
});

describe("a labeller's tasks are their own", () => {
  it("another labeller (or an admin) cannot renew, submit or skip them, and changes nothing trying", async () => {
    const project = await makeProject({ prompts: 2, candidates: 2, overlap: 1, leaseMinutes: 30 });
    const [owner, other] = [await makeUser(), await makeUser()];
    const ownerCtx = await signedIn(owner);
    const task = (await call(ownerCtx, "label.next", { projectSlug: project.slug })) as {
      assignmentId: string;
      candidates: { id: string }[];
    };
    const [a, b] = task.candidates.map((c) => c.id) as [string, string];
    const assignmentBefore = await t.db().assignment.findUniqueOrThrow({ where: { id: task.assignmentId } });
    const before = await counts();

    for (const intruder of [other, admin]) {
      const ctx = await signedIn(intruder);
      const tries = {
        heartbeat: await outcome(call(ctx, "label.heartbeat", { assignmentId: task.assignmentId })),
        submit: await outcome(
          call(ctx, "label.submit", {
            assignmentId: task.assignmentId,
            tiers: [[a], [b]],
            noneAcceptable: false,
            flags: {},
            rationale: "mine now",
            totalMs: 10,
            activeMs: 5,
          }),
        ),
        skip: await outcome(call(ctx, "label.skip", { assignmentId: task.assignmentId, reason: "unclear_prompt" })),
      };
      expect(tries).toEqual({
        heartbeat: "PRECONDITION_FAILED",
        submit: "PRECONDITION_FAILED",
        skip: "PRECONDITION_FAILED",
      });
    }
    // Sessions were added for the intruders; nothing else changed, and the lease is exactly as it was.
    const after = await counts();
    expect({ ...after, sessions: before.sessions }).toEqual(before);
    expect(await t.db().assignment.findUniqueOrThrow({ where: { id: task.assignmentId } })).toEqual(assignmentBefore);

    // The owner's lease still works, and the judgment counts only in the owner's progress.
    await call(ownerCtx, "label.submit", {
      assignmentId: task.assignmentId,
      tiers: [[b], [a]],
      noneAcceptable: false,
      flags: {},
      totalMs: 10,
      activeMs: 5,
    });
    expect(await call(ownerCtx, "label.progress", { projectSlug: project.slug })).toEqual({
      total: 1,
      today: 1,
      skips: 0,
    });
    expect(await call(await signedIn(other), "label.progress", { projectSlug: project.slug })).toEqual({
      total: 0,
      today: 0,
      skips: 0,
    });
    const judgments = await t.db().judgment.findMany({ where: { projectId: project.id } });
    expect(judgments.map((j) => [j.userId, j.tiers])).toEqual([[owner.id, [[b], [a]]]]);
  });
});

describe("accounts and sessions", () => {
  it("disabling a user deletes their sessions and open leases; re-enabling brings no session back", async () => {
    const project = await makeProject({ prompts: 2, candidates: 2, overlap: 1 });
    const user = await makeUser();
    const ctx = await signedIn(user);
    const second = await createSession({ userId: user.id });
    await call(ctx, "label.next", { projectSlug: project.slug });
    expect(await t.db().session.count({ where: { userId: user.id } })).toBe(2);

    const adminCtx = await signedIn(admin);
    await call(adminCtx, "admin.users.setDisabled", { userId: user.id, isDisabled: true });
    expect(await t.db().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await t.db().assignment.count({ where: { userId: user.id } })).toBe(0);
    expect(await resolveSession(ctx.sessionToken)).toBeNull();
    expect(await resolveSession(second.token)).toBeNull();
    // A request carrying the old cookie is anonymous.
    const reqCtx = await createContext({
      req: new Request("http://127.0.0.1:3000/api/trpc/label.projects", {
        headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(ctx.sessionToken!)}` },
      }),
      resHeaders: new Headers(),
    });
    expect(reqCtx.viewer).toBeNull();
    expect(await outcome(call(reqCtx, "label.projects", undefined))).toBe("UNAUTHORIZED");
    // A disabled account cannot sign in, even with the right password.
    const refused = await call(anonymous(), "auth.signIn", { email: user.email, password: user.password }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TRPCError);
    expect([(refused as TRPCError).code, (refused as TRPCError).message]).toEqual([
      "UNAUTHORIZED",
      "This account is disabled. Ask an admin.",
    ]);

    await call(adminCtx, "admin.users.setDisabled", { userId: user.id, isDisabled: false });
    expect(await resolveSession(ctx.sessionToken)).toBeNull();
    expect(await call(anonymous(), "auth.signIn", { email: user.email, password: user.password })).toEqual({
      role: "labeller",
    });
  });

  it("an admin cannot disable their own account", async () => {
    const ctx = await signedIn(admin);
    expect(await outcome(call(ctx, "admin.users.setDisabled", { userId: admin.id, isDisabled: true }))).toBe(
      "CONFLICT",
    );
    expect(await resolveSession(ctx.sessionToken)).not.toBeNull();
  });

  it("sign-in sets an HttpOnly session cookie whose token resolves to the user; sign-out clears it", async () => {
    const user = await makeUser({ email: "cookie.person@test.local" });
    const ctx = anonymous();
    expect(await call(ctx, "auth.signIn", { email: "  Cookie.Person@TEST.local ", password: user.password })).toEqual({
      role: "labeller",
    });
    const cookies = ctx.resHeaders.getSetCookie();
    expect(cookies).toHaveLength(1);
    const match = new RegExp(
      `^${SESSION_COOKIE}=([^;]+); Path=/; HttpOnly; SameSite=Lax; Expires=([^;]+)(; Secure)?$`,
    ).exec(cookies[0]!);
    expect(match).not.toBeNull();
    expect(match![3] === "; Secure").toBe(isCookieSecure());
    const expires = new Date(match![2]!).getTime();
    expect(Math.abs(expires - (Date.now() + env().SESSION_DAYS * 86_400_000))).toBeLessThan(60_000);
    const token = decodeURIComponent(match![1]!);
    const viewer = await resolveSession(token);
    expect(viewer).toMatchObject({ userId: user.id, email: "cookie.person@test.local", role: "labeller" });

    // The cookie, sent back, signs the request in; auth.me shows who, and nothing more.
    const reqCtx = await createContext({
      req: new Request("http://127.0.0.1:3000/api/trpc/auth.me", {
        headers: { cookie: `other=1; ${SESSION_COOKIE}=${match![1]}` },
      }),
      resHeaders: new Headers(),
    });
    expect(await call(reqCtx, "auth.me", undefined)).toEqual({
      id: user.id,
      email: "cookie.person@test.local",
      name: "",
      role: "labeller",
    });

    expect(await call(reqCtx, "auth.signOut", undefined)).toEqual({ ok: true });
    expect(reqCtx.resHeaders.getSetCookie()).toEqual([`${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`]);
    expect(await resolveSession(token)).toBeNull();
  });

  it("a wrong password and an unknown account read the same, and set no cookie", async () => {
    const user = await makeUser();
    const results = [];
    for (const input of [
      { email: user.email, password: "wrong password" },
      { email: "nobody@test.local", password: "wrong password" },
    ]) {
      const ctx = anonymous();
      const e = await call(ctx, "auth.signIn", input).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(TRPCError);
      results.push([(e as TRPCError).code, (e as TRPCError).message, ctx.resHeaders.getSetCookie()]);
    }
    expect(results).toEqual([
      ["UNAUTHORIZED", "Wrong email or password.", []],
      ["UNAUTHORIZED", "Wrong email or password.", []],
    ]);
  });

  it(`rate-limits sign-in: after LOGIN_MAX_FAILURES failures from one address, even the right password waits there`, async () => {
    const max = env().LOGIN_MAX_FAILURES;
    const user = await makeUser({ email: "limited@test.local" });
    const fromAddress = (ip: string): TContext => ({ ...anonymous(), ip });
    const signIn = (password: string, email = user.email, ip = "192.0.2.50") =>
      outcome(call(fromAddress(ip), "auth.signIn", { email, password }));

    // One short of the limit, the right password still works, and clears the count.
    for (let i = 0; i < max - 1; i++) expect(await signIn("wrong password")).toBe("UNAUTHORIZED");
    expect(await signIn(user.password)).toBe("OK");

    // The failures count per account however the address is written.
    for (let i = 0; i < max; i++)
      expect(await signIn("wrong password", i % 2 ? "LIMITED@test.local" : " limited@TEST.LOCAL")).toBe("UNAUTHORIZED");
    const sessionsBefore = await t.db().session.count({ where: { userId: user.id } });
    const ctx = fromAddress("192.0.2.50");
    const refused = await call(ctx, "auth.signIn", { email: user.email, password: user.password }).catch(
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    expect((refused as TRPCError).message).toBe(
      `Too many failed sign-ins. Try again in ${env().LOGIN_WINDOW_MINUTES} minutes.`,
    );
    expect(ctx.resHeaders.getSetCookie()).toEqual([]);
    expect(await t.db().session.count({ where: { userId: user.id } })).toBe(sessionsBefore);

    // Nobody can lock the account out: from another address the right password works.
    expect(await signIn(user.password, user.email, "192.0.2.51")).toBe("OK");
    // Other accounts are not limited by it.
    const other = await makeUser();
    expect(await signIn(other.password, other.email, "192.0.2.52")).toBe("OK");
  });
});

describe("invites", () => {
  it("admin.users.invite → auth.inviteInfo → auth.acceptInvite creates a labeller once; the link is then spent", async () => {
    const adminCtx = await signedIn(admin);
    const invite = (await call(adminCtx, "admin.users.invite", {
      email: " New.Labeller@Test.Local ",
      role: "labeller",
    })) as { token: string; url: string; email: string };
    expect(invite.email).toBe("new.labeller@test.local");
    expect(invite.url).toBe(`${env().APP_URL}/invite/${invite.token}`);

    const info = (await call(anonymous(), "auth.inviteInfo", { token: invite.token })) as Record<string, unknown>;
    expect(Object.keys(info).sort()).toEqual(["email", "expiresAt", "role"]);
    expect(info).toMatchObject({ email: "new.labeller@test.local", role: "labeller" });

    // Too short a password is refused by the input schema, and does not spend the link.
    expect(
      await outcome(
        call(anonymous(), "auth.acceptInvite", { token: invite.token, name: "New Labeller", password: "short" }),
      ),
    ).toBe("BAD_REQUEST");

    const ctx = anonymous();
    expect(
      await call(ctx, "auth.acceptInvite", {
        token: invite.token,
        name: "  New Labeller ",
        password: "a good long password",
      }),
    ).toEqual({ role: "labeller" });
    expect(ctx.resHeaders.getSetCookie()[0]).toMatch(
      new RegExp(`^${SESSION_COOKIE}=[^;]+; Path=/; HttpOnly; SameSite=Lax; `),
    );
    const users = await t.db().user.findMany({ where: { email: "new.labeller@test.local" } });
    expect(users.map((u) => [u.name, u.role, u.isDisabled])).toEqual([["New Labeller", "labeller", false]]);
    const row = await t.db().invite.findFirstOrThrow({ where: { email: "new.labeller@test.local", revokedAt: null } });
    expect(row.acceptedById).toBe(users[0]!.id);
    expect(row.acceptedAt).toBeInstanceOf(Date);

    // The link is spent: a second accept and the info page both say so, and no second account appears.
    const again = await call(anonymous(), "auth.acceptInvite", {
      token: invite.token,
      name: "Twice",
      password: "another long password",
    }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TRPCError);
    expect([(again as TRPCError).code, (again as TRPCError).message]).toEqual([
      "PRECONDITION_FAILED",
      "This invite link was already used. Sign in instead.",
    ]);
    expect(await outcome(call(anonymous(), "auth.inviteInfo", { token: invite.token }))).toBe("PRECONDITION_FAILED");
    expect(await t.db().user.count({ where: { email: "new.labeller@test.local" } })).toBe(1);

    // The new account signs in with its password; inviting the address again is a conflict.
    expect(
      await call(anonymous(), "auth.signIn", { email: "new.labeller@test.local", password: "a good long password" }),
    ).toEqual({ role: "labeller" });
    expect(
      await outcome(call(adminCtx, "admin.users.invite", { email: "new.labeller@test.local", role: "admin" })),
    ).toBe("CONFLICT");
  });

  it("a revoked or replaced invite link is refused", async () => {
    const adminCtx = await signedIn(admin);
    const first = (await call(adminCtx, "admin.users.invite", { email: "twice@test.local", role: "admin" })) as {
      id: string;
      token: string;
    };
    const second = (await call(adminCtx, "admin.users.invite", { email: "twice@test.local", role: "labeller" })) as {
      id: string;
      token: string;
    };
    expect(await outcome(call(anonymous(), "auth.inviteInfo", { token: first.token }))).toBe("NOT_FOUND");
    expect(await call(anonymous(), "auth.inviteInfo", { token: second.token })).toMatchObject({
      email: "twice@test.local",
      role: "labeller",
    });
    await call(adminCtx, "admin.users.revokeInvite", { inviteId: second.id });
    expect(
      await outcome(
        call(anonymous(), "auth.acceptInvite", { token: second.token, name: "Late", password: "a good long password" }),
      ),
    ).toBe("NOT_FOUND");
    expect(await t.db().user.count({ where: { email: "twice@test.local" } })).toBe(0);
  });
});

describe("public procedures do not leak", () => {
  it("auth.me is null for an anonymous caller and shows a signed-in user only their id, email, name and role", async () => {
    expect(await call(anonymous(), "auth.me", undefined)).toBeNull();
    const ctx = await signedIn(f.labeller);
    expect(await call(ctx, "auth.me", undefined)).toEqual({
      id: f.labeller.id,
      email: f.labeller.email,
      name: "",
      role: "labeller",
    });
  });
});

describe("unknown ids", () => {
  it("an admin action on an id that does not exist is NOT_FOUND, not a server error", async () => {
    const { createCaller } = await import("./root");
    const { makeUser } = await import("../test/factories");
    const { createSession, resolveSession } = await import("../auth/session");
    const admin = await makeUser({ role: "admin" });
    const { token } = await createSession({ userId: admin.id });
    const caller = createCaller({
      viewer: await resolveSession(token),
      sessionToken: token,
      ip: "t",
      userAgent: "t",
      resHeaders: new Headers(),
    });
    await expect(caller.admin.projects.setStatus({ projectId: "missing", status: "paused" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(caller.admin.users.setRole({ userId: "missing", role: "admin" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(caller.admin.users.setDisabled({ userId: "missing", isDisabled: false })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
