// Admin-issued password reset links against the real database: one use, 24 hours, a newer link replaces an
// older one, a wrong, expired or spent link changes nothing, and using one ends every session of the account.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeUser } from "../../test/factories";
import { verifyPassword } from "../../auth/password";
import { createSession, resolveSession } from "../../auth/session";
import { getPasswordResetInfo, issuePasswordReset, resetPassword, RESET_HOURS } from "./password-reset";
import { setUserDisabled } from "./update-user";

const t = useTestDb();
const NEW = "a brand new password";

async function passwordIs(userId: string, password: string) {
  const user = await t.db().user.findUniqueOrThrow({ where: { id: userId } });
  return verifyPassword(password, user.passwordHash);
}

describe("password reset links", () => {
  it("sets the new password once, ends every earlier session and signs the person in", async () => {
    const admin = await makeUser({ role: "admin" });
    const user = await makeUser();
    const earlier = await Promise.all([createSession({ userId: user.id }), createSession({ userId: user.id })]);
    const link = await issuePasswordReset({ actorId: admin.id, userId: user.id });
    expect(link.url).toMatch(new RegExp(`/reset/${link.token}$`));
    expect(link.expiresAt.getTime() - Date.now()).toBeGreaterThan((RESET_HOURS - 1) * 3_600_000);
    // Only the hash is stored.
    expect(await t.db().passwordReset.count({ where: { tokenHash: link.token } })).toBe(0);
    expect(await getPasswordResetInfo({ token: link.token })).toMatchObject({ email: user.email });

    const s = await resetPassword({ token: link.token, password: NEW, userAgent: "vitest" });
    expect(await passwordIs(user.id, NEW)).toBe(true);
    expect(await passwordIs(user.id, user.password)).toBe(false);
    for (const e of earlier) expect(await resolveSession(e.token)).toBeNull();
    expect((await resolveSession(s.token))?.userId).toBe(user.id);

    await expect(
      resetPassword({ token: link.token, password: "yet another password", userAgent: "" }),
    ).rejects.toMatchObject({
      code: "GONE",
      message: "This password reset link was already used. Ask an admin for a new one.",
    });
    await expect(getPasswordResetInfo({ token: link.token })).rejects.toMatchObject({ code: "GONE" });
    expect(await passwordIs(user.id, NEW)).toBe(true);
    expect((await resolveSession(s.token))?.userId).toBe(user.id);
    const actions = await t.db().auditLog.findMany({ where: { targetId: user.id }, orderBy: { createdAt: "asc" } });
    expect(actions.map((a) => [a.action, a.actorId])).toEqual([
      ["user.password-reset-link", admin.id],
      ["user.password-reset", user.id],
    ]);
  });

  it("refuses a wrong, an expired and a replaced link, and a short password, changing nothing", async () => {
    const admin = await makeUser({ role: "admin" });
    const user = await makeUser();
    const session = await createSession({ userId: user.id });
    await expect(resetPassword({ token: "not-a-reset-token", password: NEW, userAgent: "" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This password reset link is not valid. Ask an admin for a new one.",
    });

    const old = await issuePasswordReset({
      actorId: admin.id,
      userId: user.id,
      now: new Date(Date.now() - (RESET_HOURS * 3_600_000 + 60_000)),
    });
    await expect(resetPassword({ token: old.token, password: NEW, userAgent: "" })).rejects.toMatchObject({
      code: "GONE",
      message: "This password reset link has expired. Ask an admin for a new one.",
    });

    const first = await issuePasswordReset({ actorId: admin.id, userId: user.id });
    const second = await issuePasswordReset({ actorId: admin.id, userId: user.id });
    await expect(resetPassword({ token: first.token, password: NEW, userAgent: "" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(resetPassword({ token: second.token, password: "short", userAgent: "" })).rejects.toMatchObject({
      code: "BAD_INPUT",
    });
    expect(await passwordIs(user.id, user.password)).toBe(true);
    expect((await resolveSession(session.token))?.userId).toBe(user.id);
    // The short password did not spend the link.
    await resetPassword({ token: second.token, password: NEW, userAgent: "" });
    expect(await passwordIs(user.id, NEW)).toBe(true);
  });

  it("lets exactly one of two parallel uses of a link win", async () => {
    const admin = await makeUser({ role: "admin" });
    const user = await makeUser();
    const link = await issuePasswordReset({ actorId: admin.id, userId: user.id });
    const results = await Promise.allSettled([
      resetPassword({ token: link.token, password: "first new password", userAgent: "" }),
      resetPassword({ token: link.token, password: "second new password", userAgent: "" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "GONE" } });
    expect(await t.db().session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("issues no link for a disabled account, and a link stops working when its account is disabled", async () => {
    const admin = await makeUser({ role: "admin" });
    const user = await makeUser();
    const link = await issuePasswordReset({ actorId: admin.id, userId: user.id });
    await setUserDisabled({ actorId: admin.id, userId: user.id, isDisabled: true });
    await expect(resetPassword({ token: link.token, password: NEW, userAgent: "" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(issuePasswordReset({ actorId: admin.id, userId: user.id })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(issuePasswordReset({ actorId: admin.id, userId: "no-such-user" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await passwordIs(user.id, user.password)).toBe(true);
  });
});
