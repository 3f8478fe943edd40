// GraphBuilder: creates inputs, initializers and nodes with unique scoped names, then validates a Graph.
// Op-agnostic: shape inference and attribute schemas live in ops/, which call `addNode`.
import type { Attrs } from "./attr";
import { sym, type Dim, type DimLike, type SymDim } from "./dim";
import { toDim } from "./dim-parse";
import type { DType } from "./dtype";
import { Value, type Graph, type Initializer, type Node, type ValueKind, type ValueType } from "./graph";
import { OPSET } from "./opset";
import { getNumber, numel, type Tensor } from "./tensor";
import { findDangling, validateGraph } from "./validate";

export interface OutputSpec {
  readonly type: ValueType;
  /** A name inside the current scope; default: derived from the node name. */
  readonly name?: string;
  readonly known?: readonly Dim[];
}

export interface NodeSpec {
  readonly opType: string;
  readonly domain?: string;
  readonly inputs: readonly (Value | null)[];
  readonly outputs: readonly OutputSpec[];
  readonly attributes?: Attrs;
  /** Node name inside the current scope; default: the op type. */
  readonly name?: string;
}

export interface BuildOptions {
  /** Nodes, initializers and inputs that no output depends on: an error (default), or "prune": drop the
   *  nodes and initializers and keep the declared inputs. */
  readonly dangling?: "error" | "prune";
}

const MAX_KNOWN = 64;

export class GraphBuilder {
  readonly #scopes: string[] = [];
  readonly #valueNames = new Set<string>();
  readonly #nodeNames = new Set<string>();
  readonly #inputs: Value[] = [];
  readonly #outputs: Value[] = [];
  readonly #initializers: Initializer[] = [];
  readonly #nodes: Node[] = [];
  #unknownDims = 0;

  constructor(
    readonly name = "main",
    readonly opset = OPSET,
  ) {}

  /** Runs `fn` with `name` appended to the scope: names become `outer.name.x`. */
  scope<T>(name: string, fn: () => T): T {
    this.#scopes.push(name);
    try {
      return fn();
    } finally {
      this.#scopes.pop();
    }
  }

  scoped(name: string): string {
    return [...this.#scopes, name].join(".");
  }

  /** A graph input; its name is used verbatim (input_ids, past_key_values.0.key). */
  input(name: string, dtype: DType, shape: readonly DimLike[]): Value {
    const v = new Value(this.#claimValue(name, true), { dtype, shape: shape.map(toDim) }, "input", null, this);
    this.#inputs.push(v);
    return v;
  }

  /** A weight initializer with a scoped name (Hugging Face state-dict names: model.layers.0...). */
  parameter(name: string, data: Tensor): Value {
    return this.#initializer(this.#claimValue(this.scoped(name), true), data, "parameter");
  }

  /** A fixed initializer (axes, shapes, masks); auto-named `const` in the scope unless named. */
  constant(data: Tensor, name?: string): Value {
    return this.#initializer(this.#claimValue(this.scoped(name ?? "const"), name !== undefined), data, "constant");
  }

  /** A fresh unknown dim (`?N`) for what shape inference cannot know. */
  freshDim(): SymDim {
    return sym(`?${++this.#unknownDims}`);
  }

  addNode(spec: NodeSpec): Node {
    for (const v of spec.inputs) this.#checkOwned(v, spec.opType);
    const nodeName = this.#claim(this.#nodeNames, this.scoped(spec.name ?? spec.opType), false);
    const outputs: Value[] = [];
    const node: Node = {
      name: nodeName,
      opType: spec.opType,
      domain: spec.domain ?? "",
      inputs: [...spec.inputs],
      outputs,
      attributes: { ...spec.attributes },
    };
    spec.outputs.forEach((o, i) => {
      const auto = spec.outputs.length === 1 ? nodeName : `${nodeName}:${i}`;
      const name = o.name !== undefined ? this.#claimValue(this.scoped(o.name), true) : this.#claimValue(auto, false);
      outputs.push(new Value(name, o.type, "node", node, this, o.known));
    });
    for (const v of node.inputs) v?.consumers.push(node);
    this.#nodes.push(node);
    return node;
  }

  /** Marks `v` as a graph output named `name` (verbatim, default: its own name). A node result is
   *  renamed; an input, an initializer or a value already exported gets an Identity node. */
  output(v: Value, name: string = v.name): Value {
    this.#checkOwned(v, "output");
    if (name === v.name) {
      if (v.kind !== "node") throw new Error(`output: "${name}" is a graph ${v.kind}; give the output another name`);
      if (!this.#outputs.includes(v)) this.#outputs.push(v);
      return v;
    }
    if (this.#valueNames.has(name)) throw new Error(`output: name "${name}" is already used by another value`);
    let out = v;
    if (v.kind !== "node" || this.#outputs.includes(v)) {
      const id = this.addNode({ opType: "Identity", inputs: [v], outputs: [{ type: v.type }] }).outputs[0];
      if (id === undefined) throw new Error("unreachable: Identity has one output");
      out = id;
    }
    this.#valueNames.delete(out.name);
    this.#valueNames.add(name);
    out.renameForOutput(name);
    this.#outputs.push(out);
    return out;
  }

  build(options: BuildOptions = {}): Graph {
    let graph: Graph = {
      name: this.name,
      opset: this.opset,
      inputs: [...this.#inputs],
      outputs: [...this.#outputs],
      initializers: [...this.#initializers],
      nodes: [...this.#nodes],
    };
    const dangling = findDangling(graph);
    if (dangling.nodes.length + dangling.initializers.length + dangling.inputs.length > 0) {
      if (options.dangling !== "prune") {
        const names = [
          ...dangling.nodes.map((n) => `node ${n.name}`),
          ...dangling.initializers.map((i) => `initializer ${i.value.name}`),
          ...dangling.inputs.map((v) => `input ${v.name}`),
        ];
        throw new Error(
          `graph "${this.name}": ${names.length} dangling (no output depends on them): ${names.slice(0, 10).join(", ")}${names.length > 10 ? ", ..." : ""}`,
        );
      }
      // Pruning also forgets the dropped pieces here, so consumers and later builds stay consistent.
      const dropped = new Set(dangling.nodes);
      const unusedInit = new Set(dangling.initializers);
      for (const n of dropped) for (const v of n.inputs) if (v) v.consumers.splice(v.consumers.indexOf(n), 1);
      const keptNodes = this.#nodes.filter((n) => !dropped.has(n));
      const keptInits = this.#initializers.filter((i) => !unusedInit.has(i));
      this.#nodes.splice(0, this.#nodes.length, ...keptNodes);
      this.#initializers.splice(0, this.#initializers.length, ...keptInits);
      graph = { ...graph, nodes: keptNodes, initializers: keptInits };
    }
    validateGraph(graph, { allowUnusedInputs: options.dangling === "prune" });
    return graph;
  }

  #initializer(name: string, data: Tensor, kind: ValueKind): Value {
    const isSmallInt =
      (data.dtype === "int64" || data.dtype === "int32") && data.shape.length <= 1 && numel(data.shape) <= MAX_KNOWN;
    const known = isSmallInt ? Array.from({ length: numel(data.shape) }, (_, i) => getNumber(data, i)) : undefined;
    const v = new Value(name, { dtype: data.dtype, shape: [...data.shape] }, kind, null, this, known);
    this.#initializers.push({ value: v, data });
    return v;
  }

  #checkOwned(v: Value | null, what: string): void {
    if (v !== null && v.owner !== this) throw new Error(`${what}: value "${v.name}" belongs to another graph builder`);
  }

  #claimValue(name: string, isExplicit: boolean): string {
    return this.#claim(this.#valueNames, name, isExplicit);
  }

  #claim(names: Set<string>, name: string, isExplicit: boolean): string {
    if (name === "") throw new Error("names must not be empty");
    let unique = name;
    if (names.has(name)) {
      if (isExplicit) throw new Error(`duplicate name "${name}"`);
      let i = 1;
      while (names.has(`${name}_${i}`)) i++;
      unique = `${name}_${i}`;
    }
    names.add(unique);
    return unique;
  }
}
