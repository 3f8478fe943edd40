// Lists audit log entries, newest first, one page at a time.
import { getDb } from "../../db";

export async function findAuditEntries(opts: { cursor?: string; limit: number }) {
  const rows = await getDb().auditLog.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    include: { actor: { select: { email: true } } },
  });
  const hasMore = rows.length > opts.limit;
  const items = rows.slice(0, opts.limit).map((r) => ({
    id: r.id,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    details: r.details,
    createdAt: r.createdAt,
    actorEmail: r.actor?.email ?? null,
  }));
  return { items, nextCursor: hasMore ? items[items.length - 1]?.id : undefined };
}
