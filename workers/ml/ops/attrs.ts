// Attribute schemas of ops: kinds, spec defaults, allowed values; checking given attributes and resolving
// stored ones. Not the ops themselves.
import { isDType, type Attr, type Attrs, type DType, type Tensor } from "../ir";

type Kind = Attr["kind"];
type JsOf<K extends Kind> = Extract<Attr, { kind: K }>["value"];

export interface AttrSpec<K extends Kind = Kind> {
  readonly kind: K;
  /** The spec's default; absent with `required` false means "optional, no default". */
  readonly default?: JsOf<K>;
  readonly required?: boolean;
  /** Values this implementation supports; others are rejected. */
  readonly allowed?: readonly JsOf<K>[];
}

type SpecFor<T> = [T] extends [DType]
  ? AttrSpec<"dtype">
  : [T] extends [number]
    ? AttrSpec<"int"> | AttrSpec<"float">
    : [T] extends [readonly number[]]
      ? AttrSpec<"ints"> | AttrSpec<"floats">
      : [T] extends [string]
        ? AttrSpec<"string">
        : AttrSpec<"tensor">;

/** One spec per field of the resolved-attributes type A; `undefined` in A marks an optional attribute. */
export type AttrSchema<A> = { readonly [K in keyof A]-?: SpecFor<Exclude<A[K], undefined>> };

export const attr = {
  int: (def?: number, allowed?: readonly number[]): AttrSpec<"int"> => ({ kind: "int", default: def, allowed }),
  float: (def?: number): AttrSpec<"float"> => ({ kind: "float", default: def }),
  ints: (): AttrSpec<"ints"> => ({ kind: "ints" }),
  requiredInt: (): AttrSpec<"int"> => ({ kind: "int", required: true }),
  requiredDType: (): AttrSpec<"dtype"> => ({ kind: "dtype", required: true }),
  tensor: (): AttrSpec<"tensor"> => ({ kind: "tensor" }),
};

function checkValue(op: string, name: string, spec: AttrSpec, v: unknown): Attr {
  const bad = (why: string): never => {
    throw new Error(`${op}: attribute "${name}" ${why}`);
  };
  const isInt = (x: unknown) => typeof x === "number" && Number.isInteger(x);
  let a: Attr;
  switch (spec.kind) {
    case "int":
      if (!isInt(v)) bad(`must be an integer, got ${String(v)}`);
      a = { kind: "int", value: v as number };
      break;
    case "float":
      if (typeof v !== "number") bad(`must be a number, got ${String(v)}`);
      a = { kind: "float", value: v as number };
      break;
    case "ints":
      if (!Array.isArray(v) || !v.every(isInt)) bad(`must be a list of integers`);
      a = { kind: "ints", value: [...(v as number[])] };
      break;
    case "floats":
      if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) bad(`must be a list of numbers`);
      a = { kind: "floats", value: [...(v as number[])] };
      break;
    case "string":
      if (typeof v !== "string") bad(`must be a string`);
      a = { kind: "string", value: v as string };
      break;
    case "dtype":
      if (typeof v !== "string" || !isDType(v)) bad(`must be a data type name, got ${String(v)}`);
      a = { kind: "dtype", value: v as DType };
      break;
    case "tensor":
      if (typeof v !== "object" || v === null || !("dtype" in v) || !("data" in v)) bad(`must be a tensor`);
      a = { kind: "tensor", value: v as Tensor };
      break;
  }
  if (spec.allowed && !spec.allowed.some((x) => JSON.stringify(x) === JSON.stringify(a.value)))
    bad(
      `= ${JSON.stringify(a.value)} is not supported (supported: ${spec.allowed.map((x) => JSON.stringify(x)).join(", ")})`,
    );
  return a;
}

/** Checks attributes given to a builder: unknown names and unsupported values are errors. */
export function checkAttrs(
  op: string,
  schema: Readonly<Record<string, AttrSpec>>,
  given: Readonly<Record<string, unknown>>,
): Record<string, Attr> {
  const out: Record<string, Attr> = {};
  for (const [name, v] of Object.entries(given)) {
    if (v === undefined) continue;
    const spec = schema[name];
    if (spec === undefined) throw new Error(`${op}: attribute "${name}" is not supported`);
    out[name] = checkValue(op, name, spec, v);
  }
  for (const [name, spec] of Object.entries(schema))
    if (spec.required === true && out[name] === undefined) throw new Error(`${op}: attribute "${name}" is required`);
  return out;
}

/** Stored attributes plus the schema's defaults, as plain values. */
export function resolveAttrs<A>(op: string, schema: AttrSchema<A>, stored: Attrs): A {
  const specs = schema as Readonly<Record<string, AttrSpec>>;
  for (const name of Object.keys(stored))
    if (specs[name] === undefined) throw new Error(`${op}: attribute "${name}" is not supported`);
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = stored[name]?.value ?? spec.default;
  return out as A;
}
