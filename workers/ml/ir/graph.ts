// The graph data structures (Value, Node, Graph) and walks over them; not how they are built (builder.ts).
import type { Attrs } from "./attr";
import type { Dim } from "./dim";
import { dimsToString } from "./dim";
import type { DType } from "./dtype";
import type { Tensor } from "./tensor";

export interface ValueType {
  readonly dtype: DType;
  readonly shape: readonly Dim[];
}

/** input: fed at run time; parameter: a weight initializer (what training updates);
 *  constant: a fixed initializer (axes, masks); node: computed by `producer`. */
export type ValueKind = "input" | "parameter" | "constant" | "node";

export class Value {
  /** Nodes reading this value, in graph order (for backward walks and fan-in accumulation). */
  readonly consumers: Node[] = [];
  #name: string;
  constructor(
    name: string,
    readonly type: ValueType,
    readonly kind: ValueKind,
    readonly producer: Node | null,
    /** The builder that created it; mixing values of two builders is an error. */
    readonly owner: object,
    /** The contents of a small rank-0/1 integer tensor when known at build time (shape arithmetic:
     *  Shape -> Gather -> Concat -> Reshape keeps symbolic dims). */
    readonly known?: readonly Dim[],
  ) {
    this.#name = name;
  }
  get name(): string {
    return this.#name;
  }
  /** Builder-only: gives an output its public name (GraphBuilder.output). */
  renameForOutput(name: string): void {
    this.#name = name;
  }
  toString(): string {
    return `%${this.#name}: ${typeToString(this.type)}`;
  }
}

export interface Node {
  readonly name: string;
  readonly opType: string;
  /** "" is the default ONNX domain. */
  readonly domain: string;
  /** null marks an absent optional input. */
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly Value[];
  /** The attributes given explicitly; defaults come from the op schema (ops/). */
  readonly attributes: Attrs;
}

export interface Initializer {
  readonly value: Value;
  readonly data: Tensor;
}

export interface Graph {
  readonly name: string;
  readonly opset: number;
  readonly inputs: readonly Value[];
  readonly outputs: readonly Value[];
  readonly initializers: readonly Initializer[];
  /** Topological order: every node comes after the producers of its inputs. */
  readonly nodes: readonly Node[];
}

export function typeToString(t: ValueType): string {
  return `${t.dtype}${dimsToString(t.shape)}`;
}

/** Nodes that contribute to `targets`, in topological order (the backward walk starts here). */
export function ancestors(nodes: readonly Node[], targets: readonly Value[]): Node[] {
  const needed = new Set<Node>();
  const stack = targets.map((v) => v.producer).filter((n): n is Node => n !== null);
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    if (needed.has(n)) continue;
    needed.add(n);
    for (const v of n.inputs) if (v?.producer) stack.push(v.producer);
  }
  return nodes.filter((n) => needed.has(n));
}
