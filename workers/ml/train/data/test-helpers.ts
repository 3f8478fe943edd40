// Shared by the data tests: JSONL files written to a temporary directory, and the committed HH-RLHF file's path.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";

export interface TTempFiles {
  readonly dir: string;
  /** Writes `rows` (values: one JSON line each; a string: the file's exact text) and returns the path. */
  write(name: string, rows: readonly unknown[] | string): string;
  remove(): void;
}

export function tempFiles(prefix = "prefloop-data-"): TTempFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    write(name, rows) {
      const file = path.join(dir, name);
      const text = typeof rows === "string" ? rows : rows.map((r) => JSON.stringify(r)).join("\n") + "\n";
      fs.writeFileSync(file, name.endsWith(".gz") ? zlib.gzipSync(text) : text);
      return file;
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

// The real data committed with the engine fixtures (workers/ml/fixtures/hh-rlhf, with its README and licence).
const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures");

/** The HH-RLHF harmless-base test split (2,312 real pairs); throws with a clear message when absent. */
export function hhHarmlessTestFile(): string {
  const file = path.join(FIXTURES, "hh-rlhf/harmless-base-test.jsonl.gz");
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: it is committed with the repository (workers/ml/fixtures)`);
  return file;
}
