// Gradients of the data-movement ops: finite differences and onnxruntime.
import { describe, it } from "vitest";
import { checkGradCase } from "../testing/grad-check";
import { LAYOUT_GRAD_CASES } from "./layout";

describe("layout gradients", () => {
  it.each(LAYOUT_GRAD_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkGradCase(c);
  });
});
