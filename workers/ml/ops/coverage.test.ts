// Every supported op has a reference, onnxruntime cases and a README row; nothing is registered half-way.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REFERENCE_OPS } from "../reference";
import { DROPOUT_CASES } from "./cases/dropout";
import { ELEMENTWISE_CASES } from "./cases/elementwise";
import { INDEXING_CASES } from "./cases/indexing";
import { LAYOUT_CASES } from "./cases/layout";
import { NN_CASES } from "./cases/nn";
import { gradRuleOf, OPS } from "./registry";

const REQUIRED = `MatMul Gemm Add Sub Mul Div Neg Pow Sqrt Reciprocal Exp Log Tanh Sigmoid Softmax LogSoftmax ReduceMean
  ReduceSum ReduceMax Cast Gather GatherElements Reshape Transpose Concat Slice Split Unsqueeze Squeeze Expand Where
  Equal Less Greater Not And CumSum Shape Range Trilu Max Min ConstantOfShape Identity ScatterElements Dropout`.split(
  /\s+/,
);

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

describe("op coverage", () => {
  it("registers every op the engine needs", () => {
    expect(sorted(OPS.keys())).toEqual(sorted(REQUIRED));
  });

  it("has a reference for every op and no stray reference", () => {
    expect(sorted(REFERENCE_OPS.keys())).toEqual(sorted(OPS.keys()));
  });

  it("runs every op through onnxruntime in some case", () => {
    const tested = [...ELEMENTWISE_CASES, ...NN_CASES, ...LAYOUT_CASES, ...INDEXING_CASES, ...DROPOUT_CASES].map(
      (c) => c.op,
    );
    expect(sorted(tested)).toEqual(sorted(OPS.keys()));
  });

  it("lists every op in the README table", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const rows = [...readme.matchAll(/^\|\s*(\w+)\s*\|\s*yes\s*\|\s*yes\s*\|/gm)].map((m) => m[1] ?? "");
    expect(sorted(rows)).toEqual(sorted(OPS.keys()));
  });

  it("says which ops have a gradient rule exactly as the README table does", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const claimed = [...readme.matchAll(/^\|\s*(\w+)\s*\|\s*yes\s*\|\s*yes\s*\|\s*yes\b/gm)].map((m) => m[1] ?? "");
    expect(sorted([...OPS.values()].filter((s) => s.grad !== undefined).map((s) => s.opType))).toEqual(sorted(claimed));
  });

  it("names the op when its gradient rule is missing", () => {
    // Equal has no float input to differentiate, so it never gets a rule.
    expect(() => gradRuleOf("Equal")).toThrow("Equal: no gradient rule; autodiff cannot differentiate through this op");
    expect(() => gradRuleOf("Nope")).toThrow(/op "Nope" is not supported/);
  });
});
