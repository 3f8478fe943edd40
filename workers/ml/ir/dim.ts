// Symbolic dimensions: integer polynomials over named sizes (batch, seq, past+seq, 64*batch*seq); not shapes.
// A dim is a number when it is static, else a SymDim in canonical form, so equality is string equality.
// Unknown dims (an op could not infer them) are fresh symbols named `?N`.

export type Dim = number | SymDim;
/** What callers may write for a dim: a number, a SymDim, or text such as "past+seq". */
export type DimLike = Dim | string;

type Terms = Map<string, number>; // monomial ("" | "a" | "a*b", symbols sorted) -> coefficient

export class SymDim {
  readonly text: string;
  private constructor(readonly terms: ReadonlyMap<string, number>) {
    this.text = formatTerms(terms);
  }
  static fromTerms(terms: Terms): Dim {
    for (const [k, c] of terms) if (c === 0) terms.delete(k);
    if (terms.size === 0) return 0;
    if (terms.size === 1 && terms.has("")) return terms.get("") ?? 0;
    return new SymDim(new Map([...terms].sort(([a], [b]) => compareMonomials(a, b))));
  }
  toString(): string {
    return this.text;
  }
}

const NAME = /^(\?\d+|[A-Za-z_][A-Za-z0-9_]*)$/;

export function sym(name: string): SymDim {
  if (!NAME.test(name)) throw new Error(`invalid dimension name "${name}"`);
  return SymDim.fromTerms(new Map([[name, 1]])) as SymDim;
}

export function isUnknownDim(d: Dim): boolean {
  return typeof d !== "number" && d.text.startsWith("?") && NAME.test(d.text);
}

function termsOf(d: Dim): Terms {
  return typeof d === "number" ? new Map([["", d]]) : new Map(d.terms);
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a + b;
  const t = termsOf(a);
  for (const [k, c] of termsOf(b)) t.set(k, (t.get(k) ?? 0) + c);
  return SymDim.fromTerms(t);
}

export function dimSub(a: Dim, b: Dim): Dim {
  return dimAdd(a, dimMul(b, -1));
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (typeof a === "number" && typeof b === "number") return a * b;
  const t: Terms = new Map();
  for (const [ka, ca] of termsOf(a))
    for (const [kb, cb] of termsOf(b)) {
      const k = joinMonomial([...splitMonomial(ka), ...splitMonomial(kb)]);
      t.set(k, (t.get(k) ?? 0) + ca * cb);
    }
  return SymDim.fromTerms(t);
}

/** a / b when it is exact and expressible (b a single monomial, or a equal to b); else undefined. */
export function dimDivExact(a: Dim, b: Dim): Dim | undefined {
  if (dimEq(a, b) && b !== 0) return 1;
  const bt = [...termsOf(b)];
  const only = bt[0];
  if (bt.length !== 1 || only === undefined || only[1] === 0) return undefined;
  const [bk, bc] = only;
  const out: Terms = new Map();
  for (const [k, c] of termsOf(a)) {
    if (c % bc !== 0) return undefined;
    const rest = splitMonomial(k);
    for (const s of splitMonomial(bk)) {
      const i = rest.indexOf(s);
      if (i < 0) return undefined;
      rest.splice(i, 1);
    }
    out.set(joinMonomial(rest), c / bc);
  }
  return SymDim.fromTerms(out);
}

export function dimEq(a: Dim, b: Dim): boolean {
  if (typeof a === "number" || typeof b === "number") return a === b;
  return a.text === b.text;
}

export function dimToString(d: Dim): string {
  return typeof d === "number" ? String(d) : d.text;
}

export function dimsToString(dims: readonly Dim[]): string {
  return `[${dims.map(dimToString).join(", ")}]`;
}

function splitMonomial(k: string): string[] {
  return k === "" ? [] : k.split("*");
}

function joinMonomial(syms: string[]): string {
  return syms.sort().join("*");
}

function compareMonomials(a: string, b: string): number {
  if (a === "" || b === "") return a === "" ? 1 : -1; // constant last
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatTerms(terms: ReadonlyMap<string, number>): string {
  let s = "";
  for (const [k, c] of terms) {
    const mag = Math.abs(c);
    const body = k === "" ? String(mag) : mag === 1 ? k : `${mag}*${k}`;
    s += c < 0 ? `-${body}` : s === "" ? body : `+${body}`;
  }
  return s;
}

/** The value of `d` once its symbols are bound (tests compare inferred shapes with real ones);
 *  undefined when a symbol is unbound. */
export function evalDim(d: Dim, env: Readonly<Record<string, number>>): number | undefined {
  if (typeof d === "number") return d;
  let total = 0;
  for (const [k, c] of d.terms) {
    let m = c;
    for (const s of splitMonomial(k)) {
      const v = env[s];
      if (v === undefined) return undefined;
      m *= v;
    }
    total += m;
  }
  return total;
}
