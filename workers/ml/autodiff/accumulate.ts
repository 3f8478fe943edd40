// Gradient contributions per value, summed (Add) the first time a value's total is read: fan-in
// accumulation. Not the walk.
import type { GraphBuilder, Value } from "../ir";
import * as op from "../ops";

export class Accumulator {
  readonly #parts = new Map<Value, Value[]>();
  readonly #totals = new Map<Value, Value | null>();

  constructor(private readonly b: GraphBuilder) {}

  add(v: Value, g: Value): void {
    if (this.#totals.has(v)) throw new Error(`autodiff: internal: gradient of "${v.name}" grew after it was used`);
    const parts = this.#parts.get(v);
    if (parts) parts.push(g);
    else this.#parts.set(v, [g]);
  }

  /** The summed gradient of `v`, or null when nothing reached it. */
  total(v: Value): Value | null {
    const done = this.#totals.get(v);
    if (done !== undefined) return done;
    const parts = this.#parts.get(v) ?? [];
    const first = parts[0] ?? null;
    const sum =
      first === null
        ? null
        : this.b.scope(`${v.name}.acc`, () => parts.slice(1).reduce((s, g) => op.add(this.b, s, g), first));
    this.#totals.set(v, sum);
    return sum;
  }
}
