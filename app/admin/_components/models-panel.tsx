"use client";
// The model loop of a project for its admin: the active policy and round, candidate generation, the
// training rounds with their loss curves and held-out evaluation, and the policy versions with their
// lineage (make any of them active: promotion by hand, or rollback).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "../../_trpc/client";
import { plural } from "../../_components/plural";
import { Button, Card, ErrorText } from "../../_components/ui";
import { WorkersCard } from "./workers-card";
import { LeaderboardCard } from "./leaderboard-card";

const STATUS_STYLE: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-amber-100 text-amber-800",
  done: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
};

const pct = (x: number | undefined) => (x === undefined ? "–" : `${(100 * x).toFixed(0)}%`);

export function ModelsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const q = useQuery(trpc.admin.models.overview.queryOptions({ projectId }, { refetchInterval: 3_000 }));
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.admin.models.pathKey() });
  const train = useMutation(trpc.admin.models.train.mutationOptions({ onSuccess: invalidate }));
  const activate = useMutation(trpc.admin.models.activate.mutationOptions({ onSuccess: invalidate }));
  if (q.error) return <ErrorText error={q.error} />;
  if (!q.data) return <p className="text-slate-500">Loading…</p>;
  const m = q.data;
  if (!m.activePolicy)
    return (
      <Card title="Model">
        <p className="text-sm text-slate-600" data-testid="models-no-policy">
          This project ranks imported candidates; no model generates or trains here.
        </p>
      </Card>
    );
  const busy = m.runs.some((r) => r.status === "queued" || r.status === "running");
  return (
    <div className="space-y-4">
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Active policy">
          <p className="text-lg font-semibold" data-testid="active-policy">
            {m.activePolicy.name}
          </p>
          <p className="text-sm text-slate-600">
            Round {m.currentRound}: new candidates come from this version.{" "}
            {m.trainEvery > 0
              ? `A training round starts every ${plural(m.trainEvery, "new judgment")} (${m.judgmentsSinceRun} since the last one).`
              : "Training rounds start on demand."}
          </p>
          <div className="mt-3 flex items-center gap-3">
            <Button
              onClick={() => train.mutate({ projectId })}
              disabled={busy || train.isPending}
              data-testid="train-now"
            >
              Train a round now
            </Button>
            {busy && <span className="text-sm text-amber-700">A round is in progress…</span>}
          </div>
          <div className="mt-2">
            <ErrorText error={train.error} />
          </div>
        </Card>
        <Card title="Candidate generation">
          <table className="w-full text-sm">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1">Round</th>
                <th>Comparisons</th>
                <th>Judgments</th>
              </tr>
            </thead>
            <tbody data-testid="generation-rounds">
              {m.generation.rounds.map((r) => (
                <tr key={r.round} className="border-t border-slate-100">
                  <td className="py-1">{r.round}</td>
                  <td>{r.comparisons}</td>
                  <td>{r.judgments}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-sm text-slate-600">
            {plural(m.generation.promptsWaiting, "prompt")} without candidates of round {m.currentRound} yet (the worker
            keeps a buffer ready ahead of the labellers).
          </p>
          {m.generation.tooLong.length > 0 && (
            <div className="mt-2 text-sm text-red-700" data-testid="too-long">
              <p className="font-medium">Not generated (too long for the model):</p>
              <ul className="list-disc pl-5">
                {m.generation.tooLong.map((p) => (
                  <li key={p.id}>
                    #{p.seq}: {p.generationError}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </Card>
      </div>
      <Card title="Training rounds">
        {m.runs.length === 0 ? (
          <p className="text-sm text-slate-600">No round yet.</p>
        ) : (
          <ul className="space-y-4" data-testid="training-runs">
            {m.runs.map((r) => (
              <li key={r.id} className="rounded border border-slate-200 p-3" data-testid={`run-${r.number}`}>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-semibold">Round {r.number}</span>
                  <span
                    className={`rounded px-2 py-0.5 text-xs ${STATUS_STYLE[r.status] ?? ""}`}
                    data-testid="run-status"
                  >
                    {r.status}
                  </span>
                  {r.isPromoted && (
                    <span className="rounded bg-indigo-100 px-2 py-0.5 text-xs text-indigo-800">promoted</span>
                  )}
                  <span className="text-slate-600">
                    {r.objective.toUpperCase()} from {r.parent ?? "?"}
                    {r.result ? ` → ${r.result}` : ""}
                    {r.rewardModel ? ` (reward model ${r.rewardModel})` : ""} · {plural(r.judgments, "judgment")},{" "}
                    {plural(r.pairs, "pair")} · {r.trigger === "schedule" ? "scheduled" : "by an admin"}
                  </span>
                </div>
                {r.error && <p className="mt-1 text-sm text-red-700">{r.error}</p>}
                {r.evaluation.eval_win_rate !== undefined && (
                  <p className="mt-1 text-sm text-slate-700" data-testid="run-versus">
                    New vs current on {plural(r.evaluation.eval_prompts ?? 0, "held-out prompt")}: win rate{" "}
                    {pct(r.evaluation.eval_win_rate)}, reward-model score{" "}
                    {r.evaluation.eval_new_reward?.toFixed(3) ?? "–"} vs{" "}
                    {r.evaluation.eval_current_reward?.toFixed(3) ?? "–"}, KL(new ‖ current){" "}
                    {r.evaluation.eval_kl?.toFixed(3) ?? "–"} nats
                  </p>
                )}
                {r.evaluation.reward_eval_accuracy !== undefined && (
                  <p className="mt-1 text-sm text-slate-700" data-testid="run-reward-eval">
                    Reward model: held-out pairwise accuracy {pct(r.evaluation.reward_eval_accuracy)}, loss{" "}
                    {r.evaluation.reward_eval_loss?.toFixed(4) ?? "–"}
                  </p>
                )}
                {r.evaluation["eval_rewards/accuracies"] !== undefined && (
                  <p className="mt-1 text-sm text-slate-700" data-testid="run-eval">
                    DPO held-out: implicit reward accuracy {pct(r.evaluation["eval_rewards/accuracies"])}, margin{" "}
                    {r.evaluation["eval_rewards/margins"]?.toFixed(3) ?? "–"}, loss{" "}
                    {r.evaluation.eval_loss?.toFixed(4) ?? "–"}
                  </p>
                )}
                {r.losses.length > 1 && (
                  <div className="mt-2 h-40" aria-label={`Training loss of round ${r.number}`}>
                    <ResponsiveContainer width="100%" height="100%">
                      <LineChart data={r.losses}>
                        <CartesianGrid strokeDasharray="3 3" />
                        <XAxis dataKey="step" fontSize={11} />
                        <YAxis fontSize={11} domain={["auto", "auto"]} />
                        <Tooltip />
                        <Line type="monotone" dataKey="loss" stroke="#4f46e5" dot={false} isAnimationActive={false} />
                      </LineChart>
                    </ResponsiveContainer>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Policy versions">
        <ul className="space-y-1 text-sm" data-testid="policy-versions">
          {m.versions.map((v) => (
            <li key={v.id} className="flex flex-wrap items-center gap-2">
              <span className="font-medium">{v.name}</span>
              <span className="text-slate-500">{v.parent ? `from ${v.parent}` : "base"}</span>
              {v.isDownloadable && (
                <a
                  className="text-indigo-700 hover:underline"
                  href={`/api/admin/models/${encodeURIComponent(v.id)}/download`}
                  download
                >
                  Download (.tar)
                </a>
              )}
              {v.isActive ? (
                <span className="rounded bg-indigo-100 px-2 py-0.5 text-xs text-indigo-800">active</span>
              ) : (
                <Button
                  variant="secondary"
                  disabled={activate.isPending}
                  onClick={() => {
                    if (window.confirm(`Make ${v.name} the active policy? New candidates will come from it.`))
                      activate.mutate({ projectId, versionId: v.id });
                  }}
                >
                  Make active
                </Button>
              )}
            </li>
          ))}
        </ul>
        <ErrorText error={activate.error} />
      </Card>
      <Card title="Reward models">
        {m.rewardModels.length === 0 ? (
          <p className="text-sm text-slate-600">No reward model yet: each training round trains one first.</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="reward-versions">
            {m.rewardModels.map((v) => (
              <li key={v.id} className="flex flex-wrap items-center gap-2">
                <span className="font-medium">{v.name}</span>
                <span className="text-slate-500">
                  {v.round !== null ? `round ${v.round}, ` : ""}from {v.parent ?? "?"} ·{" "}
                  {plural(v.judgments, "judgment")} · held-out accuracy{" "}
                  {v.heldOutAccuracy === null ? "– (too few judgments)" : pct(v.heldOutAccuracy)}
                  {v.finalLoss !== null ? ` · final loss ${v.finalLoss.toFixed(4)}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <LeaderboardCard projectId={projectId} />
      <WorkersCard compact />
    </div>
  );
}
