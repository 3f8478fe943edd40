// Structural checks of a Graph (unique names, defined-before-use, reachable outputs, nothing dangling); no typing.
import { ancestors, type Graph, type Initializer, type Node, type Value } from "./graph";

export interface Dangling {
  readonly nodes: Node[];
  readonly initializers: Initializer[];
  readonly inputs: Value[];
}

/** What no graph output depends on. */
export function findDangling(g: Graph): Dangling {
  const live = new Set(ancestors(g.nodes, g.outputs));
  const used = new Set<Value>(g.outputs);
  for (const n of live) for (const v of n.inputs) if (v) used.add(v);
  return {
    nodes: g.nodes.filter((n) => !live.has(n)),
    initializers: g.initializers.filter((i) => !used.has(i.value)),
    inputs: g.inputs.filter((v) => !used.has(v)),
  };
}

/** Throws on the first structural error, naming the value or node. Unused graph inputs count as dangling
 *  unless allowed (a pruned graph keeps its declared interface). */
export function validateGraph(g: Graph, options: { readonly allowUnusedInputs?: boolean } = {}): void {
  const fail = (msg: string): never => {
    throw new Error(`graph "${g.name}": ${msg}`);
  };
  if (g.outputs.length === 0) fail("has no outputs");
  const defined = new Set<Value>();
  const names = new Set<string>();
  const define = (v: Value, what: string) => {
    if (names.has(v.name)) fail(`duplicate value name "${v.name}" (${what})`);
    names.add(v.name);
    defined.add(v);
  };
  for (const v of g.inputs) define(v, "input");
  for (const i of g.initializers) {
    if (i.data.dtype !== i.value.type.dtype)
      fail(`initializer "${i.value.name}" data is ${i.data.dtype}, its value ${i.value.type.dtype}`);
    define(i.value, "initializer");
  }
  const nodeNames = new Set<string>();
  for (const n of g.nodes) {
    if (nodeNames.has(n.name)) fail(`duplicate node name "${n.name}"`);
    nodeNames.add(n.name);
    for (const v of n.inputs)
      if (v && !defined.has(v)) fail(`node ${n.name} (${n.opType}) reads "${v.name}" before it is defined`);
    for (const v of n.outputs) {
      if (v.producer !== n) fail(`value "${v.name}" is listed by node ${n.name} but produced elsewhere`);
      define(v, `output of ${n.name}`);
    }
  }
  const seen = new Set<Value>();
  for (const v of g.outputs) {
    if (!defined.has(v)) fail(`output "${v.name}" is not produced by the graph`);
    if (seen.has(v)) fail(`output "${v.name}" is listed twice`);
    seen.add(v);
  }
  const d = findDangling(g);
  const first =
    d.nodes[0]?.name ??
    d.initializers[0]?.value.name ??
    (options.allowUnusedInputs === true ? undefined : d.inputs[0]?.name);
  if (first !== undefined) fail(`"${first}" is dangling: no output depends on it`);
}
