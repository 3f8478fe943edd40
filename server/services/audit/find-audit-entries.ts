// Lists audit log entries, newest first, one page at a time, optionally by one actor or one action, each
// described in words (describe-audit.ts): the names of the page's actors and targets are looked up in one query
// per kind of record.
import { getDb } from "../../db";
import { AUDIT_ACTIONS, describeAudit, type TAuditNames } from "./describe-audit";

export async function findAuditEntries(opts: { cursor?: string; limit: number; actorId?: string; action?: string }) {
  const db = getDb();
  const rows = await db.auditLog.findMany({
    where: { ...(opts.actorId ? { actorId: opts.actorId } : {}), ...(opts.action ? { action: opts.action } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: opts.limit + 1,
    ...(opts.cursor ? { cursor: { id: opts.cursor }, skip: 1 } : {}),
    include: { actor: { select: { id: true, name: true, email: true } } },
  });
  const hasMore = rows.length > opts.limit;
  const page = rows.slice(0, opts.limit);
  const idsOf = (type: string) => [...new Set(page.filter((r) => r.targetType === type).map((r) => r.targetId))];
  const versionIds = new Set<string>(idsOf("modelVersion"));
  for (const r of page)
    if (r.action === "project.policy" && r.details && typeof r.details === "object" && !Array.isArray(r.details))
      for (const v of [r.details.from, r.details.to]) if (typeof v === "string") versionIds.add(v);
  const [users, projects, invites, versions] = await Promise.all([
    db.user.findMany({ where: { id: { in: idsOf("user") } }, select: { id: true, name: true, email: true } }),
    db.project.findMany({ where: { id: { in: idsOf("project") } }, select: { id: true, name: true, slug: true } }),
    db.invite.findMany({ where: { id: { in: idsOf("invite") } }, select: { id: true, email: true } }),
    db.modelVersion.findMany({ where: { id: { in: [...versionIds] } }, select: { id: true, name: true } }),
  ]);
  const names: TAuditNames = {
    users: new Map(users.map((u) => [u.id, u])),
    projects: new Map(projects.map((p) => [p.id, p])),
    invites: new Map(invites.map((i) => [i.id, i])),
    versions: new Map(versions.map((v) => [v.id, v.name])),
  };
  const items = page.map((r) => ({
    id: r.id,
    action: r.action,
    createdAt: r.createdAt,
    actor: r.actor,
    ...describeAudit(r, names),
  }));
  return { items, nextCursor: hasMore ? items[items.length - 1]?.id : undefined };
}

/** What the log can be filtered by: the people who appear as actors (bounded) and the known actions. */
export async function auditFilterOptions() {
  const db = getDb();
  const actors = await db.auditLog.groupBy({
    by: ["actorId"],
    where: { actorId: { not: null } },
    orderBy: { actorId: "asc" },
    take: 500,
  });
  const users = await db.user.findMany({
    where: { id: { in: actors.flatMap((a) => (a.actorId ? [a.actorId] : [])) } },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, name: true, email: true },
  });
  return { actors: users, actions: AUDIT_ACTIONS };
}
