// Dropout in inference mode through onnxruntime against the float64 reference (copy, all-true mask).
import { describe, it } from "vitest";
import { checkOp } from "../../testing";
import { DROPOUT_CASES } from "./dropout";

describe("Dropout (inference mode) vs reference", () => {
  it.each(DROPOUT_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkOp(c);
  });
});
