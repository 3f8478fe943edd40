// Shape and layout ops through onnxruntime against the float64 reference.
import { describe, it } from "vitest";
import { checkOp } from "../../testing";
import { LAYOUT_CASES } from "./layout";

describe("shape and layout ops vs reference", () => {
  it.each(LAYOUT_CASES.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    await checkOp(c);
  });
});
