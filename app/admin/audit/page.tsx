"use client";
// The audit log of admin actions, newest first.
import { useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText } from "../../_components/ui";

export default function AuditPage() {
  const trpc = useTRPC();
  const q = useInfiniteQuery(
    trpc.admin.audit.infiniteQueryOptions({ limit: 50 }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <main className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <ErrorText error={q.error} />
      <Card>
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1">When</th>
              <th>Who</th>
              <th>Action</th>
              <th>Target</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="py-1 whitespace-nowrap">{r.createdAt.toLocaleString()}</td>
                <td>{r.actorEmail ?? "system"}</td>
                <td>
                  <code>{r.action}</code>
                </td>
                <td className="text-xs">
                  {r.targetType} {r.targetId.slice(0, 10)}
                </td>
                <td className="max-w-md truncate text-xs text-slate-500">
                  {r.details ? JSON.stringify(r.details) : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {q.hasNextPage && (
          <Button variant="secondary" className="mt-3" onClick={() => void q.fetchNextPage()}>
            Older entries
          </Button>
        )}
      </Card>
    </main>
  );
}
