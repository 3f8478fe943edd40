// Email + password sign-in with rate limiting; returns a new session token for the cookie.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { dummyPasswordHash, verifyPassword } from "../../auth/password";
import { beginLoginAttempt, recordLoginSuccess } from "../../auth/rate-limit";
import { createSession } from "../../auth/session";

export async function signIn(opts: { email: string; password: string; ip: string; userAgent: string }) {
  const email = opts.email.trim().toLowerCase();
  // Recorded as a failure until the password is found right, so a burst of attempts counts in full.
  const attemptId = await beginLoginAttempt({ email, ip: opts.ip });
  const user = await getDb().user.findUnique({ where: { email } });
  // Verify against a dummy hash for unknown accounts so the timing does not tell them apart.
  const isValid = await verifyPassword(opts.password, user?.passwordHash ?? (await dummyPasswordHash()));
  // An account of imported judgments (its email is at imported.invalid, no secret) has no usable password.
  if (user?.importedFrom) {
    throw new AppError(
      "UNAUTHENTICATED",
      `This account only holds judgments imported from ${user.importedFrom}; it cannot sign in.`,
    );
  }
  if (!user || !isValid || user.isDisabled) {
    throw new AppError(
      "UNAUTHENTICATED",
      user?.isDisabled && isValid ? "This account is disabled. Ask an admin." : "Wrong email or password.",
    );
  }
  await recordLoginSuccess({ attemptId, email, ip: opts.ip });
  await getDb().user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  const session = await createSession({ userId: user.id, userAgent: opts.userAgent });
  return { ...session, user: { id: user.id, role: user.role } };
}
