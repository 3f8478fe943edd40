// What a gradient test case is (inputs, a forward builder, tolerances) and how its input values are drawn;
// test helpers, not tests. Floats are drawn once and rounded to float32, so the float64 graph (finite
// differences, reference backward) and the float32 graph (onnxruntime) see the same numbers.
import { isFloatDType, type DimLike, type DType, type GraphBuilder, type Value } from "../../ir";
import type { Tolerance } from "../../testing";
import { Rng } from "../../testing";
import type { GradOptions } from "../grad";

export type FloatType = "float32" | "float64";

export interface GradInput {
  readonly shape: readonly number[];
  /** Declared dims (symbolic ones such as "batch"); default: the static shape. */
  readonly dims?: readonly DimLike[];
  /** Default "float": the float type under test (float64 for the reference, float32 for onnxruntime). */
  readonly dtype?: DType | "float";
  /** Default: seeded normals (floats); required for integer and bool inputs. */
  readonly values?: readonly number[];
  /** A fed graph input (default), a trained initializer, or a fixed one. */
  readonly kind?: "input" | "parameter" | "constant";
  /** Whether to differentiate with respect to it (default: float inputs and parameters). */
  readonly wrt?: boolean;
  /** Draw |normal| + 0.5 (domains of Log, Sqrt, Pow, Reciprocal). */
  readonly positive?: boolean;
  /** Standard deviation of the drawn normals (default 1). */
  readonly std?: number;
}

export interface GradCase {
  readonly name: string;
  readonly inputs: Readonly<Record<string, GradInput>>;
  /** Builds the forward graph; every output gets a random weighting in the loss. */
  readonly forward: (b: GraphBuilder, v: (name: string) => Value, dt: FloatType) => Value | readonly Value[];
  /** Analytic (reference backward) against central differences, both float64. */
  readonly tol64?: Partial<Tolerance>;
  /** onnxruntime float32 backward against the float64 reference backward. */
  readonly tol32?: Partial<Tolerance>;
  readonly options?: GradOptions;
  /** Finite differences on at most this many seeded elements per input (default: every element), plus
   *  `fdDirections` random directions over all elements (large composite graphs). */
  readonly fdSample?: number;
  readonly fdDirections?: number;
}

export const TOL64: Tolerance = { atol: 1e-7, rtol: 1e-6 };
export const TOL32: Tolerance = { atol: 2e-5, rtol: 2e-4 };

export function hashSeed(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export interface ResolvedInput extends GradInput {
  readonly name: string;
  readonly isFloat: boolean;
  readonly values: readonly number[];
}

export function resolveInputs(c: GradCase): ResolvedInput[] {
  const rng = new Rng(hashSeed(c.name));
  return Object.entries(c.inputs).map(([name, inp]) => {
    const isFloat = inp.dtype === undefined || inp.dtype === "float" || isFloatDType(inp.dtype);
    const n = inp.shape.reduce((p, q) => p * q, 1);
    if (!isFloat && inp.values === undefined) throw new Error(`case ${c.name}: integer input ${name} needs values`);
    const drawn =
      inp.values ?? rng.normals(n, inp.std ?? 1).map((v) => (inp.positive === true ? Math.abs(v) + 0.5 : v));
    const values = drawn.map((v) => (isFloat ? Math.fround(v) : v));
    if (values.length !== n)
      throw new Error(`case ${c.name}: input ${name} has ${values.length} values for shape [${inp.shape.join(", ")}]`);
    return { ...inp, name, isFloat, values };
  });
}

export function dtypeOf(inp: GradInput, dt: FloatType): DType {
  return inp.dtype === undefined || inp.dtype === "float" ? dt : inp.dtype;
}

export function isWrt(inp: ResolvedInput): boolean {
  return inp.wrt ?? (inp.isFloat && inp.kind !== "constant");
}
