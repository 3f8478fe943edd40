// Gradients of MatMul, Gemm, softmaxes, reductions, CumSum and Trilu: finite differences and onnxruntime.
import { describe, it } from "vitest";
import { checkGradCase } from "../testing/grad-check";
import { NN_GRAD_CASES } from "./nn";

describe("nn gradients", () => {
  it.each(NN_GRAD_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkGradCase(c);
  });
});
