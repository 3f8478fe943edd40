// Gradients of the indexing ops and the fused cross-entropy rule: finite differences and onnxruntime.
import { describe, it } from "vitest";
import { checkGradCase } from "../testing/grad-check";
import { INDEXING_GRAD_CASES } from "./indexing";

describe("indexing gradients", () => {
  it.each(INDEXING_GRAD_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkGradCase(c);
  });
});
