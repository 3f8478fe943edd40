// Loss curves as SVG, rendered headless with vega-lite -> vega (no browser, no canvas).
import fs from "node:fs";

export interface TLossPoint {
  readonly stage: string;
  readonly step: number;
  readonly series: string;
  readonly loss: number;
}

/** `metrics.jsonl` of a training run -> its training and held-out loss points. */
export function readLossPoints(file: string, stage: string): TLossPoint[] {
  const out: TLossPoint[] = [];
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as Record<string, number>;
    const step = e.step ?? 0;
    if (typeof e.loss === "number") out.push({ stage, step, series: "train", loss: e.loss });
    if (typeof e.eval_loss === "number") out.push({ stage, step, series: "held-out rows", loss: e.eval_loss });
  }
  return out;
}

export async function lossCurvesSvg(points: readonly TLossPoint[], title: string): Promise<string> {
  const vl = await import("vega-lite");
  const vega = await import("vega");
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title,
    data: { values: points },
    facet: { column: { field: "stage", type: "nominal", sort: ["pre-training", "SFT"], title: null } },
    resolve: { scale: { x: "independent", y: "independent" } },
    spec: {
      width: 320,
      height: 220,
      mark: { type: "line", point: false },
      encoding: {
        x: { field: "step", type: "quantitative", title: "optimiser step" },
        y: { field: "loss", type: "quantitative", title: "cross-entropy (nats/token)", scale: { zero: false } },
        color: { field: "series", type: "nominal", title: null },
      },
    },
  };
  const compiled = vl.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}
