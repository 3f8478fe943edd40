"use client";
// Quality control of a project: agreement (Krippendorff's alpha, Kendall's tau-b) with the counts behind them,
// the position-bias audit, each labeller's reliability inputs and score (with their gold accuracy), the labellers
// paused on gold accuracy (with Resume), and a sample of the weighted consensus.
// Plots are plain SVG with presentation attributes only (the CSP allows no inline styles).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText } from "../../_components/ui";
import { plural } from "../../_components/plural";

const fmt = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? "–" : v.toFixed(digits));
const pct = (v: number) => `${Math.round(v * 100)}%`;
const secs = (ms: number | null) => (ms === null ? "–" : `${(ms / 1000).toFixed(1)} s`);
const FLAG_LABELS: Record<string, string> = {
  "against-consensus": "against consensus",
  outlier: "outlier votes",
  "position-bias": "position bias",
  "keeps-shown-order": "keeps shown order",
  "too-fast": "too fast",
};

function AlphaPlot({ points }: { points: { week: string; alpha: number | null; units: number }[] }) {
  const W = 420;
  const H = 160;
  const pad = 28;
  const usable = points.filter((p) => p.alpha !== null);
  if (usable.length === 0)
    return <p className="text-sm text-slate-500">No week has two labellers on one comparison yet.</p>;
  const x = (i: number) => pad + (points.length === 1 ? (W - 2 * pad) / 2 : (i * (W - 2 * pad)) / (points.length - 1));
  const y = (a: number) => H - pad - ((Math.max(-1, Math.min(1, a)) + 1) / 2) * (H - 2 * pad);
  const path = points
    .map((p, i) => (p.alpha === null ? null : `${x(i)},${y(p.alpha)}`))
    .filter(Boolean)
    .join(" ");
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="w-full"
      role="img"
      aria-label="Krippendorff's alpha per week"
      data-testid="alpha-plot"
    >
      {[-1, 0, 0.667, 1].map((v) => (
        <g key={v}>
          <line
            x1={pad}
            x2={W - pad}
            y1={y(v)}
            y2={y(v)}
            stroke={v === 0.667 ? "#16a34a" : "#e2e8f0"}
            strokeDasharray={v === 0.667 ? "4 3" : undefined}
          />
          <text x={2} y={y(v) + 4} fontSize={10} fill="#64748b">
            {v}
          </text>
        </g>
      ))}
      <polyline points={path} fill="none" stroke="#4f46e5" strokeWidth={2} />
      {points.map((p, i) =>
        p.alpha === null ? null : (
          <circle key={p.week} cx={x(i)} cy={y(p.alpha)} r={3} fill="#4f46e5">
            <title>{`week of ${p.week}: alpha ${p.alpha.toFixed(3)} over ${p.units} items`}</title>
          </circle>
        ),
      )}
      <text x={pad} y={H - 6} fontSize={10} fill="#64748b">
        {points[0]?.week}
      </text>
      <text x={W - pad} y={H - 6} fontSize={10} fill="#64748b" textAnchor="end">
        {points[points.length - 1]?.week}
      </text>
    </svg>
  );
}

function BiasPlot({ positions }: { positions: { position: number; firstShare: number; chanceFirstShare: number }[] }) {
  const W = 420;
  const H = 160;
  const pad = 28;
  const max = Math.max(0.01, ...positions.flatMap((p) => [p.firstShare, p.chanceFirstShare]));
  const bw = (W - 2 * pad) / Math.max(1, positions.length);
  const y = (v: number) => H - pad - (v / max) * (H - 2 * pad);
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      className="w-full"
      role="img"
      aria-label="Share ranked first per shown position"
      data-testid="bias-plot"
    >
      <line x1={pad} x2={W - pad} y1={H - pad} y2={H - pad} stroke="#94a3b8" />
      {positions.map((p, i) => (
        <g key={p.position}>
          <rect
            x={pad + i * bw + bw * 0.2}
            width={bw * 0.6}
            y={y(p.firstShare)}
            height={H - pad - y(p.firstShare)}
            fill="#4f46e5"
          >
            <title>{`position ${p.position}: ranked first ${pct(p.firstShare)}, chance ${pct(p.chanceFirstShare)}`}</title>
          </rect>
          <line
            x1={pad + i * bw + bw * 0.1}
            x2={pad + i * bw + bw * 0.9}
            y1={y(p.chanceFirstShare)}
            y2={y(p.chanceFirstShare)}
            stroke="#f59e0b"
            strokeWidth={2}
            strokeDasharray="4 2"
          />
          <text x={pad + i * bw + bw / 2} y={H - pad + 14} fontSize={10} fill="#64748b" textAnchor="middle">
            {`#${p.position} ${pct(p.firstShare)}`}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function QualityPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.admin.quality.overview.queryOptions({ projectId }));
  const consensus = useQuery(
    trpc.admin.quality.consensus.queryOptions({ projectId, weighting: "reliability", take: 10 }),
  );
  if (q.error) return <ErrorText error={q.error} />;
  if (!q.data) return <p className="text-slate-500">Computing quality figures…</p>;
  const d = q.data;
  const biased = d.labellers.filter((l) => l.bias.significant);
  const chi = d.positionBias.chiSquare;
  return (
    <div className="space-y-4" data-testid="quality-panel">
      {(d.positionBias.significant || biased.length > 0) && (
        <div
          role="alert"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="bias-warning"
        >
          Position bias:{" "}
          {d.positionBias.significant && "across the project, the shown position changes how candidates are ranked. "}
          {biased.length > 0 &&
            `${biased.map((l) => l.email).join(", ")} ${biased.length === 1 ? "ranks" : "rank"} by position more than chance allows.`}
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <Card title="Agreement">
          <dl className="grid grid-cols-2 gap-2 text-sm">
            <div>
              <dt className="text-slate-500">Krippendorff&apos;s alpha</dt>
              <dd className="text-lg font-semibold" data-testid="alpha">
                {fmt(d.alpha.alpha, 3)}
              </dd>
              <dd className="text-xs text-slate-500" data-testid="alpha-units">
                {plural(d.alpha.units, "pairwise item")}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Mean Kendall&apos;s tau-b</dt>
              <dd className="text-lg font-semibold" data-testid="tau">
                {fmt(d.tau.mean, 3)}
              </dd>
              <dd className="text-xs text-slate-500" data-testid="tau-items">
                {plural(d.tau.items, "labeller pair")} on shared comparisons
              </dd>
            </div>
          </dl>
          <p className="mt-2 text-xs text-slate-500">
            {plural(d.judgments, "judgment")} on {plural(d.comparisons, "comparison")}. Alpha ≥ 0.667 (dashed line) is
            the usual bar for tentative conclusions, ≥ 0.8 for firm ones.
          </p>
        </Card>
        <Card title="Alpha per week">
          <AlphaPlot points={d.alphaByWeek} />
        </Card>
        <Card title="Ranked first, per shown position">
          <BiasPlot positions={d.positionBias.positions} />
          <p className="mt-1 text-xs text-slate-500" data-testid="bias-test">
            {chi
              ? `chi-square ${chi.statistic.toFixed(1)} (${chi.df} df), p = ${chi.pValue.toExponential(2)}${d.positionBias.significant ? ": significant" : ""}`
              : "Too few judgments for a test."}{" "}
            Dashed: chance.
          </p>
        </Card>
      </div>
      <Card title="Labellers">
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="labeller-table">
            <thead className="text-left text-xs text-slate-500">
              <tr>
                <th className="py-1 pr-3">Labeller</th>
                <th className="pr-3">Judgments</th>
                <th className="pr-3">Agreement with consensus (τ)</th>
                <th className="pr-3">τ with others</th>
                <th className="pr-3">Median time</th>
                <th className="pr-3">Too fast</th>
                <th className="pr-3">Kept shown order</th>
                <th className="pr-3">Outlier p</th>
                <th className="pr-3">Position bias p</th>
                <th className="pr-3" title="n checks · mean τ · top-1 hit rate · flag recall · mean score">
                  Gold (n · τ · top-1 · flags · score)
                </th>
                <th className="pr-3">Reliability</th>
                <th>Flags</th>
              </tr>
            </thead>
            <tbody>
              {d.labellers.map((l) => (
                <tr key={l.userId} className="border-t border-slate-100" data-testid="labeller-row">
                  <td className="py-1 pr-3">
                    {l.importedFrom ? l.name : l.email}
                    {l.importedFrom && (
                      <span
                        className="ml-2 rounded bg-slate-100 px-1 text-xs text-slate-600"
                        title={`Judgments imported from ${l.importedFrom}; not timed, shown order unknown`}
                      >
                        imported
                      </span>
                    )}
                  </td>
                  <td className="pr-3">{l.judgments}</td>
                  <td className="pr-3">
                    {fmt(l.looTau)} <span className="text-xs text-slate-400">({l.looItems})</span>
                  </td>
                  <td className="pr-3">
                    {fmt(l.tauWithOthers)} <span className="text-xs text-slate-400">({l.tauItems})</span>
                  </td>
                  <td className="pr-3">{secs(l.medianActiveMs)}</td>
                  <td className="pr-3">{pct(l.tooFastShare)}</td>
                  <td className="pr-3">
                    {pct(l.keepsOrderShare)}{" "}
                    <span className="text-xs text-slate-400">(chance {pct(l.chanceKeepsOrderShare)})</span>
                  </td>
                  <td className="pr-3">{l.outlier.pValue === null ? "–" : l.outlier.pValue.toExponential(1)}</td>
                  <td className="pr-3">{l.bias.chiSquare ? l.bias.chiSquare.pValue.toExponential(1) : "–"}</td>
                  <td className="pr-3 whitespace-nowrap" data-testid="labeller-gold">
                    {l.gold
                      ? `${l.gold.judgments} · ${fmt(l.gold.meanTau)} · ${l.gold.top1Rate === null ? "–" : pct(l.gold.top1Rate)} · ${l.gold.flagRecall === null ? "–" : pct(l.gold.flagRecall)} · ${pct(l.gold.meanScore)}`
                      : "–"}
                  </td>
                  <td className="pr-3 font-semibold" data-testid="reliability">
                    {fmt(l.score)}
                  </td>
                  <td className="text-xs">
                    {l.flags.map((f) => (
                      <span
                        key={f}
                        className="mr-1 rounded bg-red-50 px-1.5 py-0.5 text-red-700"
                        data-testid="labeller-flag"
                      >
                        {FLAG_LABELS[f] ?? f}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="mt-2 text-xs text-slate-500">
          Reliability = agreement with the others&apos; consensus (0 if negative) × (1 − too-fast share) × (1 −
          shown-order share above chance), halved for an outlier, × the mean gold score once a labeller has{" "}
          {plural(d.thresholds.goldMinJudgments, "gold judgment")}. Too fast: under {secs(d.tooFastBelowMs)} (a quarter
          of the project median {secs(d.medianActiveMs)}). Tests are significant below p = {d.thresholds.significance}.
        </p>
      </Card>
      <PausedLabellers projectId={projectId} />
      <Card title="Consensus (reliability-weighted), first comparisons">
        {consensus.error && <ErrorText error={consensus.error} />}
        <ul className="space-y-1 text-xs" data-testid="consensus-list">
          {consensus.data?.map((c) => (
            <li key={c.comparisonId}>
              <span className="text-slate-500">{c.comparisonId.slice(-6)}</span> ({plural(c.judgments, "judgment")}):{" "}
              {c.tiers.map((t) => t.map((id) => id.slice(-4)).join(" = ")).join(" > ")} · least sure pair{" "}
              {fmt(Math.min(...c.pairs.map((p) => p.confidence)))}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

/** Labellers paused on gold accuracy in this project, each with the reason they see and a Resume button. */
function PausedLabellers({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pauses = useQuery(trpc.admin.quality.pauses.queryOptions({ projectId }));
  const resume = useMutation(
    trpc.admin.quality.resume.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.quality.pathKey() }),
    }),
  );
  return (
    <Card title="Paused labellers (gold accuracy)">
      <ErrorText error={pauses.error ?? resume.error} />
      {pauses.data?.length === 0 && <p className="text-sm text-slate-500">Nobody is paused.</p>}
      <ul className="space-y-2 text-sm" data-testid="paused-list">
        {pauses.data?.map((p) => (
          <li key={p.id} className="flex flex-wrap items-center gap-3" data-testid="paused-labeller">
            <span className="font-medium">{p.user.name ? `${p.user.name} (${p.user.email})` : p.user.email}</span>
            <span className="text-slate-600">{p.reason}</span>
            <span className="text-xs text-slate-400">since {p.createdAt.toLocaleString()}</span>
            <Button
              variant="secondary"
              disabled={resume.isPending}
              onClick={() => resume.mutate({ projectId, userId: p.user.id })}
              data-testid="resume-labeller"
            >
              Resume
            </Button>
          </li>
        ))}
      </ul>
      <p className="mt-2 text-xs text-slate-500">
        After a resume only gold judgments made from then on count toward the next pause.
      </p>
    </Card>
  );
}
