// The labeller's work in progress on one assignment, kept in the browser until submit or skip, so a
// reload or a failed submit loses nothing. Stored per assignment: another task never sees it.
import { STRENGTHS, type TStrength } from "@/server/domain";
import type { TBoardState, TStrengthChoices } from "./board-state";

const PREFIX = "prefloop:draft:";
/** Drafts of leases that ran out are dropped after this long, so storage does not grow forever. */
const MAX_AGE_MS = 7 * 86_400_000;

type TStored = { savedAt: number; state: TBoardState };

const keyOf = (assignmentId: string) => `${PREFIX}${assignmentId}`;

function storage(): Storage | null {
  try {
    return typeof window === "undefined" ? null : window.localStorage;
  } catch {
    // Storage can be switched off (private modes, policies): the board then works without drafts.
    return null;
  }
}

function isBoardState(v: unknown): v is TBoardState {
  const s = v as TBoardState | null;
  return (
    typeof s === "object" &&
    s !== null &&
    Array.isArray(s.tiers) &&
    s.tiers.every((t) => Array.isArray(t) && t.every((id) => typeof id === "string")) &&
    typeof s.flags === "object" &&
    s.flags !== null &&
    typeof s.noneAcceptable === "boolean" &&
    typeof s.rationale === "string"
  );
}

/** Strengths by boundary key; anything else (a foreign or older shape) is dropped, the rest of the draft kept. */
function strengthChoices(v: unknown): TStrengthChoices | undefined {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
  const entries = Object.entries(v).filter((e): e is [string, TStrength] =>
    (STRENGTHS as readonly unknown[]).includes(e[1]),
  );
  return Object.fromEntries<TStrength>(entries);
}

/** The saved draft, or null; a corrupt or foreign value is ignored (the board repairs unknown ids and strengths). */
export function loadDraft(assignmentId: string): TBoardState | null {
  const raw = storage()?.getItem(keyOf(assignmentId));
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as TStored;
    if (!isBoardState(parsed.state)) return null;
    const { strengths, ...state } = parsed.state;
    const choices = strengthChoices(strengths);
    return choices ? { ...state, strengths: choices } : state;
  } catch {
    return null;
  }
}

export function saveDraft(assignmentId: string, state: TBoardState, now = Date.now()): void {
  const store = storage();
  if (!store) return;
  try {
    store.setItem(keyOf(assignmentId), JSON.stringify({ savedAt: now, state } satisfies TStored));
  } catch {
    // Quota exceeded: keep working; the draft is a convenience, the submit is what counts.
  }
}

export function clearDraft(assignmentId: string): void {
  storage()?.removeItem(keyOf(assignmentId));
}

/** Removes drafts older than MAX_AGE_MS (their leases are long gone). */
export function pruneDrafts(now = Date.now()): void {
  const store = storage();
  if (!store) return;
  for (const key of Object.keys(store)) {
    if (!key.startsWith(PREFIX)) continue;
    try {
      const { savedAt } = JSON.parse(store.getItem(key) ?? "") as TStored;
      if (typeof savedAt !== "number" || now - savedAt > MAX_AGE_MS) store.removeItem(key);
    } catch {
      store.removeItem(key);
    }
  }
}
