// Gather, GatherElements, CumSum, Trilu and Cast through onnxruntime against the float64 reference.
import { describe, it } from "vitest";
import { checkOp } from "../../testing";
import { INDEXING_CASES } from "./indexing";

describe("indexing ops and casts vs reference", () => {
  it.each(INDEXING_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkOp(c);
  });
});
