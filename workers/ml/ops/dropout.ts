// Dropout: in training mode zeroes each element with probability `ratio` and scales the rest by
// 1 / (1 - ratio); otherwise (training_mode absent or false, or ratio 0) a copy with an all-true mask
// (ONNX Dropout-13, the version opset 18 uses). Gradient in dropout.grad.ts.
// NOTE: the builder always requests the mask output: the gradient reads it, and onnxruntime draws the mask
// inside the op, so nothing else can reproduce it.
import { fromNumbers, getNumber, type DType, type GraphBuilder, type Node, type Value } from "../ir";
import { attr } from "./attrs";
import { checkDType, FLOATS } from "./infer-util";
import { applyOp, defineOp, inputAt, type NodeOptions } from "./op";

export interface DropoutAttrs {
  /** Seed of the op's own generator; absent: onnxruntime's process-wide one. */
  seed: number | undefined;
}

export interface DropoutInputs {
  /** Drop probability in [0, 1): a number (a scalar constant, known at build time) or a float scalar value.
   *  Default (absent): 0.5. */
  readonly ratio?: Value | number | null;
  /** A bool scalar: true drops at random. A boolean becomes a constant. Default (absent): inference mode. */
  readonly trainingMode?: Value | boolean | null;
}

export interface DropoutOutputs {
  readonly output: Value;
  /** bool, the data's shape: true where the element was kept. */
  readonly mask: Value;
}

export const DEFAULT_DROPOUT_RATIO = 0.5;
const RATIO_TYPES: readonly DType[] = ["float16", "float32", "float64"];

/** Values of the ratio and training_mode constants this module built, as stored (float32-rounded, 0/1):
 *  float contents are not tracked by the IR, and the gradient rule needs the ratio. */
const knownScalars = new WeakMap<Value, number>();

function checkRatio(r: number, fail: (msg: string) => never): void {
  if (!(r >= 0 && r < 1)) fail(`ratio must be in [0, 1), got ${r}`);
}

export const Dropout = defineOp<DropoutAttrs>({
  opType: "Dropout",
  domain: "",
  inputs: [{ name: "data" }, { name: "ratio", optional: true }, { name: "training_mode", optional: true }],
  attrs: { seed: attr.int() },
  infer(a) {
    const x = inputAt(a, 0);
    checkDType(a, x, FLOATS, "data");
    const ratio = a.inputs[1] ?? null;
    if (ratio !== null) {
      checkDType(a, ratio, RATIO_TYPES, "ratio");
      if (ratio.type.shape.length !== 0) a.fail("ratio must be a scalar (0-D)");
      const r = knownScalars.get(ratio);
      if (r !== undefined) checkRatio(r, a.fail);
    }
    const mode = a.inputs[2] ?? null;
    if (mode !== null) {
      checkDType(a, mode, ["bool"], "training_mode");
      if (mode.type.shape.length !== 0) a.fail("training_mode must be a scalar (0-D)");
    }
    return [{ type: x.type }, { type: { dtype: "bool", shape: x.type.shape } }];
  },
});

/** The node's ratio when known at build time (absent: the default 0.5); undefined for a run-time value. */
export function knownDropoutRatio(node: Node): number | undefined {
  const r = node.inputs[1] ?? null;
  return r === null ? DEFAULT_DROPOUT_RATIO : knownScalars.get(r);
}

/** The node's training mode when known at build time (absent: false); undefined for a run-time value. */
export function knownDropoutTrainingMode(node: Node): boolean | undefined {
  const m = node.inputs[2] ?? null;
  if (m === null) return false;
  const v = knownScalars.get(m);
  return v === undefined ? undefined : v !== 0;
}

function knownConstant(b: GraphBuilder, dtype: DType, v: number): Value {
  const t = fromNumbers(dtype, [], [v]);
  const c = b.constant(t);
  knownScalars.set(c, getNumber(t, 0));
  return c;
}

/** Dropout of `x`; returns the output and the mask. A number ratio becomes a constant of x's float type
 *  (float32 for bfloat16 data, which the ratio may not have). */
export function dropout(
  b: GraphBuilder,
  x: Value,
  inputs: DropoutInputs = {},
  attrs?: Partial<DropoutAttrs>,
  opts?: NodeOptions,
): DropoutOutputs {
  const r = inputs.ratio;
  if (typeof r === "number")
    checkRatio(r, (msg) => {
      throw new Error(`Dropout: ${msg}`);
    });
  const ratio =
    typeof r === "number"
      ? knownConstant(b, RATIO_TYPES.includes(x.type.dtype) ? x.type.dtype : "float32", r)
      : (r ?? null);
  const tm = inputs.trainingMode;
  const mode = typeof tm === "boolean" ? knownConstant(b, "bool", tm ? 1 : 0) : (tm ?? null);
  const [output, mask] = applyOp(b, Dropout, [x, ratio, mode], attrs, opts);
  if (output === undefined || mask === undefined) throw new Error("Dropout: expected two outputs");
  return { output, mask };
}
