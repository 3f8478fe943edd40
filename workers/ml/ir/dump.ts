// Readable one-line-per-node text of a Graph for debugging and snapshot tests; not a parser.
import { attrToString } from "./attr";
import { typeToString, type Graph, type Node, type Value } from "./graph";
import { toNumbers } from "./tensor";

function ref(v: Value | null): string {
  return v === null ? "_" : `%${v.name}`;
}

function nodeLine(n: Node): string {
  const attrs = Object.entries(n.attributes).map(([k, a]) => `${k}=${attrToString(a)}`);
  const domain = n.domain === "" ? "" : `${n.domain}.`;
  const attrText = attrs.length > 0 ? ` {${attrs.join(", ")}}` : "";
  return `${n.outputs.map(ref).join(", ")} = ${domain}${n.opType}(${n.inputs.map(ref).join(", ")})${attrText} : ${n.outputs.map((v) => typeToString(v.type)).join(", ")}`;
}

export function dumpGraph(g: Graph): string {
  const lines = [`graph ${g.name} (opset ${g.opset})`];
  for (const v of g.inputs) lines.push(`  input ${ref(v)} : ${typeToString(v.type)}`);
  for (const i of g.initializers) {
    const isSmall = i.value.kind === "constant" && i.data.data.length <= 8;
    lines.push(
      `  ${i.value.kind} ${ref(i.value)} : ${typeToString(i.value.type)}${isSmall ? ` = [${toNumbers(i.data).join(", ")}]` : ""}`,
    );
  }
  for (const n of g.nodes) lines.push(`  ${nodeLine(n)}`);
  for (const v of g.outputs) lines.push(`  output ${ref(v)} : ${typeToString(v.type)}`);
  return lines.join("\n") + "\n";
}
