// Word-level differences between similar candidates, for the board's "Show differences" view. Pure: which
// candidates are similar (and to which other candidate most), and the segments to mark in each.
import { diffWords, type ChangeObject } from "diff";

/**
 * Two candidates are similar when at least this share of their words is unchanged between them (2 × unchanged
 * words / all words of both, as in a similarity ratio). 0.7: a reworded sentence or a changed number in a long
 * answer passes, two different answers on the same topic (which share function words) do not.
 */
export const SIMILARITY_THRESHOLD = 0.7;
/** A pair diff that takes longer than this (very long, very different texts) counts as not similar. */
const DIFF_TIMEOUT_MS = 150;

export type TDiffSegment = { kind: "same" | "added" | "removed"; text: string };
/** A candidate's differences from its most similar other candidate. */
export type TCandidateDiff = { partnerId: string; similarity: number; segments: TDiffSegment[] };

// Roughly the tokens diffWords compares (words and punctuation marks), to bound the work of one diff.
const TOKEN = /[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu;
const tokenCount = (text: string) => text.match(TOKEN)?.length ?? 0;

/** The changes from `from` to `to`, or undefined when they differ in more words than `maxEdits` (or time ran out). */
function changes(from: string, to: string, maxEdits: number): ChangeObject<string>[] | undefined {
  return diffWords(from, to, { maxEditLength: maxEdits, timeout: DIFF_TIMEOUT_MS });
}

function ratio(parts: ChangeObject<string>[]): number {
  let same = 0;
  let changed = 0;
  for (const p of parts) {
    if (p.added || p.removed) changed += p.count;
    else same += p.count;
  }
  return same + changed === 0 ? 0 : (2 * same) / (2 * same + changed);
}

/** Share of unchanged words between two texts, in [0, 1]; texts that differ too much to diff cheaply get 0. */
export function similarity(a: string, b: string, threshold = SIMILARITY_THRESHOLD): number {
  // At the threshold, the edits (words removed plus words added) are at most (1 - threshold) of all words.
  const maxEdits = Math.ceil((1 - threshold) * (tokenCount(a) + tokenCount(b))) + 2;
  const parts = changes(a, b, maxEdits);
  return parts ? ratio(parts) : 0;
}

/**
 * What to mark in `text` against `partner`: its own words that the partner lacks ("added"), and the partner's
 * words in their place ("removed", whitespace trimmed). The "same" and "added" segments, joined, are `text`
 * exactly; whitespace at the edges of an addition is moved out of it, so only words are marked.
 */
export function diffSegments(partner: string, text: string): TDiffSegment[] {
  const out: TDiffSegment[] = [];
  const push = (kind: TDiffSegment["kind"], s: string) => {
    if (s === "") return;
    const last = out[out.length - 1];
    if (last && last.kind === kind && kind !== "removed") last.text += s;
    else out.push({ kind, text: s });
  };
  for (const p of diffWords(partner, text)) {
    if (p.removed) {
      const words = p.value.trim().replace(/\s+/g, " ");
      if (words) out.push({ kind: "removed", text: words });
    } else if (p.added) {
      const [, lead = "", core = "", trail = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(p.value) ?? [];
      push("same", lead);
      push("added", core);
      push("same", trail);
    } else push("same", p.value);
  }
  return out;
}

/**
 * For each candidate similar to another (similarity ≥ threshold), its most similar other candidate (the first
 * shown of equals) and the segments to mark; candidates similar to none are absent.
 */
export function similarCandidates(
  candidates: readonly { id: string; text: string }[],
  threshold = SIMILARITY_THRESHOLD,
): Map<string, TCandidateDiff> {
  const best = new Map<string, { partner: number; similarity: number }>();
  candidates.forEach((a, i) => {
    for (let j = i + 1; j < candidates.length; j++) {
      const s = similarity(a.text, candidates[j]!.text, threshold);
      if (s < threshold) continue;
      for (const [self, other] of [
        [i, j],
        [j, i],
      ] as const) {
        const id = candidates[self]!.id;
        if ((best.get(id)?.similarity ?? -1) < s) best.set(id, { partner: other, similarity: s });
      }
    }
  });
  const out = new Map<string, TCandidateDiff>();
  for (const c of candidates) {
    const b = best.get(c.id);
    if (!b) continue;
    const partner = candidates[b.partner]!;
    out.set(c.id, { partnerId: partner.id, similarity: b.similarity, segments: diffSegments(partner.text, c.text) });
  }
  return out;
}
