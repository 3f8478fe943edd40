"use client";
// The workers as they last reported themselves: host and pid, release, the execution provider and
// threads their model work uses, when they were last seen, and the jobs they hold.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Card, ErrorText } from "../../_components/ui";

const STATE_STYLE = {
  live: "bg-green-100 text-green-800",
  silent: "bg-red-100 text-red-800",
  stopped: "bg-slate-100 text-slate-600",
} as const;

function ago(d: Date): string {
  const s = Math.max(0, Math.round((Date.now() - d.getTime()) / 1000));
  return s < 60 ? `${s} s ago` : s < 3600 ? `${Math.round(s / 60)} min ago` : d.toLocaleString();
}

export function WorkersCard({ compact = false }: { compact?: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.admin.jobs.workers.queryOptions(undefined, { refetchInterval: 5_000 }));
  const rows = compact ? q.data?.filter((w) => w.state !== "stopped") : q.data;
  return (
    <Card title="Workers" data-testid="workers">
      <ErrorText error={q.error} />
      {rows?.length === 0 && (
        <p className="text-sm text-slate-600" data-testid="no-workers">
          No worker has reported {compact ? "recently" : "in the last day"}: nothing generates or trains until one runs
          (`npm start` starts one, `npm run worker` another).
        </p>
      )}
      {rows && rows.length > 0 && (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1">Worker</th>
                <th>State</th>
                <th>Runs on</th>
                <th>Release</th>
                <th>Last seen</th>
                <th>Holds</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((w) => (
                <tr key={w.id} data-testid="worker-row" data-worker-id={w.id}>
                  <td className="py-1.5">
                    {w.hostname} <span className="text-xs text-slate-500">pid {w.pid}</span>
                  </td>
                  <td>
                    <span className={`rounded px-2 py-0.5 text-xs ${STATE_STYLE[w.state]}`}>{w.state}</span>
                  </td>
                  <td className="text-xs" data-testid="worker-provider">
                    {w.executionProvider.toUpperCase()} · {w.intraOpThreads || "default"} threads · {w.cpus} CPUs
                  </td>
                  <td className="text-xs">{w.version}</td>
                  <td className="text-xs whitespace-nowrap">{ago(w.lastSeenAt)}</td>
                  <td className="text-xs">{w.jobs.map((j) => j.kind).join(", ") || "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="mt-2 text-xs text-slate-500">
        The provider is where candidates are generated; training runs on the CPU. Set with WORKER_PROVIDER and
        WORKER_THREADS.
      </p>
    </Card>
  );
}
