"use client";
// A project's progress at a glance: prompt states as a stacked bar, judgments per day as a chart.
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SKIP_REASON_LABELS, type TSkipReason } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { plural } from "../../_components/plural";
import { Card, ErrorText } from "../../_components/ui";

const STATES = [
  { key: "complete", label: "Complete", color: "bg-indigo-600" },
  { key: "inProgress", label: "In progress", color: "bg-indigo-300" },
  { key: "untouched", label: "Untouched", color: "bg-slate-200" },
] as const;

export function DashboardPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.admin.projects.dashboard.queryOptions({ projectId }, { refetchInterval: 15_000 }));
  if (q.error) return <ErrorText error={q.error} />;
  if (!q.data) return <p className="text-slate-500">Loading…</p>;
  const { prompts, judgmentsPerDay } = q.data;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title="Prompts">
        <div
          className="flex h-6 overflow-hidden rounded"
          role="img"
          aria-label={`${prompts.complete} complete, ${prompts.inProgress} in progress, ${prompts.untouched} untouched`}
        >
          {STATES.map(
            (s) =>
              prompts[s.key] > 0 && (
                <div
                  key={s.key}
                  className={s.color}
                  style={{ width: `${(100 * prompts[s.key]) / Math.max(1, prompts.total)}%` }}
                />
              ),
          )}
        </div>
        <dl className="mt-3 grid grid-cols-3 gap-2 text-sm" data-testid="prompt-states">
          {STATES.map((s) => (
            <div key={s.key}>
              <dt className="flex items-center gap-1 text-slate-500">
                <span className={`inline-block h-2 w-2 rounded-sm ${s.color}`} />
                {s.label}
              </dt>
              <dd className="text-lg font-semibold" data-testid={`state-${s.key}`}>
                {prompts[s.key]}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-sm text-slate-500">
          {plural(q.data.judgments, "judgment")} by {plural(q.data.labellers, "labeller")} ·{" "}
          {plural(prompts.total, "prompt")}
        </p>
        {q.data.skipReasons.length > 0 && (
          <p className="mt-1 text-xs text-slate-500">
            Skips:{" "}
            {q.data.skipReasons
              .map((s) => `${SKIP_REASON_LABELS[s.reason as TSkipReason] ?? s.reason} (${s.count})`)
              .join(", ")}
          </p>
        )}
      </Card>
      <Card title="Judgments per day (30 days)">
        <div className="h-48">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={judgmentsPerDay}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="day" tickFormatter={(d: string) => d.slice(5)} fontSize={11} />
              <YAxis allowDecimals={false} fontSize={11} width={32} />
              <Tooltip />
              <Bar dataKey="count" name="judgments" fill="#4f46e5" />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </Card>
    </div>
  );
}
