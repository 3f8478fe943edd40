// Writes the generated part of docs/benchmarks.md' "Generation" section; hand-written notes around it stay.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCHMARKS_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/benchmarks.md");

const BEGIN = "<!-- bench:generate:begin (written by `npm run bench:generate -- --write`; edit the notes outside these markers) -->";
const END = "<!-- bench:generate:end -->";

const SKELETON = `# Benchmarks

Throughput and memory of the model engine (\`workers/ml\`) against PyTorch eager on the same machine, the
same threads and the same weights. These are benchmarks, not tests: nothing fails on a number. Each
section names its command, machine and date.

## Generation

\`npm run bench:generate\` (\`workers/ml/bench/\`; \`-- --write\` updates this section, \`--quick\` for a short
run, \`--threads N\` to change the thread count on both sides).

${BEGIN}
${END}
`;

/** Replaces what lies between the markers (creating the file or the section when missing). */
export function writeGenerationSection(generated: string, file = BENCHMARKS_DOC): void {
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : SKELETON;
  if (!text.includes(BEGIN) || !text.includes(END)) text = `${text.trimEnd()}\n\n## Generation\n\n${BEGIN}\n${END}\n`;
  const start = text.indexOf(BEGIN) + BEGIN.length;
  const end = text.indexOf(END);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${text.slice(0, start)}\n${generated.trim()}\n${text.slice(end)}`);
}
