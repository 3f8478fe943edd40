"use client";
// The audit log of admin actions, newest first, in words: who (name and email), what, to which project or person
// (by name), and what changed; filtered by actor and action, a page at a time.
import { useState } from "react";
import Link from "next/link";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText } from "../../_components/ui";

const SELECT =
  "rounded-md border border-slate-300 bg-white px-2 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

export default function AuditPage() {
  const trpc = useTRPC();
  const [actorId, setActorId] = useState("");
  const [action, setAction] = useState("");
  const filters = useQuery(trpc.admin.auditFilters.queryOptions());
  const q = useInfiniteQuery(
    trpc.admin.audit.infiniteQueryOptions(
      { limit: 50, actorId: actorId || undefined, action: action || undefined },
      { getNextPageParam: (last) => last.nextCursor },
    ),
  );
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <div className="flex flex-wrap gap-2">
        <select aria-label="Actor" className={SELECT} value={actorId} onChange={(e) => setActorId(e.target.value)}>
          <option value="">Anyone</option>
          {filters.data?.actors.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name ? `${u.name} (${u.email})` : u.email}
            </option>
          ))}
        </select>
        <select aria-label="Action" className={SELECT} value={action} onChange={(e) => setAction(e.target.value)}>
          <option value="">Any action</option>
          {filters.data?.actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <ErrorText error={q.error} />
      <Card>
        <table className="w-full text-left text-sm" data-testid="audit-table">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1">When</th>
              <th>Who</th>
              <th>What</th>
              <th>Target</th>
              <th>Changes</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.id} data-testid="audit-row" className="align-top">
                <td className="py-1 pr-2 whitespace-nowrap">{r.createdAt.toLocaleString()}</td>
                <td className="pr-2">
                  {r.actor ? (
                    <>
                      {r.actor.name || r.actor.email}
                      {r.actor.name && <span className="block text-xs text-slate-500">{r.actor.email}</span>}
                    </>
                  ) : (
                    "system"
                  )}
                </td>
                <td className="pr-2" title={r.action}>
                  {r.summary}
                </td>
                <td className="pr-2">
                  {r.target.href ? (
                    <Link href={r.target.href} className="text-indigo-700 hover:underline">
                      {r.target.label}
                    </Link>
                  ) : (
                    r.target.label
                  )}
                </td>
                <td className="text-xs text-slate-600">
                  {r.changes.length > 0 && (
                    <ul>
                      {r.changes.map((c, i) => (
                        <li key={i}>{c}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && !q.isPending && <p className="mt-2 text-sm text-slate-500">No entries.</p>}
        {q.hasNextPage && (
          <Button variant="secondary" className="mt-3" onClick={() => void q.fetchNextPage()}>
            Older entries
          </Button>
        )}
      </Card>
    </main>
  );
}
