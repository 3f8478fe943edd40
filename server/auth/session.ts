// Database sessions behind an http-only cookie: create, resolve (with sliding renewal), revoke.
import { getDb } from "../db";
import { env } from "../env";
import type { TRole } from "../domain";
import { hashToken, newToken } from "./tokens";

export const SESSION_COOKIE = "prefloop_session";
const RENEW_AFTER_MS = 60 * 60 * 1000; // touch lastSeenAt / extend at most hourly

export type TViewer = { userId: string; sessionId: string; email: string; name: string; role: TRole };

export async function createSession(opts: {
  userId: string;
  userAgent?: string;
}): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + env().SESSION_DAYS * 86_400_000);
  await getDb().session.create({
    data: { id: hashToken(token), userId: opts.userId, expiresAt, userAgent: (opts.userAgent ?? "").slice(0, 300) },
  });
  return { token, expiresAt };
}

/** The signed-in user for a cookie token, or null (unknown, expired, or user disabled). */
export async function resolveSession(token: string | undefined): Promise<TViewer | null> {
  if (!token) return null;
  const db = getDb();
  const id = hashToken(token);
  const session = await db.session.findUnique({ where: { id }, include: { user: true } });
  if (!session) return null;
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || session.user.isDisabled) {
    await db.session.deleteMany({ where: { id } });
    return null;
  }
  if (now - session.lastSeenAt.getTime() > RENEW_AFTER_MS) {
    const expiresAt = new Date(now + env().SESSION_DAYS * 86_400_000);
    await db.session.updateMany({ where: { id }, data: { lastSeenAt: new Date(now), expiresAt } });
  }
  const { user } = session;
  return { userId: user.id, sessionId: id, email: user.email, name: user.name, role: user.role as TRole };
}

export async function revokeSession(token: string): Promise<void> {
  await getDb().session.deleteMany({ where: { id: hashToken(token) } });
}

export async function revokeUserSessions(userId: string): Promise<number> {
  const { count } = await getDb().session.deleteMany({ where: { userId } });
  return count;
}

/** `Secure` unless the app is served over plain http (local use). */
export function isCookieSecure(): boolean {
  const e = env();
  if (e.COOKIE_SECURE !== "auto") return e.COOKIE_SECURE === "true";
  return e.APP_URL.startsWith("https://");
}
