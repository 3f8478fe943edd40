// Paths of the real data sets committed with the engine fixtures (workers/ml/fixtures, each with its README and licence).
import fs from "node:fs";
import path from "node:path";

const FIXTURES = path.resolve(import.meta.dirname, "../../workers/ml/fixtures");

/** The HH-RLHF harmless-base test split (2,312 real pairs); throws with a clear message when absent. */
export function hhHarmlessTestFile(): string {
  const file = path.join(FIXTURES, "hh-rlhf/harmless-base-test.jsonl.gz");
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: it is committed with the repository (workers/ml/fixtures)`);
  return file;
}
