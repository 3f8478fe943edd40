// Checks one gradient test case: (a) the float64 reference run of the backward graph against central finite
// differences of the float64 forward, (b) onnxruntime's float32 run of the same backward graph against (a)'s
// reference gradients. Throws with the case, the input and the worst element; a test helper.
import { at, fromNumbers, type Graph, type Tensor, type Value } from "../../ir";
import { serializeModel } from "../../onnx";
import { evaluate, nd, type NdArray } from "../../reference";
import { createSession } from "../../runtime";
import { expectClose, Rng } from "../../testing";
import { buildCase } from "./build-case";
import {
  dtypeOf,
  hashSeed,
  isWrt,
  resolveInputs,
  TOL32,
  TOL64,
  type FloatType,
  type GradCase,
  type ResolvedInput,
} from "./grad-case";

/** Step of the central differences.
 *  NOTE: absolute, not scaled by |x|: softmax of logits near 1000 is shift-invariant, so a step of 1e-2
 *  there only adds truncation error; the rounding error of x + h stays below 1e-12 / h for |x| < 1e4. */
const H = 1e-5;

export interface GradReport {
  /** Nodes of the forward graph and loss, and of the whole training graph. */
  readonly forwardNodes: number;
  readonly totalNodes: number;
  readonly backward: Graph;
}

function lossAt(g: Graph, feeds: Record<string, Tensor | NdArray>): number {
  return at(evaluate(g, feeds).loss?.data ?? [], 0);
}

/** The loss of the float64 graph with `inp` set to `values` (a feed or an initializer). */
function lossWith(
  g: Graph,
  feeds: Record<string, Tensor | NdArray>,
  inp: ResolvedInput,
  values: readonly number[],
): number {
  if (inp.kind !== "parameter") return lossAt(g, { ...feeds, [inp.name]: nd("float64", inp.shape, values) });
  const initializers = g.initializers.map((i) =>
    i.value.name === inp.name ? { value: i.value, data: fromNumbers("float64", inp.shape, values) } : i,
  );
  return lossAt({ ...g, initializers }, feeds);
}

/** Central differences of the loss along `direction` (one element: a unit vector). */
function centralDifference(
  g: Graph,
  feeds: Record<string, Tensor | NdArray>,
  inp: ResolvedInput,
  direction: (k: number) => number,
): number {
  const moved = (s: number) => inp.values.map((v, k) => v + s * H * direction(k));
  return (lossWith(g, feeds, inp, moved(1)) - lossWith(g, feeds, inp, moved(-1))) / (2 * H);
}

/** Compares the analytic gradient of `inp` with central differences: per element (all, or a seeded sample),
 *  and along random directions over all elements when asked. */
function checkFiniteDifferences(
  c: GradCase,
  g: Graph,
  feeds: Record<string, Tensor | NdArray>,
  inp: ResolvedInput,
  analytic: Float64Array,
): void {
  const tol = { ...TOL64, ...c.tol64 };
  const label = `${c.name}: d loss / d ${inp.name}, reference backward vs finite differences`;
  const rng = new Rng(hashSeed(`${c.name}/${inp.name}/fd`));
  const n = inp.values.length;
  const sample =
    c.fdSample === undefined || c.fdSample >= n
      ? Array.from({ length: n }, (_, k) => k)
      : Array.from({ length: c.fdSample }, () => rng.int(0, n));
  const fd = sample.map((j) => centralDifference(g, feeds, inp, (k) => (k === j ? 1 : 0)));
  expectClose(
    sample.map((j) => at(analytic, j)),
    fd,
    tol,
    `${label} (elements ${sample.join(", ")})`,
  );
  for (let d = 0; d < (c.fdDirections ?? 0); d++) {
    const dir = rng.normals(n);
    const along = dir.reduce((s, v, k) => s + v * at(analytic, k), 0);
    expectClose(
      [along],
      [centralDifference(g, feeds, inp, (k) => at(dir, k))],
      tol,
      `${label} (random direction ${d})`,
    );
  }
}

/** The inputs' feeds in float64 (exact, for the reference) or float32 (for onnxruntime). */
function inputFeeds(inputs: readonly ResolvedInput[], dt: FloatType): Record<string, Tensor | NdArray> {
  const feeds: Record<string, Tensor | NdArray> = {};
  for (const inp of inputs) {
    if ((inp.kind ?? "input") !== "input") continue;
    const dtype = dtypeOf(inp, dt);
    feeds[inp.name] =
      dtype === "float64" ? nd("float64", inp.shape, inp.values) : fromNumbers(dtype, inp.shape, inp.values);
  }
  return feeds;
}

/** Random weightings of the outputs in the loss, shaped like the outputs at run time. */
function weightFeeds(c: GradCase, probe: Graph, feeds: Record<string, Tensor | NdArray>): Record<string, NdArray> {
  const weights = probe.inputs.filter((v) => v.name.startsWith("weight_"));
  const ys = weights.map((w) => w.consumers[0]?.inputs[0] ?? null).filter((v): v is Value => v !== null);
  const placeholders = Object.fromEntries(weights.map((w) => [w.name, nd("float64", [], [0])]));
  const outs = evaluate({ ...probe, outputs: ys }, { ...feeds, ...placeholders });
  const rng = new Rng(hashSeed(`${c.name}/weights`));
  return Object.fromEntries(
    weights.map((w, i) => {
      const shape = outs[ys[i]?.name ?? ""]?.shape ?? [];
      return [w.name, nd("float64", shape, rng.normals(shape.reduce((p, q) => p * q, 1)).map(Math.fround))];
    }),
  );
}

export async function checkGradCase(c: GradCase): Promise<GradReport> {
  const inputs = resolveInputs(c);
  const probe = buildCase(c, inputs, "float64", false);
  const weights = weightFeeds(c, probe.graph, inputFeeds(inputs, "float64"));
  const feeds64 = { ...inputFeeds(inputs, "float64"), ...weights };
  const full64 = buildCase(c, inputs, "float64", true);
  const ref = evaluate(full64.graph, feeds64);
  for (const inp of inputs.filter(isWrt)) {
    const analytic = ref[`grad.${inp.name}`];
    if (!analytic) throw new Error(`case ${c.name}: no gradient output for ${inp.name}`);
    checkFiniteDifferences(c, probe.graph, feeds64, inp, analytic.data);
  }
  await checkOnnxRuntime(c, inputs, weights, ref);
  return { forwardNodes: full64.forwardNodes, totalNodes: full64.graph.nodes.length, backward: full64.graph };
}

async function checkOnnxRuntime(
  c: GradCase,
  inputs: readonly ResolvedInput[],
  weights: Record<string, NdArray>,
  ref: Record<string, NdArray>,
): Promise<void> {
  const built = buildCase(c, inputs, "float32", true);
  const feeds = inputFeeds(inputs, "float32") as Record<string, Tensor>;
  for (const v of built.graph.inputs) {
    const w = weights[v.name];
    if (w) feeds[v.name] = fromNumbers(v.type.dtype, w.shape, w.data);
  }
  const session = await createSession(serializeModel(built.graph).model, { intraOpThreads: 1, interOpThreads: 1 });
  try {
    const got = await session.run(feeds);
    const tol32 = { ...TOL32, ...c.tol32 };
    expectClose(got.loss ?? [], ref.loss ?? [], tol32, `${c.name}: loss, onnxruntime float32 vs float64 reference`);
    for (const inp of inputs.filter(isWrt)) {
      const name = `grad.${inp.name}`;
      expectClose(
        got[name] ?? [],
        ref[name] ?? [],
        tol32,
        `${c.name}: d loss / d ${inp.name}, onnxruntime float32 vs float64 reference`,
      );
    }
  } finally {
    await session.dispose();
  }
}
