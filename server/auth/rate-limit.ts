// Sign-in rate limiting from the LoginAttempt table, so it holds across web processes.
import { getDb } from "../db";
import { env } from "../env";
import { AppError } from "../errors";

/** Throws RATE_LIMITED when the email or the client address failed too often recently. */
export async function assertLoginAllowed(opts: { email: string; ip: string }): Promise<void> {
  const { LOGIN_MAX_FAILURES, LOGIN_WINDOW_MINUTES } = env();
  const since = new Date(Date.now() - LOGIN_WINDOW_MINUTES * 60_000);
  const db = getDb();
  const [byEmail, byIp] = await Promise.all([
    db.loginAttempt.count({ where: { email: opts.email, isSuccess: false, createdAt: { gte: since } } }),
    db.loginAttempt.count({ where: { ip: opts.ip, isSuccess: false, createdAt: { gte: since } } }),
  ]);
  // The per-address budget is wider: several people may share one address.
  if (byEmail >= LOGIN_MAX_FAILURES || byIp >= LOGIN_MAX_FAILURES * 5) {
    throw new AppError("RATE_LIMITED", `Too many failed sign-ins. Try again in ${LOGIN_WINDOW_MINUTES} minutes.`);
  }
}

export async function recordLoginAttempt(opts: { email: string; ip: string; isSuccess: boolean }): Promise<void> {
  const db = getDb();
  await db.loginAttempt.create({ data: opts });
  if (opts.isSuccess) {
    // A successful sign-in clears the account's failure count.
    await db.loginAttempt.deleteMany({ where: { email: opts.email, isSuccess: false } });
  }
}
