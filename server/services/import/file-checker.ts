// The per-row checks of an import that need the rows before it (duplicates, reused ids) or the project
// (K); both passes run the same checks in the same order, so the second sees what the first validated.
import type { TImportIssue, TImportItem, TParsed } from "./import-types";
import { contentHash } from "./content-hash";

export type TChecked =
  | { kind: "issue"; line: number; issue: TImportIssue }
  | { kind: "duplicate"; line: number }
  | { kind: "item"; line: number; item: TImportItem; hash: string };

function checkItem(item: TImportItem, k: number): string | null {
  const n = item.candidates.length;
  if (n === 1) return "has 1 candidate: give at least 2 to rank, or none to have them generated";
  if (n > k) return `has ${n} candidates but the project ranks at most ${k} (K); raise K or trim the file`;
  return null;
}

export class FileChecker {
  // Half a sha256 (128 bits) per row is enough to tell rows apart and halves the memory a large file costs.
  readonly #hashes = new Set<string>();
  readonly #ids = new Map<string, { hash: string; line: number }>();

  constructor(private readonly k: number) {}

  check(parsed: TParsed): TChecked {
    if (parsed.kind === "issue") return { kind: "issue", line: parsed.issue.line, issue: parsed.issue };
    const { item } = parsed;
    const line = item.line;
    const problem = checkItem(item, this.k);
    if (problem) return { kind: "issue", line, issue: { line, message: problem } };
    const hash = contentHash(item);
    const short = hash.slice(0, 32);
    if (item.externalId !== undefined) {
      const earlier = this.#ids.get(item.externalId);
      if (earlier && earlier.hash !== short) {
        const message = `id "${item.externalId}" was already used on line ${earlier.line} for a different prompt; give each prompt its own id`;
        return { kind: "issue", line, issue: { line, message } };
      }
      if (earlier) return { kind: "duplicate", line };
    }
    if (this.#hashes.has(short)) return { kind: "duplicate", line };
    this.#hashes.add(short);
    // Only a kept row claims its id: a repeat of earlier content under a new id is just a duplicate.
    if (item.externalId !== undefined) this.#ids.set(item.externalId, { hash: short, line });
    return { kind: "item", line, item, hash };
  }
}
