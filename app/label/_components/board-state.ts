// Pure state transitions of the ranking board: tiers (best first, ties grouped), per-candidate flags and the
// strength of preference between adjacent tiers.
import type { TCandidateFlags, TFlagKind, TStrength, TTiers } from "@/server/domain";

/**
 * The strength chosen for each boundary between two adjacent tiers, keyed by the two tiers' members
 * (boundaryKey): a boundary whose tiers are unchanged keeps its strength whatever moves elsewhere.
 */
export type TStrengthChoices = Record<string, TStrength>;

export type TBoardState = {
  tiers: string[][];
  flags: TCandidateFlags;
  noneAcceptable: boolean;
  rationale: string;
  /** Only where the project asks for strength of preference; absent in drafts made before it asked. */
  strengths?: TStrengthChoices;
};

/** Each candidate in its own tier, in the order shown. */
export function initialBoardState(candidateIds: string[]): TBoardState {
  return { tiers: candidateIds.map((id) => [id]), flags: {}, noneAcceptable: false, rationale: "" };
}

/** Letter label of a shown position: A..Z, then AA, AB... */
export function letterFor(index: number): string {
  const letter = String.fromCharCode(65 + (index % 26));
  return index < 26 ? letter : letterFor(Math.floor(index / 26) - 1) + letter;
}

/**
 * Makes tiers consistent with the candidates: drops unknown/duplicate ids and empty tiers, appends
 * missing ids as their own tiers. Guards against a stale state handed in by the page.
 */
export function normalizeTiers(tiers: readonly (readonly string[])[], ids: readonly string[]): string[][] {
  const known = new Set(ids);
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const tier of tiers) {
    const kept: string[] = [];
    for (const id of tier) {
      if (known.has(id) && !seen.has(id)) kept.push(id);
      seen.add(id);
    }
    if (kept.length > 0) out.push(kept);
  }
  for (const id of ids) if (!seen.has(id)) out.push([id]);
  return out;
}

export function tierIndexOf(tiers: TTiers, id: string): number {
  return tiers.findIndex((tier) => tier.includes(id));
}

/** Tiers without `id`, empty tiers removed. */
function without(tiers: TTiers, id: string): string[][] {
  return tiers.map((tier) => tier.filter((x) => x !== id)).filter((tier) => tier.length > 0);
}

function insertTier(tiers: string[][], at: number, tier: string[]): string[][] {
  const i = Math.max(0, Math.min(at, tiers.length));
  return [...tiers.slice(0, i), tier, ...tiers.slice(i)];
}

/** One step better: out of a tie to just above it, or swapped with the tier above. */
export function moveUp(tiers: TTiers, id: string): string[][] {
  const i = tierIndexOf(tiers, id);
  const tier = tiers[i];
  if (!tier) return tiers;
  if (tier.length > 1) return insertTier(without(tiers, id), i, [id]);
  if (i === 0) return tiers;
  return insertTier(without(tiers, id), i - 1, [id]);
}

/** One step worse: out of a tie to just below it, or swapped with the tier below. */
export function moveDown(tiers: TTiers, id: string): string[][] {
  const i = tierIndexOf(tiers, id);
  const tier = tiers[i];
  if (!tier) return tiers;
  if (tier.length > 1) return insertTier(without(tiers, id), i + 1, [id]);
  if (i === tiers.length - 1) return tiers;
  // Removing a singleton shifts later tiers up by one, so i+1 is "after the next tier".
  return insertTier(without(tiers, id), i + 1, [id]);
}

/** Joins the tier above (ties with it). */
export function tieWithAbove(tiers: TTiers, id: string): string[][] {
  const i = tierIndexOf(tiers, id);
  if (i <= 0) return tiers;
  return tiers
    .map((tier, j) => (j === i - 1 ? [...tier, id] : tier.filter((x) => x !== id)))
    .filter((tier) => tier.length > 0);
}

/** Leaves a tie into its own tier just below the former tie mates. */
export function untie(tiers: TTiers, id: string): string[][] {
  const i = tierIndexOf(tiers, id);
  if ((tiers[i]?.length ?? 0) < 2) return tiers;
  return insertTier(without(tiers, id), i + 1, [id]);
}

/** Own tier at 1-based rank `n` (clamped), e.g. Shift+2 makes it rank 2 exactly. */
export function moveToTier(tiers: TTiers, id: string, n: number): string[][] {
  if (tierIndexOf(tiers, id) < 0) return tiers;
  return insertTier(without(tiers, id), n - 1, [id]);
}

/**
 * Drag-and-drop: `activeId` dropped onto `overId`'s place becomes its own tier right after the
 * tier of `overId` when moving down, right before it when moving up (as in a flat list).
 */
export function reorder(tiers: TTiers, activeId: string, overId: string): string[][] {
  if (activeId === overId) return tiers;
  const flat = tiers.flat();
  const from = flat.indexOf(activeId);
  const to = flat.indexOf(overId);
  if (from < 0 || to < 0) return tiers;
  const rest = without(tiers, activeId);
  const overTier = tierIndexOf(rest, overId);
  return insertTier(rest, from < to ? overTier + 1 : overTier, [activeId]);
}

/** Each candidate alone, in shown order: the labeller may not have ranked at all. */
export function isShownOrder(tiers: TTiers, shownIds: readonly string[]): boolean {
  return tiers.length === shownIds.length && tiers.every((tier, i) => tier.length === 1 && tier[0] === shownIds[i]);
}

/** Adds or removes a flag; a candidate without kinds has no entry (the schema needs ≥ 1 kind). */
export function toggleFlag(flags: TCandidateFlags, id: string, kind: TFlagKind): TCandidateFlags {
  const current = flags[id] ?? { kinds: [], note: "" };
  const isOn = current.kinds.includes(kind);
  const kinds = isOn ? current.kinds.filter((k) => k !== kind) : [...current.kinds, kind];
  const { [id]: _removed, ...others } = flags;
  if (kinds.length === 0) return others;
  // The note belongs to "other": dropping that flag must not leave a hidden note behind.
  const note = isOn && kind === "other" ? "" : current.note;
  return { ...others, [id]: { kinds, note } };
}

export function setFlagNote(flags: TCandidateFlags, id: string, note: string): TCandidateFlags {
  const current = flags[id];
  if (!current) return flags;
  return { ...flags, [id]: { ...current, note } };
}

/** Candidate ids flagged "other" without an explanation (submission is blocked until filled). */
export function missingFlagNotes(flags: TCandidateFlags): string[] {
  return Object.entries(flags)
    .filter(([, flag]) => flag.kinds.includes("other") && flag.note.trim() === "")
    .map(([id]) => id);
}

/** The key of the boundary between two adjacent tiers: their members, order inside a tier ignored. */
export function boundaryKey(upper: readonly string[], lower: readonly string[]): string {
  return `${[...upper].sort().join(",")}>${[...lower].sort().join(",")}`;
}

/** The strength of each boundary, best pair first (tiers.length - 1 entries); null where none is chosen. */
export function strengthsOf(tiers: TTiers, choices: TStrengthChoices = {}): (TStrength | null)[] {
  return tiers.slice(1).map((lower, i) => choices[boundaryKey(tiers[i]!, lower)] ?? null);
}

/**
 * Only the choices of boundaries that still exist. A boundary whose upper or lower tier changed (an answer
 * moved in, out, or past it) is a new comparison and is asked again; the others keep their strength.
 */
export function keepStrengths(choices: TStrengthChoices, tiers: TTiers): TStrengthChoices {
  const out: TStrengthChoices = {};
  tiers.slice(1).forEach((lower, i) => {
    const key = boundaryKey(tiers[i]!, lower);
    const chosen = choices[key];
    if (chosen) out[key] = chosen;
  });
  return out;
}

/** Sets the strength between tier `boundary` and the next (0-based); out of range changes nothing. */
export function setStrength(
  choices: TStrengthChoices,
  tiers: TTiers,
  boundary: number,
  strength: TStrength,
): TStrengthChoices {
  const upper = tiers[boundary];
  const lower = tiers[boundary + 1];
  if (!upper || !lower) return choices;
  return { ...keepStrengths(choices, tiers), [boundaryKey(upper, lower)]: strength };
}

/**
 * The boundary a strength key applies to for the selected candidate: the one below its tier (how much better
 * its tier is than the next), or for the last tier the one above; null with one tier or an unknown id.
 */
export function boundaryFor(tiers: TTiers, id: string): number | null {
  const i = tierIndexOf(tiers, id);
  if (i < 0 || tiers.length < 2) return null;
  return i < tiers.length - 1 ? i : i - 1;
}

/** 0-based boundaries still without a strength. */
export function missingStrengths(tiers: TTiers, choices: TStrengthChoices = {}): number[] {
  return strengthsOf(tiers, choices).flatMap((s, i) => (s === null ? [i] : []));
}

/**
 * What label.submit takes from the board: the state without its UI-only parts, with strengths as one entry per
 * boundary when the project asks (the caller checks none is missing first) and none when it does not.
 */
export function submissionOf(state: TBoardState, asksStrength: boolean) {
  const { tiers, flags, noneAcceptable, rationale } = state;
  if (!asksStrength) return { tiers, flags, noneAcceptable, rationale };
  const strengths = strengthsOf(tiers, state.strengths).filter((s): s is TStrength => s !== null);
  return { tiers, flags, noneAcceptable, rationale, strengths };
}
