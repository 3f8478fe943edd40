// Shared by the parsers of other tools' ranking exports (Label Studio, Argilla): annotator ids, dates and the
// tiers of one ranking; each returns a clean value or throws RowIssue naming the field. No I/O.
import { fail } from "./fields";

/** A user id as a tool writes it (a number or a string), as a string; at most 200 characters. */
export function annotatorId(value: unknown, field: string): string {
  if (typeof value === "number" && Number.isInteger(value)) return String(value);
  if (typeof value !== "string" || value.trim() === "") fail(`"${field}" must be a user id (a number or a string)`);
  if (value.length > 200) fail(`"${field}" is longer than 200 characters`);
  return value.trim();
}

/** An optional ISO date; a present but unreadable one is refused rather than replaced by "now". */
export function optionalDate(value: unknown, field: string): Date | undefined {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) fail(`"${field}" must be a date (ISO 8601)`);
  return date;
}

/**
 * Tiers of candidate positions from groups of candidate keys, best first. Every key must name a candidate and
 * appear once; candidates the ranking leaves out share a last tier (placed below what was ranked). Returns null
 * when the ranking orders nothing (fewer than two tiers).
 */
export function tiersFromGroups(groups: string[][], keys: string[], field: string): number[][] | null {
  const seen = new Set<string>();
  const tiers: number[][] = [];
  for (const group of groups) {
    const tier: number[] = [];
    for (const key of group) {
      const position = keys.indexOf(key);
      if (position === -1) fail(`"${field}" ranks "${key}", which is not one of the candidates (${keys.join(", ")})`);
      if (seen.has(key)) fail(`"${field}" ranks "${key}" twice`);
      seen.add(key);
      tier.push(position);
    }
    if (tier.length) tiers.push(tier);
  }
  const rest = keys.flatMap((k, position) => (seen.has(k) ? [] : [position]));
  if (rest.length) tiers.push(rest);
  return tiers.length >= 2 ? tiers : null;
}

/** Refuses a second ranking by the same annotator of one row (one judgment per labeller and comparison). */
export function onePerAnnotator<T extends { annotator: string }>(rankings: { ranking: T; field: string }[]): T[] {
  const seen = new Map<string, string>();
  for (const { ranking, field } of rankings) {
    const earlier = seen.get(ranking.annotator);
    if (earlier !== undefined)
      fail(`"${earlier}" and "${field}" are both by user ${ranking.annotator}; keep one ranking per annotator`);
    seen.set(ranking.annotator, field);
  }
  return rankings.map((r) => r.ranking);
}
