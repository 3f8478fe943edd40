// The sign-in limits under attack: a burst of parallel wrong passwords for one account, from one address,
// reaches the password check at most LOGIN_MAX_FAILURES times; the right password still gets in from an
// address that has not tried the account, while addresses that failed are slowed down, not let through.
import { describe, expect, it } from "vitest";
import { useTestDb } from "../../test/test-db";
import { makeUser } from "../../test/factories";
import { isAppError } from "../../errors";
import { env } from "../../env";
import { signIn } from "./sign-in";

const t = useTestDb();

const attempt = (email: string, password: string, ip: string) =>
  signIn({ email, password, ip, userAgent: "test" }).then(
    () => "OK" as const,
    (e: unknown) => {
      if (isAppError(e)) return e.code;
      throw e;
    },
  );

describe("sign-in limits", () => {
  it("100 parallel wrong passwords for one account: at most LOGIN_MAX_FAILURES are checked", async () => {
    const max = env().LOGIN_MAX_FAILURES;
    const user = await makeUser();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () => attempt(user.email, "wrong password", "198.51.100.7")),
    );
    // A burst may be refused whole (each attempt counts the others already recorded): never more than `max`.
    const checked = outcomes.filter((o) => o === "UNAUTHENTICATED").length;
    expect(checked).toBeLessThanOrEqual(max);
    expect(outcomes.filter((o) => o === "RATE_LIMITED").length).toBe(100 - checked);
    // Every attempt was recorded, checked or not.
    expect(await t.db().loginAttempt.count({ where: { email: user.email, isSuccess: false } })).toBe(100);

    // The address that failed cannot sign in to that account even with the right password ...
    expect(await attempt(user.email, user.password, "198.51.100.7")).toBe("RATE_LIMITED");
    // ... but the account is not locked: the right password gets in from another address.
    expect(await attempt(user.email, user.password, "203.0.113.9")).toBe("OK");
  });

  it("one address gets exactly LOGIN_MAX_FAILURES checks in a row for one account", async () => {
    const max = env().LOGIN_MAX_FAILURES;
    const user = await makeUser();
    for (let i = 0; i < max; i++) expect(await attempt(user.email, "wrong", "198.51.100.8")).toBe("UNAUTHENTICATED");
    expect(await attempt(user.email, "wrong", "198.51.100.8")).toBe("RATE_LIMITED");
  });

  it("past the account's budget, addresses that tried it get one check per LOGIN_SLOWDOWN_SECONDS", async () => {
    const max = env().LOGIN_MAX_FAILURES;
    const user = await makeUser();
    // Failures spread over many addresses (as a distributed guesser would), one of them twice.
    for (let i = 0; i < max; i++) expect(await attempt(user.email, "wrong", `192.0.2.${i}`)).toBe("UNAUTHENTICATED");
    expect(await attempt(user.email, "wrong", "192.0.2.0")).toBe("RATE_LIMITED");
    // Once the last attempt is older than the slow-down, one more check is allowed from that address ...
    const past = new Date(Date.now() - (env().LOGIN_SLOWDOWN_SECONDS + 1) * 1000);
    await t.db().loginAttempt.updateMany({ where: { email: user.email }, data: { createdAt: past } });
    expect(await attempt(user.email, user.password, "192.0.2.1")).toBe("OK");
    await t.db().loginAttempt.updateMany({ where: { email: user.email }, data: { createdAt: past } });
    expect(await attempt(user.email, "wrong", "192.0.2.2")).toBe("UNAUTHENTICATED");
    // ... and the next one right after it waits.
    expect(await attempt(user.email, "wrong", "192.0.2.3")).toBe("RATE_LIMITED");
    // A fresh address is never slowed down by the others' failures.
    expect(await attempt(user.email, user.password, "192.0.2.200")).toBe("OK");
  });

  it("one address is capped across accounts at five times the per-account budget", async () => {
    const max = env().LOGIN_MAX_FAILURES;
    const outcomes: string[] = [];
    for (let i = 0; i < max * 5 + 1; i++) outcomes.push(await attempt(`nobody${i}@test.local`, "x", "100.64.0.1"));
    expect(outcomes.slice(0, max * 5).every((o) => o === "UNAUTHENTICATED")).toBe(true);
    expect(outcomes.at(-1)).toBe("RATE_LIMITED");
  });
});
