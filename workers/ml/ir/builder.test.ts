// GraphBuilder: scoped unique names, ownership, outputs, dangling detection and structural validation.
import { describe, expect, it } from "vitest";
import { GraphBuilder } from "./builder";
import type { Graph, Value } from "./graph";
import { fromNumbers } from "./tensor";
import { validateGraph } from "./validate";

const w = fromNumbers("float32", [2, 2], [1, 2, 3, 4]);

function relu(b: GraphBuilder, x: Value, name?: string): Value {
  const out = b.addNode({ opType: "Relu", name, inputs: [x], outputs: [{ type: x.type, name }] }).outputs[0];
  if (!out) throw new Error("no output");
  return out;
}

describe("GraphBuilder", () => {
  it("scopes names and keeps them unique", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", ["batch", 2]);
    const [p, q] = b.scope("model", () =>
      b.scope("layers.0", () => [b.parameter("mlp.weight", w), relu(b, x), relu(b, x)] as const).slice(0, 2),
    );
    expect(p?.name).toBe("model.layers.0.mlp.weight");
    expect(q?.name).toBe("model.layers.0.Relu");
    const again = b.scope("model.layers.0", () => relu(b, x));
    expect(again.name).toBe("model.layers.0.Relu_2");
    expect(b.constant(w).name).toBe("const");
    expect(b.constant(w).name).toBe("const_1");
    expect(b.scoped("y")).toBe("y");
  });

  it("tracks producers and consumers for backward walks", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2]);
    const y = relu(b, x, "y");
    const z = relu(b, y, "z");
    expect(y.producer?.opType).toBe("Relu");
    expect(x.consumers.map((n) => n.outputs[0]?.name)).toEqual(["y"]);
    expect(y.consumers[0]).toBe(z.producer);
    expect(x.producer).toBeNull();
  });

  it("rejects duplicate explicit names and foreign values", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2]);
    expect(() => b.input("x", "float32", [2])).toThrow(/duplicate name "x"/);
    relu(b, x, "y");
    expect(() => relu(b, x, "y")).toThrow(/duplicate name "y"/);
    const other = new GraphBuilder("other").input("z", "float32", [2]);
    expect(() => relu(b, other)).toThrow(/belongs to another graph builder/);
    expect(() => b.input("", "float32", [])).toThrow(/must not be empty/);
  });

  it("names outputs: renames node results, adds Identity for inputs and repeats", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2]);
    const y = relu(b, x);
    expect(b.output(y, "logits").name).toBe("logits");
    const again = b.output(y, "logits_copy");
    expect(again.producer?.opType).toBe("Identity");
    const passthrough = b.output(x, "x_out");
    expect(passthrough.producer?.opType).toBe("Identity");
    expect(() => b.output(x)).toThrow(/is a graph input/);
    expect(() => b.output(relu(b, x), "logits")).toThrow(/already used/);
  });

  it("refuses dangling nodes, initializers and inputs unless asked to prune", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [2]);
    b.input("unused", "float32", [2]);
    b.parameter("w", w);
    const dead = relu(b, x, "dead");
    b.output(relu(b, x, "y"));
    expect(() => b.build()).toThrow(/3 dangling.*node dead.*initializer w.*input unused/);
    const g = b.build({ dangling: "prune" });
    expect(g.nodes.map((n) => n.name)).toEqual(["y"]);
    expect(g.initializers).toEqual([]);
    expect(x.consumers.map((n) => n.name)).toEqual(["y"]);
    expect(dead.producer?.name).toBe("dead");
    expect(b.build({ dangling: "prune" }).nodes.map((n) => n.name)).toEqual(["y"]); // idempotent
    expect(x.consumers.map((n) => n.name)).toEqual(["y"]);
  });

  it("needs an output", () => {
    const b = new GraphBuilder();
    b.input("x", "float32", [2]);
    expect(() => b.build({ dangling: "prune" })).toThrow(/has no outputs/);
  });
});

describe("validateGraph", () => {
  function small(): Graph {
    const b = new GraphBuilder("g");
    const x = b.input("x", "float32", [2]);
    b.output(relu(b, relu(b, x, "h"), "y"));
    return b.build();
  }

  it("accepts a built graph", () => {
    expect(() => validateGraph(small())).not.toThrow();
  });

  it("finds use before definition", () => {
    const g = small();
    expect(() => validateGraph({ ...g, nodes: [...g.nodes].reverse() })).toThrow(/reads "h" before it is defined/);
  });

  it("finds duplicate names, missing outputs and dangling nodes", () => {
    const g = small();
    const [h, y] = g.nodes;
    if (!h || !y) throw new Error("setup");
    expect(() => validateGraph({ ...g, inputs: [...g.inputs, ...g.inputs] })).toThrow(/duplicate value name "x"/);
    expect(() => validateGraph({ ...g, nodes: [h] })).toThrow(/output "y" is not produced/);
    expect(() => validateGraph({ ...g, outputs: [h.outputs[0] as Value] })).toThrow(/"y" is dangling/);
    expect(() => validateGraph({ ...g, outputs: [...g.outputs, ...g.outputs] })).toThrow(/listed twice/);
  });
});
