// MatMul, Gemm, softmaxes and reductions through onnxruntime against the float64 reference.
import { describe, it } from "vitest";
import { checkOp } from "../../testing";
import { NN_CASES } from "./nn";

describe("nn ops vs reference", () => {
  it.each(NN_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkOp(c);
  });
});
