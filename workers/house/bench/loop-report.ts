// The loop benchmark's record: a markdown section (machine, date, command, one table per round) and an SVG
// of accuracy, preferred-style rate and reward-model accuracy per round.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TPolicyEval } from "./loop-eval";

export interface TRoundResult {
  readonly round: number;
  readonly judgments: number;
  readonly rmAccuracy: number;
  readonly rmPairs: number;
  readonly policy: TPolicyEval;
  readonly sft: TPolicyEval;
  readonly seconds: number;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatRound(x: TRoundResult): string {
  const row = (name: string, e: TPolicyEval) =>
    `| ${name} | ${pct(e.accuracy)} | ${Object.entries(e.styleRate)
      .map(([s, v]) => `${s} ${pct(v)}`)
      .join(", ")} | ${e.meanReward.toFixed(3)} | ${e.klToReference.toFixed(3)} |`;
  return [
    `round ${x.round}: ${x.judgments} judgments so far, reward model held-out pairwise accuracy ${pct(x.rmAccuracy)} on ${x.rmPairs} pairs, ${x.seconds.toFixed(0)} s`,
    "",
    "| model | held-out accuracy | styles | mean reward | log-ratio to SFT |",
    "| --- | --- | --- | --- | --- |",
    row("policy", x.policy),
    row("SFT", x.sft),
  ].join("\n");
}

export async function writeLoopReport(
  file: string,
  o: {
    argv: readonly string[];
    preferredStyle: string;
    results: readonly TRoundResult[];
    seconds: number;
    /** Names the SVG written beside `file`: bench-loop-<slug>.svg. */
    slug: string;
  },
): Promise<void> {
  const vl = await import("vega-lite");
  const vega = await import("vega");
  const points = o.results.flatMap((r) => [
    { round: r.round, metric: "policy held-out accuracy", value: r.policy.accuracy },
    { round: r.round, metric: "SFT held-out accuracy", value: r.sft.accuracy },
    {
      round: r.round,
      metric: `policy ${o.preferredStyle} rate`,
      value: r.policy.styleRate[o.preferredStyle as "terse"] ?? 0,
    },
    { round: r.round, metric: "reward model pairwise accuracy", value: r.rmAccuracy },
  ]);
  const spec = {
    title: `bench:loop ${o.argv.join(" ")}`,
    width: 480,
    height: 260,
    data: { values: points },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "round", type: "ordinal" },
      y: { field: "value", type: "quantitative", scale: { domain: [0, 1] } },
      color: { field: "metric", type: "nominal" },
    },
  };
  const view = new vega.View(vega.parse(vl.compile(spec as never).spec), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  const svgFile = path.join(path.dirname(file), `bench-loop-${o.slug.replace(/[^A-Za-z0-9-]+/g, "-")}.svg`);
  fs.writeFileSync(svgFile, svg);
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const text = [
    `## bench:loop ${o.argv.join(" ")}`,
    "",
    `${new Date().toISOString().slice(0, 10)}, ${cpu}, ${os.cpus().length} cores (shared with other work), ${(o.seconds / 60).toFixed(1)} min in all.`,
    "",
    ...o.results.flatMap((r) => [formatRound(r), ""]),
    `![loop](${path.basename(svgFile)})`,
    "",
  ].join("\n");
  fs.appendFileSync(file, text);
}
