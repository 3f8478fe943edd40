"use client";
// The ranking board's global keyboard shortcuts (see keyboard-help.tsx for the map).
import { useEffect, useRef } from "react";
import type { RefObject } from "react";

/** A command returns false when it did not apply, so the key keeps its default (e.g. arrows scroll). */
type TCommand = () => boolean | void;

export type TBoardKeyHandlers = {
  select: (position: number) => boolean | void;
  moveUp: TCommand;
  moveDown: TCommand;
  tie: TCommand;
  untie: TCommand;
  moveToRank: (rank: number) => boolean | void;
  openFlags: TCommand;
  focusRationale: TCommand;
  toggleNoneAcceptable: TCommand;
  muchBetter: TCommand;
  better: TCommand;
  slightlyBetter: TCommand;
  toggleDiff: TCommand;
  submit: TCommand;
  skip: TCommand;
  toggleHelp: TCommand;
  escape: TCommand;
  isHelpOpen: () => boolean;
  isDragging: () => boolean;
};

const NON_TEXT_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file"]);

/** Where keys are text, not commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") return true;
  return target instanceof HTMLInputElement && !NON_TEXT_INPUTS.has(target.type);
}

/**
 * While another modal is open (the page's skip dialog, a drawer), keys are its own: Enter or "s"
 * there must not submit or skip the task.
 */
function isAnotherModalOpen(root: HTMLElement | null): boolean {
  const modals = document.querySelectorAll("dialog[open], [aria-modal='true']");
  return [...modals].some((modal) => !root?.contains(modal));
}

/** Elements that Enter activates natively; there Enter must keep its usual meaning. */
function isActivatable(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest("button, a[href], summary, [role=button], [role=link]") !== null;
}

type TLetterAction =
  | "moveUp"
  | "moveDown"
  | "tie"
  | "untie"
  | "openFlags"
  | "toggleNoneAcceptable"
  | "focusRationale"
  | "muchBetter"
  | "better"
  | "slightlyBetter"
  | "toggleDiff";
const LETTER_ACTIONS: Record<string, TLetterAction> = {
  ArrowUp: "moveUp",
  k: "moveUp",
  ArrowDown: "moveDown",
  j: "moveDown",
  t: "tie",
  u: "untie",
  f: "openFlags",
  n: "toggleNoneAcceptable",
  r: "focusRationale",
  m: "muchBetter",
  b: "better",
  l: "slightlyBetter",
  d: "toggleDiff",
};

/** In a radio group (the strength pickers) the arrows choose among its options, as radios do natively. */
function isRadioArrow(e: KeyboardEvent): boolean {
  return e.target instanceof HTMLInputElement && e.target.type === "radio" && e.key.startsWith("Arrow");
}

export function useBoardKeys(rootRef: RefObject<HTMLElement | null>, handlers: TBoardKeyHandlers) {
  // Latest handlers without re-subscribing on every render.
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const h = ref.current;
      if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isTypingTarget(e.target) || h.isDragging() || isAnotherModalOpen(rootRef.current)) return;
      if (e.key === "?") return run(e, h.toggleHelp);
      if (e.key === "Escape") return void h.escape();
      // Popovers (the flag menu) handle their own keys.
      if (h.isHelpOpen() || (e.target instanceof Element && e.target.closest("[data-board-keys=local]"))) return;
      if (isRadioArrow(e)) return;

      const digit = /^(?:Digit|Numpad)([1-9])$/.exec(e.code)?.[1] ?? (/^[1-9]$/.test(e.key) ? e.key : undefined);
      if (digit) return run(e, () => (e.shiftKey ? h.moveToRank(Number(digit)) : h.select(Number(digit))));
      if (e.key === "Enter") {
        if (!e.repeat && !isActivatable(e.target)) run(e, h.submit);
        return;
      }
      if (e.key === "s" && !e.repeat) return run(e, h.skip);
      const action = LETTER_ACTIONS[e.key];
      if (action) run(e, h[action]);
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [rootRef]);
}

function run(e: KeyboardEvent, command: TCommand) {
  if (command() !== false) e.preventDefault();
}
