"use client";
// Verdict controls under the ranking: "none acceptable", rationale, submit (with confirmation) and skip.
import { useEffect, useRef } from "react";
import type { RefObject } from "react";
import { focusRing, kbdHint, keyHint, primaryButton, secondaryButton } from "./board-styles";

type TProps = {
  noneAcceptable: boolean;
  rationale: string;
  isBusy: boolean;
  isConfirming: boolean;
  problem: string | null;
  onNoneAcceptableChange: (value: boolean) => void;
  onRationaleChange: (value: string) => void;
  onSubmit: () => void;
  onConfirm: () => void;
  onCancelConfirm: () => void;
  onSkip: () => void;
  onShowHelp: () => void;
  rationaleRef: RefObject<HTMLTextAreaElement | null>;
};

function SubmitConfirmation({
  isBusy,
  onConfirm,
  onCancel,
}: {
  isBusy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const confirmRef = useRef<HTMLButtonElement>(null);
  // Focus on the confirm button makes Enter confirm and Escape cancel without more key handling.
  useEffect(() => confirmRef.current?.focus(), []);
  return (
    <div role="alert" className="rounded-lg border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950">
      <p className="font-medium">You are submitting the answers in the order they were shown. Submit anyway?</p>
      <div className="mt-2 flex flex-wrap gap-2">
        <button
          ref={confirmRef}
          type="button"
          data-testid="confirm-submit"
          disabled={isBusy}
          onClick={onConfirm}
          className={primaryButton}
        >
          Submit anyway <kbd className={kbdHint}>Enter</kbd>
        </button>
        <button type="button" onClick={onCancel} className={secondaryButton}>
          Keep ranking <kbd className={kbdHint}>Esc</kbd>
        </button>
      </div>
    </div>
  );
}

// The ref is taken apart from the other props: React reads a props object that carries a ref as a ref.
export function SubmitPanel({ rationaleRef, ...props }: TProps) {
  return (
    <div className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
      <label className="flex min-h-10 cursor-pointer items-center gap-2 text-sm font-medium">
        <input
          type="checkbox"
          data-testid="none-acceptable"
          checked={props.noneAcceptable}
          onChange={(e) => props.onNoneAcceptableChange(e.target.checked)}
          className={`size-4 accent-red-700 ${focusRing}`}
        />
        None of the answers is acceptable <kbd className={kbdHint}>n</kbd>
      </label>
      <label className="flex flex-col gap-1 text-sm">
        <span className="font-medium">
          Rationale <span className="font-normal text-slate-500">(optional)</span> <kbd className={kbdHint}>r</kbd>
        </span>
        <textarea
          ref={rationaleRef}
          data-testid="rationale"
          aria-keyshortcuts="r"
          onKeyDown={(e) => {
            // The board's keys are off while typing; these two are the way out of the field.
            if (e.key === "Escape") {
              e.preventDefault();
              e.stopPropagation();
              e.currentTarget.blur();
            } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
              e.preventDefault();
              props.onSubmit();
            }
          }}
          value={props.rationale}
          onChange={(e) => props.onRationaleChange(e.target.value)}
          rows={2}
          maxLength={5000}
          placeholder="Why is the best answer better?"
          title="Esc leaves the field; Ctrl+Enter (⌘ Enter) submits"
          className={`resize-y rounded-md border border-slate-300 px-2 py-1.5 ${focusRing}`}
        />
      </label>
      {props.problem && (
        <p role="alert" className="rounded-md bg-red-50 px-2 py-1.5 text-sm text-red-800">
          {props.problem}
        </p>
      )}
      {props.isConfirming && (
        <SubmitConfirmation isBusy={props.isBusy} onConfirm={props.onConfirm} onCancel={props.onCancelConfirm} />
      )}
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          data-testid="submit-button"
          disabled={props.isBusy}
          aria-busy={props.isBusy}
          onClick={props.onSubmit}
          className={primaryButton}
        >
          Submit <kbd className={kbdHint}>Enter</kbd>
        </button>
        <button
          type="button"
          data-testid="skip-button"
          disabled={props.isBusy}
          onClick={props.onSkip}
          className={secondaryButton}
        >
          Skip <kbd className={kbdHint}>s</kbd>
        </button>
        <button
          type="button"
          onClick={props.onShowHelp}
          aria-label="Keyboard shortcuts"
          className={`ml-auto min-h-10 rounded-md px-2 text-sm text-slate-600 hover:bg-slate-100 ${keyHint} ${focusRing}`}
        >
          <kbd className={kbdHint}>?</kbd> Shortcuts
        </button>
      </div>
    </div>
  );
}
