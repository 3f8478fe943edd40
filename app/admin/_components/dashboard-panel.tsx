"use client";
// A project's overview: prompt states as a stacked bar; judgments and skips per day; throughput per day stacked by
// labeller; each labeller's totals and median time on task; the distribution of time on task; skips by reason.
// Every plot has a text equivalent (its aria-label, and the table) for screen readers and the browser tests.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SKIP_REASON_LABELS, type TSkipReason } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { plural } from "../../_components/plural";
import { Card, ErrorText } from "../../_components/ui";

const STATES = [
  { key: "complete", label: "Complete", color: "bg-indigo-600" },
  { key: "inProgress", label: "In progress", color: "bg-indigo-300" },
  { key: "untouched", label: "Untouched", color: "bg-slate-200" },
] as const;
const WINDOWS = [7, 30, 90, 365] as const;
/** Distinct, colour-blind-safe series colours (Okabe-Ito), then grey for "others". */
const SERIES_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const OTHERS_COLOR = "#94a3b8";

const secs = (ms: number | null) =>
  ms === null ? "–" : ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
const binLabel = (b: { fromS: number; toS: number | null }) =>
  b.toS === null ? `≥ ${b.fromS} s` : `${b.fromS}–${b.toS} s`;
const reasonLabel = (r: string) => SKIP_REASON_LABELS[r as TSkipReason] ?? r;

export function DashboardPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const [days, setDays] = useState<number>(30);
  const q = useQuery(trpc.admin.projects.dashboard.queryOptions({ projectId, days }, { refetchInterval: 15_000 }));
  if (q.error) return <ErrorText error={q.error} />;
  if (!q.data) return <p className="text-slate-500">Loading…</p>;
  const d = q.data;
  const { prompts } = d;
  const throughputRows = d.dayList.map((day, i) => ({
    day,
    ...Object.fromEntries(d.throughput.series.map((s) => [s.key, s.perDay[i]])),
  }));
  const totalInWindow = d.judgmentsPerDay.reduce((s, x) => s + x.count, 0);
  const skipsInWindow = d.judgmentsPerDay.reduce((s, x) => s + x.skips, 0);
  const busiest = d.throughput.series.find((s) => s.key !== "others");
  return (
    <div className="space-y-4">
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
            {plural(d.judgments, "judgment")} by {plural(d.labellers, "labeller")} · {plural(prompts.total, "prompt")}
          </p>
        </Card>
        <Card
          title={`Judgments and skips per day (${d.days} days)`}
          actions={
            <label className="text-sm text-slate-600">
              Window{" "}
              <select
                className="rounded border border-slate-300 px-1 py-0.5"
                value={days}
                onChange={(e) => setDays(Number(e.target.value))}
                data-testid="overview-window"
              >
                {WINDOWS.map((w) => (
                  <option key={w} value={w}>
                    {w} days
                  </option>
                ))}
              </select>
            </label>
          }
        >
          <div
            className="h-48"
            role="img"
            aria-label={`${plural(totalInWindow, "judgment")} and ${plural(skipsInWindow, "skip")} in the last ${d.days} days`}
            data-testid="per-day-chart"
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={d.judgmentsPerDay}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(s: string) => s.slice(5)} fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} width={32} />
                <Tooltip />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar dataKey="count" name="judgments" fill="#4f46e5" />
                <Bar dataKey="skips" name="skips" fill="#f59e0b" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Card>
      </div>

      <Card title="Throughput per labeller">
        {d.throughput.series.length === 0 ? (
          <p className="text-sm text-slate-500">No judgments in the last {d.days} days.</p>
        ) : (
          <div
            className="h-56"
            role="img"
            aria-label={`Judgments per day stacked by labeller; busiest: ${busiest?.name ?? "–"}`}
            data-testid="throughput-chart"
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={throughputRows}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(s: string) => s.slice(5)} fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} width={32} />
                <Tooltip />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                {d.throughput.series.map((s, i) => (
                  <Bar
                    key={s.key}
                    dataKey={s.key}
                    name={s.name}
                    stackId="labellers"
                    fill={s.key === "others" ? OTHERS_COLOR : SERIES_COLORS[i % SERIES_COLORS.length]}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
          </div>
        )}
        <div className="mt-3 overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="labeller-activity">
            <thead className="text-slate-500">
              <tr>
                <th className="py-1 pr-3 font-medium">Labeller</th>
                <th className="py-1 pr-3 font-medium">Judgments</th>
                <th className="py-1 pr-3 font-medium">Last {d.days} days</th>
                <th className="py-1 pr-3 font-medium">Skips</th>
                <th className="py-1 pr-3 font-medium">Median time on task</th>
                <th className="py-1 pr-3 font-medium">Last judgment</th>
              </tr>
            </thead>
            <tbody>
              {d.perLabeller.map((l) => (
                <tr key={l.userId} className="border-t border-slate-100" data-testid={`activity-${l.name}`}>
                  <td className="py-1 pr-3">{l.name}</td>
                  <td className="py-1 pr-3" data-testid="activity-judgments">
                    {l.judgments}
                  </td>
                  <td className="py-1 pr-3">{l.judgmentsInWindow}</td>
                  <td className="py-1 pr-3" data-testid="activity-skips">
                    {l.skips}
                  </td>
                  <td className="py-1 pr-3">{secs(l.medianActiveMs)}</td>
                  <td className="py-1 pr-3 text-slate-500">
                    {l.lastJudgmentAt ? new Date(l.lastJudgmentAt).toLocaleString() : "–"}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Time on task">
          <p className="mb-2 text-sm text-slate-500" data-testid="time-on-task-summary">
            Active time per judgment, last {d.days} days: median {secs(d.timeOnTask.medianMs)}, 90th percentile{" "}
            {secs(d.timeOnTask.p90Ms)} ({plural(d.timeOnTask.n, "judgment")}).
          </p>
          <div
            className="h-48"
            role="img"
            aria-label={d.timeOnTask.bins.map((b) => `${binLabel(b)}: ${b.count}`).join(", ")}
            data-testid="time-on-task-chart"
          >
            <ResponsiveContainer width="100%" height="100%">
              <BarChart data={d.timeOnTask.bins.map((b) => ({ bin: binLabel(b), count: b.count }))}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="bin" fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} width={32} />
                <Tooltip />
                <Bar dataKey="count" name="judgments" fill="#0072B2" />
              </BarChart>
            </ResponsiveContainer>
          </div>
        </Card>
        <Card title="Skips by reason">
          {d.skipReasons.length === 0 ? (
            <p className="text-sm text-slate-500">Nobody has skipped a prompt.</p>
          ) : (
            <div
              className="h-48"
              role="img"
              aria-label={d.skipReasons.map((s) => `${reasonLabel(s.reason)}: ${s.count}`).join(", ")}
              data-testid="skip-reasons-chart"
            >
              <ResponsiveContainer width="100%" height="100%">
                <BarChart
                  layout="vertical"
                  data={d.skipReasons.map((s) => ({ reason: reasonLabel(s.reason), count: s.count }))}
                >
                  <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                  <XAxis type="number" allowDecimals={false} fontSize={11} />
                  <YAxis type="category" dataKey="reason" width={170} fontSize={11} />
                  <Tooltip />
                  <Bar dataKey="count" name="skips" fill="#f59e0b" />
                </BarChart>
              </ResponsiveContainer>
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}
