"use client";
// The ranking board's behaviour: UI state (selection, menus, confirmation) and every action, for mouse and keys.
import { useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { STRENGTH_LABELS, type TStrength, type TTiers } from "@/server/domain";
import * as board from "./board-state";
import type { TBoardState } from "./board-state";
import type { TCardActions } from "./candidate-card";
import type { TBoardKeyHandlers } from "./use-board-keys";
import { similarCandidates } from "./answer-diff";

export type TBoardProps = {
  candidates: { id: string; text: string }[];
  state: TBoardState;
  onChange: (s: TBoardState) => void;
  onSubmit: () => void;
  onSkip: () => void;
  isBusy?: boolean;
  /** The project asks how much better each tier is than the next (a strength per boundary, before submit). */
  asksStrength?: boolean;
};

type TTiersMove = (tiers: TTiers, id: string) => string[][];
const sameTiers = (a: TTiers, b: TTiers) => JSON.stringify(a) === JSON.stringify(b);

export function useBoardController({
  candidates,
  state,
  onChange,
  onSubmit,
  onSkip,
  isBusy = false,
  asksStrength = false,
}: TBoardProps) {
  const ids = useMemo(() => candidates.map((c) => c.id), [candidates]);
  const byId = useMemo(() => new Map(candidates.map((c) => [c.id, c])), [candidates]);
  const letters = useMemo(() => new Map(candidates.map((c, i) => [c.id, board.letterFor(i)])), [candidates]);
  const tiers = useMemo(() => board.normalizeTiers(state.tiers, ids), [state.tiers, ids]);
  const rankOf = useMemo(
    () =>
      new Map(tiers.flatMap((tier, i) => tier.map((id) => [id, { rank: i + 1, isTied: tier.length > 1 }] as const))),
    [tiers],
  );

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [flagMenuFor, setFlagMenuFor] = useState<string | null>(null);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const [isConfirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");
  // A reading preference, kept from task to task; shown only where two answers are similar.
  const [isDiffOn, setDiffOn] = useState(false);
  const diffs = useMemo(() => similarCandidates(candidates), [candidates]);
  const strengths = useMemo(
    () => (asksStrength ? board.strengthsOf(tiers, state.strengths) : null),
    [asksStrength, tiers, state.strengths],
  );
  const isDraggingRef = useRef(false);
  // A menu opened with the `f` key gives focus back to the page when it closes, so Enter submits;
  // one opened with its button gives focus back to the button, as menus do.
  const isFlagMenuFromKeyRef = useRef(false);

  // A new task (other candidates) starts with a clean slate of UI state.
  const taskKey = ids.join("\n");
  const [seenTaskKey, setSeenTaskKey] = useState(taskKey);
  if (seenTaskKey !== taskKey) {
    setSeenTaskKey(taskKey);
    setSelectedId(null);
    setFlagMenuFor(null);
    setConfirming(false);
    setProblem(null);
  }

  // A state that does not match the candidates (stale or hand-made) is repaired once, visibly to the page.
  // An Effect Event reads the latest state and onChange: only new repaired tiers re-run it, not a new onChange identity.
  const repair = useEffectEvent((repaired: TTiers) => {
    if (!sameTiers(repaired, state.tiers)) onChange({ ...state, tiers: repaired });
  });
  useEffect(() => repair(tiers), [tiers]);

  const letterOf = (id: string) => letters.get(id) ?? "?";
  const update = (patch: Partial<TBoardState>) => {
    setConfirming(false);
    setProblem(null);
    const next = { ...state, tiers, ...patch };
    // A boundary whose tiers changed is a new comparison: its strength is asked again.
    if (next.strengths) next.strengths = board.keepStrengths(next.strengths, next.tiers);
    onChange(next);
  };

  const tierNames = (i: number) => (tiers[i] ?? []).map(letterOf).join(", ");
  const chooseStrength = (boundary: number, strength: TStrength) => {
    update({ strengths: board.setStrength(state.strengths ?? {}, tiers, boundary, strength) });
    setAnnouncement(
      `Rank ${boundary + 1} (${tierNames(boundary)}) is ${STRENGTH_LABELS[strength].toLowerCase()} than rank ${boundary + 2} (${tierNames(boundary + 1)}).`,
    );
  };
  /** A strength key: applies to the boundary next to the selected answer's tier; false when none applies. */
  const strengthKey = (strength: TStrength) => {
    if (!asksStrength || !selectedId) return false;
    const boundary = board.boundaryFor(tiers, selectedId);
    if (boundary === null) return false;
    chooseStrength(boundary, strength);
  };

  const describe = (next: TTiers, id: string) => {
    const i = board.tierIndexOf(next, id);
    const mates = (next[i] ?? []).filter((x) => x !== id).map(letterOf);
    return `Answer ${letterOf(id)} is now rank ${i + 1}${mates.length ? `, tied with ${mates.join(", ")}` : ""}.`;
  };

  /** Applies a tier move; false when nothing is selected, so the key keeps its default. */
  const move = (fn: TTiersMove, id: string | null) => {
    if (!id || !byId.has(id)) return false;
    const next = fn(tiers, id);
    if (!sameTiers(next, tiers)) {
      update({ tiers: next });
      setAnnouncement(describe(next, id));
    }
    return true;
  };
  const toggleTie = (id: string) =>
    move((tiers.find((t) => t.includes(id))?.length ?? 0) > 1 ? board.untie : board.tieWithAbove, id);

  const requestSubmit = () => {
    if (isBusy) return;
    const missing = board.missingFlagNotes(state.flags).filter((id) => byId.has(id));
    if (missing[0]) {
      setProblem(`Describe the "Other" flag of answer ${missing.map(letterOf).join(", ")} before submitting.`);
      setFlagMenuFor(missing[0]);
      return;
    }
    const unsaid = asksStrength ? board.missingStrengths(tiers, state.strengths)[0] : undefined;
    if (unsaid !== undefined) {
      setProblem(`Say how much better rank ${unsaid + 1} is than rank ${unsaid + 2} before submitting.`);
      return;
    }
    if (board.isShownOrder(tiers, ids) && !isConfirming) return setConfirming(true);
    setConfirming(false);
    onSubmit();
  };

  const escape = () => {
    if (isHelpOpen) setHelpOpen(false);
    else if (flagMenuFor) setFlagMenuFor(null);
    else if (isConfirming) setConfirming(false);
    else setSelectedId(null);
  };

  // Functional: a click on a card's flag button bubbles up to the card's select, after the button
  // opened its menu in the same event; reading flagMenuFor from this render would close it again.
  const select = (id: string) => {
    setSelectedId(id);
    setFlagMenuFor((open) => (open === id ? open : null));
  };

  const cardActions: TCardActions = {
    select,
    moveUp: (id) => move(board.moveUp, id),
    moveDown: (id) => move(board.moveDown, id),
    toggleTie,
    toggleFlagMenu: (id) => {
      isFlagMenuFromKeyRef.current = false;
      setFlagMenuFor((open) => (open === id ? null : id));
    },
    closeFlagMenu: () => {
      setFlagMenuFor(null);
      return !isFlagMenuFromKeyRef.current;
    },
    toggleFlag: (id, kind) => update({ flags: board.toggleFlag(state.flags, id, kind) }),
    setFlagNote: (id, note) => update({ flags: board.setFlagNote(state.flags, id, note) }),
  };

  const keyHandlers: Omit<TBoardKeyHandlers, "focusRationale"> = {
    select: (position) => {
      const id = ids[position - 1];
      if (!id) return false;
      select(id);
    },
    moveUp: () => move(board.moveUp, selectedId),
    moveDown: () => move(board.moveDown, selectedId),
    tie: () => move(board.tieWithAbove, selectedId),
    untie: () => move(board.untie, selectedId),
    moveToRank: (rank) => move((t, id) => board.moveToTier(t, id, rank), selectedId),
    openFlags: () => {
      if (!selectedId) return false;
      isFlagMenuFromKeyRef.current = true;
      setFlagMenuFor((open) => (open === selectedId ? null : selectedId));
    },
    toggleNoneAcceptable: () => update({ noneAcceptable: !state.noneAcceptable }),
    muchBetter: () => strengthKey("much_better"),
    better: () => strengthKey("better"),
    slightlyBetter: () => strengthKey("slightly_better"),
    toggleDiff: () => {
      if (diffs.size === 0) return false;
      setDiffOn((on) => !on);
    },
    submit: requestSubmit,
    skip: () => {
      if (!isBusy) onSkip();
    },
    toggleHelp: () => setHelpOpen((open) => !open),
    escape,
    isHelpOpen: () => isHelpOpen,
    isDragging: () => isDraggingRef.current,
  };

  return {
    tiers,
    strengths,
    chooseStrength,
    diffs,
    isDiffOn: isDiffOn && diffs.size > 0,
    toggleDiff: () => setDiffOn((on) => !on),
    byId,
    letters,
    rankOf,
    selectedId,
    flagMenuFor,
    isHelpOpen,
    isConfirming,
    problem,
    announcement,
    cardActions,
    keyHandlers,
    update,
    requestSubmit,
    setHelpOpen,
    setConfirming,
    confirmSubmit: () => {
      if (isBusy) return;
      setConfirming(false);
      onSubmit();
    },
    reorder: (activeId: string, overId: string) => move((t, id) => board.reorder(t, id, overId), activeId),
    setDragging: (isDragging: boolean) => {
      isDraggingRef.current = isDragging;
    },
  };
}
