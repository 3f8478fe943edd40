// Appends one admin action to the audit log, inside the caller's transaction when given one.
import { getDb, type DbTx } from "../../db";

export type TAuditEntry = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
};

export async function recordAudit(entry: TAuditEntry, tx: DbTx = getDb()): Promise<void> {
  await tx.auditLog.create({
    data: { ...entry, details: (entry.details ?? undefined) as never },
  });
}
