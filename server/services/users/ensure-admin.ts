// First start: makes sure an admin exists, from ADMIN_EMAIL/ADMIN_PASSWORD or with a generated password.
import { getDb } from "../../db";
import { env } from "../../env";
import { generatePassword, hashPassword } from "../../auth/password";
import { recordAudit } from "../audit/record-audit";

export type TEnsureAdminResult =
  { kind: "exists"; email: string } | { kind: "created"; email: string; generatedPassword: string | null };

export async function ensureAdmin(): Promise<TEnsureAdminResult> {
  const db = getDb();
  const { ADMIN_EMAIL, ADMIN_PASSWORD } = env();
  if (ADMIN_EMAIL) {
    const email = ADMIN_EMAIL.toLowerCase();
    const existing = await db.user.findUnique({ where: { email } });
    if (existing) {
      if (existing.role !== "admin" || existing.isDisabled) {
        await db.user.update({ where: { id: existing.id }, data: { role: "admin", isDisabled: false } });
      }
      return { kind: "exists", email };
    }
  } else {
    const anyAdmin = await db.user.findFirst({ where: { role: "admin", isDisabled: false } });
    if (anyAdmin) return { kind: "exists", email: anyAdmin.email };
  }
  const email = (ADMIN_EMAIL ?? "admin@prefloop.local").toLowerCase();
  const generatedPassword = ADMIN_PASSWORD ? null : generatePassword();
  const user = await db.user.create({
    data: {
      email,
      name: "Admin",
      role: "admin",
      passwordHash: await hashPassword(ADMIN_PASSWORD ?? generatedPassword!),
    },
  });
  await recordAudit({ actorId: null, action: "user.bootstrap-admin", targetType: "user", targetId: user.id });
  return { kind: "created", email, generatedPassword };
}
