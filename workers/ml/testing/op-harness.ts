// Runs one op as a one-node graph through onnxruntime and the float64 reference and compares them, checking
// the builder's inferred shapes against the real ones; a test helper, not a benchmark.
import { evalDim, GraphBuilder, isFloatDType, type DimLike, type Graph, type Tensor, type Value } from "../ir";
import { toDim } from "../ir";
import { serializeModel } from "../onnx";
import { applyOpByName } from "../ops";
import { evaluate } from "../reference";
import { createSession } from "../runtime";
import { expectClose, type Tolerance } from "./expect-close";

/** A graph input fed at run time (optionally declared with symbolic dims), a constant initializer, or absent. */
export type CaseInput =
  { readonly feed: Tensor; readonly dims?: readonly DimLike[] } | { readonly const: Tensor } | null;

export interface OpCase {
  readonly op: string;
  readonly inputs: readonly CaseInput[];
  readonly attrs?: Readonly<Record<string, unknown>>;
  /** Float outputs only; integer and bool outputs must match exactly. */
  readonly tol?: Partial<Tolerance>;
}

export function feed(t: Tensor, dims?: readonly DimLike[]): CaseInput {
  return { feed: t, dims };
}

export function konst(t: Tensor): CaseInput {
  return { const: t };
}

export const DEFAULT_TOL: Tolerance = { atol: 1e-6, rtol: 1e-5 };

export function buildOneNode(c: OpCase): { graph: Graph; feeds: Record<string, Tensor>; env: Record<string, number> } {
  const b = new GraphBuilder(`${c.op}_test`);
  const feeds: Record<string, Tensor> = {};
  const env: Record<string, number> = {};
  const ins = c.inputs.map((x, i): Value | null => {
    if (x === null) return null;
    if ("const" in x) return b.constant(x.const, `c${i}`);
    const dims = x.dims ?? x.feed.shape;
    dims.forEach((d, k) => {
      const dim = toDim(d);
      if (typeof dim !== "number" && /^[A-Za-z_]\w*$/.test(dim.text)) env[dim.text] = x.feed.shape[k] ?? -1;
    });
    feeds[`x${i}`] = x.feed;
    return b.input(`x${i}`, x.feed.dtype, dims);
  });
  applyOpByName(b, c.op, ins, c.attrs).forEach((v, i) => b.output(v, `y${i}`));
  return { graph: b.build(), feeds, env };
}

/** Builds, runs through onnxruntime (CPU, one thread) and the reference, and compares every output. */
export async function checkOp(c: OpCase): Promise<void> {
  const { graph, feeds, env } = buildOneNode(c);
  const session = await createSession(serializeModel(graph).model, { intraOpThreads: 1, interOpThreads: 1 });
  try {
    const got = await session.run(feeds);
    const want = evaluate(graph, feeds);
    for (const v of graph.outputs) {
      const [g, w] = [got[v.name], want[v.name]];
      if (!g || !w) throw new Error(`${c.op}: output ${v.name} missing`);
      const label = `${c.op} ${v.name}`;
      if (g.dtype !== v.type.dtype)
        throw new Error(`${label}: onnxruntime gave ${g.dtype}, the builder inferred ${v.type.dtype}`);
      v.type.shape.forEach((d, k) => {
        const inferred = evalDim(d, env);
        if (inferred !== undefined && inferred !== g.shape[k])
          throw new Error(`${label}: inferred dim ${k} = ${String(d)} = ${inferred}, onnxruntime gave ${g.shape[k]}`);
      });
      if (v.type.shape.length !== g.shape.length)
        throw new Error(`${label}: inferred rank ${v.type.shape.length}, onnxruntime gave [${g.shape.join(", ")}]`);
      const tol = isFloatDType(g.dtype) ? { ...DEFAULT_TOL, ...c.tol } : { atol: 0, rtol: 0 };
      expectClose(g, w, tol, label);
    }
  } finally {
    await session.dispose();
  }
}
