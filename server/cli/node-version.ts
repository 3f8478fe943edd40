// The Node.js versions prefloop runs on are package.json's `engines.node`. Entry points (`npm start`, the
// worker) import ./require-node first, so an unsupported Node stops them with one clear line instead of an
// obscure failure later. The range grammar is the subset engines uses here: comparators (>=, >, <=, <, =)
// separated by spaces (all must hold), alternatives separated by `||`.
import fs from "node:fs";
import path from "node:path";

type TVersion = [number, number, number];

function parseVersion(text: string): TVersion {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a version`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function compare(a: TVersion, b: TVersion): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/** Whether `version` (e.g. process.version, "v22.12.0") satisfies `range` (e.g. ">=20.19 <21 || >=22.12"). */
export function satisfiesNodeRange(version: string, range: string): boolean {
  const v = parseVersion(version);
  return range.split("||").some((alternative) => {
    const comparators = alternative.trim().split(/\s+/).filter(Boolean);
    if (comparators.length === 0) throw new Error(`the range "${range}" has an empty alternative`);
    return comparators.every((c) => {
      const m = /^(>=|<=|>|<|=)?\s*(v?\d+(?:\.\d+){0,2})$/.exec(c);
      if (!m) throw new Error(`"${c}" in the range "${range}" is not a comparator this check understands`);
      const d = compare(v, parseVersion(m[2]!));
      switch (m[1] ?? "=") {
        case ">=":
          return d >= 0;
        case ">":
          return d > 0;
        case "<=":
          return d <= 0;
        case "<":
          return d < 0;
        default:
          return d === 0;
      }
    });
  });
}

/** The one-line message for an unsupported Node, or null when `version` is supported. */
export function nodeVersionProblem(version: string, range: string): string | null {
  return satisfiesNodeRange(version, range)
    ? null
    : `prefloop needs Node.js ${range} (package.json "engines"); this is Node.js ${version}. Install a supported version and try again.`;
}

export function engineRange(): string {
  const pkg = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../package.json"), "utf8")) as {
    engines?: { node?: string };
  };
  const range = pkg.engines?.node;
  if (!range) throw new Error('package.json has no "engines.node"');
  return range;
}
