// Sign-in limits from the LoginAttempt table, so they hold across web processes. Each attempt is recorded
// before it is judged and judged by counts that include every attempt recorded so far, so parallel
// attempts cannot all see the same old count: of any burst, at most the budget reaches the password check.
//
// The policy (README, "Sign-in limits"), within LOGIN_WINDOW_MINUTES:
// - one client address and one account: LOGIN_MAX_FAILURES attempts, then refused;
// - one client address, all accounts: five times that (several people may share an address);
// - one account, all addresses: past LOGIN_MAX_FAILURES, addresses that already tried this account get one
//   password check per LOGIN_SLOWDOWN_SECONDS for the whole account. An address that has not tried it yet
//   is not slowed down, so nobody can lock the right password out by failing on purpose from elsewhere.
import { getDb } from "../db";
import { env } from "../env";
import { AppError } from "../errors";

/** Records a pending attempt and returns its id, or throws RATE_LIMITED (the attempt stays recorded). */
export async function beginLoginAttempt(opts: { email: string; ip: string }): Promise<string> {
  const { LOGIN_MAX_FAILURES: max, LOGIN_WINDOW_MINUTES: minutes, LOGIN_SLOWDOWN_SECONDS: slowdown } = env();
  const db = getDb();
  const attempt = await db.loginAttempt.create({ data: { email: opts.email, ip: opts.ip, isSuccess: false } });
  const since = new Date(Date.now() - minutes * 60_000);
  const open = { isSuccess: false, createdAt: { gte: since } };
  const [byPair, byIp, byAccount] = await Promise.all([
    db.loginAttempt.count({ where: { ...open, email: opts.email, ip: opts.ip } }),
    db.loginAttempt.count({ where: { ...open, ip: opts.ip } }),
    db.loginAttempt.count({ where: { ...open, email: opts.email } }),
  ]);
  const refuse = (message: string) => new AppError("RATE_LIMITED", message);
  if (byIp > max * 5 || byPair > max) throw refuse(`Too many failed sign-ins. Try again in ${minutes} minutes.`);
  if (byAccount > max && byPair > 1) {
    const recent = await db.loginAttempt.findFirst({
      where: {
        email: opts.email,
        isSuccess: false,
        id: { not: attempt.id },
        createdAt: { gte: new Date(Date.now() - slowdown * 1000) },
      },
      select: { id: true },
    });
    if (recent) throw refuse(`This account had many failed sign-ins: wait ${slowdown} seconds between tries.`);
  }
  return attempt.id;
}

/** Marks the attempt successful; a success clears the failures of that address for that account. */
export async function recordLoginSuccess(opts: { attemptId: string; email: string; ip: string }): Promise<void> {
  const db = getDb();
  await db.loginAttempt.update({ where: { id: opts.attemptId }, data: { isSuccess: true } });
  await db.loginAttempt.deleteMany({ where: { email: opts.email, ip: opts.ip, isSuccess: false } });
}
