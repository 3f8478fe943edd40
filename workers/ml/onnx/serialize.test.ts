// ONNX round trip (serialize -> parse) and the external-data mechanism, loaded back by onnxruntime.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fromNumbers, GraphBuilder, toNumbers, type Graph, type Tensor } from "../ir";
import * as op from "../ops";
import { createSession } from "../runtime";
import { expectClose } from "../testing";
import { parseModel, readExternalTensor } from "./parse";
import { serializeModel } from "./serialize";
import { writeModel } from "./write-model";

const bytes = (t: Tensor) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);

function sample(): Graph {
  const b = new GraphBuilder("sample");
  const x = b.input("x", "float32", ["batch", "seq", 4]);
  const w = b.parameter(
    "w",
    fromNumbers(
      "float32",
      [4, 300],
      Array.from({ length: 1200 }, (_, i) => i / 100),
    ),
  );
  const h = b.parameter("h", fromNumbers("float16", [2], [1.5, -65504]));
  const m = b.parameter("m", fromNumbers("bool", [3], [1, 0, 1]));
  const y = op.matMul(b, x, w, { name: "y" });
  const sliced = op.slice(b, y, { starts: [0], ends: [2], steps: [1] }); // absent axes in the middle
  const trunc = op.cast(b, sliced, "float16");
  b.output(op.add(b, trunc, op.slice(b, h, { starts: [0], ends: [1] })), "out");
  b.output(op.cast(b, m, "int64"), "mask");
  b.output(op.softmax(b, y, { axis: -1 }), "probs");
  return b.build();
}

const dir = await mkdtemp(join(tmpdir(), "prefloop-onnx-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("serializeModel / parseModel", () => {
  it("round-trips graph structure, types, symbolic dims, attributes and initializer bits", () => {
    const g = sample();
    const p = parseModel(serializeModel(g, { metadata: { model: "tiny" } }).model);
    expect(p.irVersion).toBe(8);
    expect(p.opsetImports).toEqual([{ domain: "", version: 18 }]);
    expect(p.producerName).toBe("prefloop");
    expect(p.metadata).toEqual({ model: "tiny" });
    expect(p.graph.inputs).toEqual([{ name: "x", dtype: "float32", shape: ["batch", "seq", 4] }]);
    expect(p.graph.outputs.map((o) => [o.name, o.dtype, o.shape])).toEqual([
      ["out", "float16", [2, "seq", 300]],
      ["mask", "int64", [3]],
      ["probs", "float32", ["batch", "seq", 300]],
    ]);
    expect(p.graph.nodes.map((n) => n.opType)).toEqual(["MatMul", "Slice", "Cast", "Slice", "Add", "Cast", "Softmax"]);
    expect(p.graph.nodes[1]?.inputs).toEqual(["y", "const", "const_1", "", "const_2"]);
    expect(p.graph.nodes[2]?.attributes).toEqual({ to: { kind: "int", value: 10 } });
    expect(p.graph.nodes[6]?.attributes).toEqual({ axis: { kind: "int", value: -1 } });
    for (const init of g.initializers) {
      const got = p.graph.initializers.find((t) => t.name === init.value.name);
      expect(got?.dtype).toBe(init.data.dtype);
      expect(got?.dims).toEqual(init.data.shape);
      expect(got?.data && bytes(got.data)).toEqual(bytes(init.data));
    }
    const h = p.graph.initializers.find((t) => t.name === "h")?.data;
    expect(h?.data).toEqual(new Uint16Array([0x3e00, 0xfbff]));
  });

  it("writes unknown dims without a name and tensor attributes inline", () => {
    const b = new GraphBuilder();
    const shape = b.input("shape", "int64", [2]);
    b.output(op.constantOfShape(b, shape, { value: fromNumbers("int64", [1], [7]) }), "y");
    const p = parseModel(serializeModel(b.build()).model);
    expect(p.graph.outputs[0]?.shape).toEqual([null, null]);
    const value = p.graph.nodes[0]?.attributes.value;
    expect(value?.kind === "tensor" && toNumbers(value.value)).toEqual([7]);
  });

  it("rejects an opset it does not write", () => {
    const g = { ...sample(), opset: 21 };
    expect(() => serializeModel(g)).toThrow(/opset 21 is not supported/);
  });
});

describe("external data", () => {
  it("stays inline below the threshold", () => {
    expect(serializeModel(sample()).external).toBeUndefined();
  });

  it("moves large initializers to a page-aligned side file that onnxruntime loads", async () => {
    const g = sample();
    const path = join(dir, "model.onnx");
    const written = await writeModel(g, path, { externalDataThreshold: 1000, externalMinBytes: 100 });
    expect(written.dataPath).toBe(join(dir, "model.onnx.data"));
    const p = parseModel(await readFile(path));
    const w = p.graph.initializers.find((t) => t.name === "w");
    expect(w?.data).toBeUndefined();
    expect(w?.external).toEqual({ location: "model.onnx.data", offset: 0, length: 4800 });
    expect(p.graph.initializers.find((t) => t.name === "h")?.data).toBeDefined(); // small: inline
    if (!w) throw new Error("initializer w missing");
    const back = await readExternalTensor(w, dir);
    expect(bytes(back)).toEqual(g.initializers[0] && bytes(g.initializers[0].data));

    const x = fromNumbers("float32", [1, 1, 4], [1, 0, 0, 1]);
    const inline = await createSession(serializeModel(g).model);
    const external = await createSession({ path });
    const [a, e] = [(await inline.run({ x })).probs, (await external.run({ x })).probs];
    if (!a || !e) throw new Error("probs missing");
    expect(e.shape).toEqual([1, 1, 300]);
    expectClose(e, a, { atol: 0, rtol: 0 });
    await Promise.all([inline.dispose(), external.dispose()]);
  });

  it("aligns each external tensor to 4096 bytes", () => {
    const b = new GraphBuilder();
    const x = b.input("x", "float32", [3]);
    const p = b.parameter("p", fromNumbers("float32", [3], [1, 2, 3]));
    const q = b.parameter("q", fromNumbers("float32", [3], [4, 5, 6]));
    b.output(op.add(b, op.add(b, x, p), q), "y");
    const s = serializeModel(b.build(), { externalDataThreshold: 0, externalMinBytes: 0 });
    expect(s.external?.chunks.map((c) => c.offset)).toEqual([0, 4096]);
    expect(s.external?.size).toBe(4096 + 12);
  });
});
