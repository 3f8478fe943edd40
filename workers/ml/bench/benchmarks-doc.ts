// Writes the generated parts of docs/benchmarks.md' "Generation" and "Training" sections; hand-written notes
// around them stay.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const BENCHMARKS_DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/benchmarks.md");

interface TSection {
  readonly title: string;
  /** The paragraph between the heading and the generated block, for a section that does not exist yet. */
  readonly intro: string;
  readonly begin: string;
  readonly end: string;
}

const GENERATION: TSection = {
  title: "Generation",
  intro: `\`npm run bench:generate\` (\`workers/ml/bench/\`; \`-- --write\` updates this section, \`--quick\` for a short
run, \`--threads N\` to change the thread count on both sides).`,
  begin:
    "<!-- bench:generate:begin (written by `npm run bench:generate -- --write`; edit the notes outside these markers) -->",
  end: "<!-- bench:generate:end -->",
};

const TRAINING: TSection = {
  title: "Training",
  intro: `\`npm run bench:train\` (\`workers/ml/bench/\`; \`-- --write\` updates this section, \`--quick\` for one timed
step, \`--threads N\` to change the thread count on both sides, \`--only <config>\` for one config).`,
  begin:
    "<!-- bench:train:begin (written by `npm run bench:train -- --write`; edit the notes outside these markers) -->",
  end: "<!-- bench:train:end -->",
};

const HEADER = `# Benchmarks

Throughput and memory of the model engine (\`workers/ml\`) against PyTorch eager on the same machine, the
same threads and the same weights. These are benchmarks, not tests: nothing fails on a number. Each
section names its command, machine and date.
`;

/** Replaces what lies between the section's markers (creating the file or appending the section when missing). */
function writeSection(s: TSection, generated: string, file: string): void {
  let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : HEADER;
  if (!text.includes(s.begin) || !text.includes(s.end))
    text = `${text.trimEnd()}\n\n## ${s.title}\n\n${s.intro}\n\n${s.begin}\n${s.end}\n`;
  const start = text.indexOf(s.begin) + s.begin.length;
  const end = text.indexOf(s.end);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${text.slice(0, start)}\n${generated.trim()}\n${text.slice(end)}`);
}

export function writeGenerationSection(generated: string, file = BENCHMARKS_DOC): void {
  writeSection(GENERATION, generated, file);
}

export function writeTrainingSection(generated: string, file = BENCHMARKS_DOC): void {
  writeSection(TRAINING, generated, file);
}
