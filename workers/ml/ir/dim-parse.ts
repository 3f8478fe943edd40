// Parses dimension text ("batch", "past+seq", "2*seq-1") into a Dim; not a general expression parser.
import { dimAdd, dimMul, dimSub, sym, type Dim, type DimLike } from "./dim";

export function toDim(d: DimLike): Dim {
  if (typeof d !== "string") {
    if (typeof d === "number" && !(Number.isInteger(d) && d >= 0)) throw new Error(`invalid dimension ${d}`);
    return d;
  }
  const tokens = d.replace(/\s+/g, "").match(/\?\d+|[A-Za-z_][A-Za-z0-9_]*|\d+|[-+*]/g) ?? [];
  if (tokens.join("") !== d.replace(/\s+/g, "") || tokens.length === 0) throw new Error(`invalid dimension "${d}"`);
  let pos = 0;
  const atom = (): Dim => {
    const t = tokens[pos++];
    if (t === undefined || "+-*".includes(t)) throw new Error(`invalid dimension "${d}"`);
    return /^\d+$/.test(t) ? Number(t) : sym(t);
  };
  const product = (): Dim => {
    let v = atom();
    while (tokens[pos] === "*") {
      pos++;
      v = dimMul(v, atom());
    }
    return v;
  };
  let v = product();
  while (pos < tokens.length) {
    const op = tokens[pos++];
    if (op === "+") v = dimAdd(v, product());
    else if (op === "-") v = dimSub(v, product());
    else throw new Error(`invalid dimension "${d}"`);
  }
  return v;
}
