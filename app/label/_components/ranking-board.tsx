"use client";
// The labeller's ranking board (controlled): answers side by side, the rank list with ties and flags, the verdict.
import { useEffect, useRef } from "react";
import type { RefObject } from "react";
import { AnswerColumns } from "./answer-columns";
import { KeyboardHelp } from "./keyboard-help";
import { RankList } from "./rank-list";
import { SubmitPanel } from "./submit-panel";
import { useBoardController } from "./use-board-controller";
import type { TBoardProps } from "./use-board-controller";
import { useBoardKeys } from "./use-board-keys";
import { kbdHint, keyHint, secondaryButton } from "./board-styles";

export type { TBoardState } from "./board-state";
export { initialBoardState } from "./board-state";

/** Keeps the selected card (and its column, sideways) in view after selecting or moving it. */
function useKeepInView(rootRef: RefObject<HTMLElement | null>, selectedId: string | null, layoutKey: unknown) {
  useEffect(() => {
    const root = rootRef.current;
    if (!root || !selectedId) return;
    const esc = CSS.escape(selectedId);
    root.querySelector(`[data-candidate-id="${esc}"]`)?.scrollIntoView({ block: "nearest" });
    const column = root.querySelector<HTMLElement>(`[data-column-for="${esc}"]`);
    const strip = column?.parentElement;
    if (!column || !strip || strip.scrollWidth <= strip.clientWidth) return;
    if (
      column.offsetLeft < strip.scrollLeft ||
      column.offsetLeft + column.offsetWidth > strip.scrollLeft + strip.clientWidth
    ) {
      strip.scrollTo({ left: column.offsetLeft - strip.offsetLeft });
    }
  }, [rootRef, selectedId, layoutKey]);
}

/** "Show differences": offered only when two answers are similar enough for a word diff to help. */
function DiffToggle({ board }: { board: ReturnType<typeof useBoardController> }) {
  const similar = [...board.diffs.keys()].map((id) => board.letters.get(id) ?? "?").join(", ");
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
      <button
        type="button"
        aria-pressed={board.isDiffOn}
        aria-keyshortcuts="d"
        data-testid="diff-toggle"
        onClick={board.toggleDiff}
        className={`${secondaryButton} aria-pressed:border-indigo-600 aria-pressed:bg-indigo-50 aria-pressed:text-indigo-900`}
      >
        {board.isDiffOn ? "Hide differences" : "Show differences"} <kbd className={kbdHint}>d</kbd>
      </button>
      <span>Answers {similar} are nearly the same; the differences mark the words that tell them apart.</span>
    </div>
  );
}

export function RankingBoard(props: TBoardProps) {
  const { candidates, state, isBusy = false } = props;
  const board = useBoardController(props);
  const rootRef = useRef<HTMLDivElement>(null);
  const rationaleRef = useRef<HTMLTextAreaElement>(null);
  useBoardKeys(rootRef, { ...board.keyHandlers, focusRationale: () => rationaleRef.current?.focus() });
  useKeepInView(rootRef, board.selectedId, board.tiers);

  return (
    <div ref={rootRef} className="flex flex-col gap-4 text-slate-900">
      {board.diffs.size > 0 && <DiffToggle board={board} />}
      <AnswerColumns
        candidates={candidates}
        letters={board.letters}
        rankOf={board.rankOf}
        flags={state.flags}
        selectedId={board.selectedId}
        onSelect={board.cardActions.select}
        diffs={board.isDiffOn ? board.diffs : null}
      />
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="ranking-heading" className="min-w-0">
          <h2
            id="ranking-heading"
            className="mb-2 flex flex-wrap items-baseline gap-x-2 text-sm font-semibold text-slate-800"
          >
            Your ranking, best first
            <span className="font-normal text-slate-500">
              Drag or use the buttons<span className={keyHint}>, or press 1–9 then ↑/↓</span>. Tie answers that are
              equally good.
            </span>
          </h2>
          <RankList
            tiers={board.tiers}
            candidates={board.byId}
            letters={board.letters}
            flags={state.flags}
            selectedId={board.selectedId}
            flagMenuFor={board.flagMenuFor}
            actions={board.cardActions}
            onReorder={board.reorder}
            onDraggingChange={board.setDragging}
            strengths={board.strengths}
            onStrength={board.chooseStrength}
            diffs={board.isDiffOn ? board.diffs : null}
          />
        </section>
        <div className="lg:sticky lg:top-4">
          <SubmitPanel
            noneAcceptable={state.noneAcceptable}
            rationale={state.rationale}
            isBusy={isBusy}
            isConfirming={board.isConfirming}
            problem={board.problem}
            onNoneAcceptableChange={(noneAcceptable) => board.update({ noneAcceptable })}
            onRationaleChange={(rationale) => board.update({ rationale })}
            onSubmit={board.requestSubmit}
            onConfirm={board.confirmSubmit}
            onCancelConfirm={() => board.setConfirming(false)}
            onSkip={props.onSkip}
            onShowHelp={() => board.setHelpOpen(true)}
            rationaleRef={rationaleRef}
          />
        </div>
      </div>
      <KeyboardHelp
        isOpen={board.isHelpOpen}
        onClose={() => board.setHelpOpen(false)}
        asksStrength={props.asksStrength ?? false}
      />
      <p aria-live="polite" className="sr-only">
        {board.announcement}
      </p>
    </div>
  );
}
