// Elementwise ops through onnxruntime against the float64 reference.
import { describe, it } from "vitest";
import { checkOp } from "../../testing";
import { ELEMENTWISE_CASES } from "./elementwise";

describe("elementwise ops vs reference", () => {
  it.each(ELEMENTWISE_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkOp(c);
  });
});
