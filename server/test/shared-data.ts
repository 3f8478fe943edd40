// Paths of the real data sets in the shared folder beside the repository (../shared/data).
import fs from "node:fs";
import path from "node:path";

const SHARED = path.resolve(import.meta.dirname, "../../../shared/data");

/** The HH-RLHF harmless-base test split (2,312 real pairs); throws with a clear message when absent. */
export function hhHarmlessTestFile(): string {
  const file = path.join(SHARED, "hh-rlhf/harmless-base-test.jsonl.gz");
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: the tests need the shared data folder beside the repository`);
  return file;
}
