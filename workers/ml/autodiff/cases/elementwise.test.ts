// Gradients of the elementwise ops: finite differences (float64 reference) and onnxruntime float32.
import { describe, it } from "vitest";
import { checkGradCase } from "../testing/grad-check";
import { ELEMENTWISE_GRAD_CASES } from "./elementwise";

describe("elementwise gradients", () => {
  it.each(ELEMENTWISE_GRAD_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkGradCase(c);
  });
});
