// Writes prisma/seed/house-prompts.jsonl: questions for the demo project whose candidates the built-in
// model generates (the first start seeds it). Questions come from the corpus's ranking pool (never the
// held-out evaluation set), a seeded sample across question types; each row's id is the corpus item id,
// so a simulated labeller can judge the answers. Run: npx tsx workers/house/cli/write-demo-prompts.ts
import fs from "node:fs";
import path from "node:path";
import { buildCorpus } from "../corpus/build-corpus";
import { Chooser } from "../corpus/random";

const COUNT = 200;
const OUT = path.resolve(import.meta.dirname, "../../../prisma/seed/house-prompts.jsonl");

const corpus = buildCorpus();
const pick = Chooser.of(7);
const pool = [...corpus.pool].filter((item) => item.type !== "decline");
const rows: string[] = [];
const taken = new Set<number>();
while (rows.length < Math.min(COUNT, pool.length)) {
  const i = pick.int(0, pool.length - 1);
  if (taken.has(i)) continue;
  taken.add(i);
  const item = pool[i]!;
  rows.push(
    JSON.stringify({ id: item.id, messages: item.messages, metadata: { type: item.type, entity: item.entity } }),
  );
}
fs.writeFileSync(OUT, rows.join("\n") + "\n");
console.log(`wrote ${rows.length} prompts to ${path.relative(process.cwd(), OUT)}`);
