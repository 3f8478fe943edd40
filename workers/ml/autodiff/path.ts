// The nodes a backward pass visits: ancestors of the loss that depend on some `wrt` value, in topological
// order, and the float values on those paths (the only ones that get gradients). Not the walk itself.
import { isFloatDType, type Node, type Value } from "../ir";

export interface BackwardPath {
  /** Topological order; every node reads some active value and leads to the loss. */
  readonly nodes: readonly Node[];
  /** Float values that depend on some wrt value (wrt included). */
  readonly active: ReadonlySet<Value>;
}

/** Ancestors of `v` in topological order (iterative post-order DFS: deep graphs do not overflow the stack). */
function ancestorsOf(v: Value): Node[] {
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: { node: Node; next: number }[] = [];
  const visit = (n: Node | null) => {
    if (n !== null && !seen.has(n)) {
      seen.add(n);
      stack.push({ node: n, next: 0 });
    }
  };
  visit(v.producer);
  for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
    const input = top.node.inputs[top.next++];
    if (input === undefined) {
      order.push(top.node);
      stack.pop();
    } else visit(input?.producer ?? null);
  }
  return order;
}

export function backwardPath(loss: Value, wrt: readonly Value[]): BackwardPath {
  const active = new Set<Value>(wrt);
  const nodes: Node[] = [];
  for (const n of ancestorsOf(loss)) {
    if (!n.inputs.some((v) => v !== null && active.has(v))) continue;
    nodes.push(n);
    for (const o of n.outputs) if (isFloatDType(o.type.dtype)) active.add(o);
  }
  return { nodes, active };
}
