"use client";
// One draggable candidate of the rank list: letter, rank, controls, and its answer (a short rendered preview on wide screens).
import { useRef } from "react";
import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import type { TCandidateFlags, TFlagKind } from "@/server/domain";
import { focusRing, letterChip } from "./board-styles";
import { CardControls } from "./card-controls";
import { Markdown } from "@/app/_components/markdown";
import { CollapsibleAnswer } from "./collapsible-answer";
import { FlagBadges } from "./flag-badges";
import { FlagMenu } from "./flag-menu";
import type { TCandidateDiff } from "./answer-diff";
import { DiffText } from "./diff-text";

export type TCardActions = {
  select: (id: string) => void;
  moveUp: (id: string) => void;
  moveDown: (id: string) => void;
  toggleTie: (id: string) => void;
  toggleFlagMenu: (id: string) => void;
  /** Closes the flag menu; true when focus belongs back on the card's flag button. */
  closeFlagMenu: () => boolean;
  toggleFlag: (id: string, kind: TFlagKind) => void;
  setFlagNote: (id: string, note: string) => void;
};

type TProps = {
  candidate: { id: string; text: string };
  letter: string;
  /** 0-based index of the card's tier. */
  tierIndex: number;
  tierCount: number;
  tierSize: number;
  isSelected: boolean;
  isFlagMenuOpen: boolean;
  flag: TCandidateFlags[string] | undefined;
  actions: TCardActions;
  /** Its differences from its most similar other answer, while the diff view is on. */
  diff?: TCandidateDiff;
  partnerLetter?: string;
};

export function CandidateCard({
  candidate,
  letter,
  tierIndex,
  tierCount,
  tierSize,
  isSelected,
  isFlagMenuOpen,
  flag,
  actions,
  diff,
  partnerLetter = "?",
}: TProps) {
  const { id } = candidate;
  const flagButtonRef = useRef<HTMLButtonElement>(null);
  // Taken apart: the sortable's node-ref setters go to `ref`, its state is read while rendering.
  const { setNodeRef, setActivatorNodeRef, attributes, listeners, transform, transition, isDragging } = useSortable({
    id,
  });
  const isTied = tierSize > 1;

  return (
    <div
      ref={setNodeRef}
      role="row"
      aria-selected={isSelected}
      aria-label={`Answer ${letter}, rank ${tierIndex + 1}${isTied ? " (tie)" : ""}`}
      data-testid={`candidate-card-${letter}`}
      data-candidate-id={id}
      data-tier-index={tierIndex + 1}
      onClick={() => actions.select(id)}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      className={`relative rounded-lg border bg-white p-2 shadow-sm ${
        isSelected ? "border-indigo-600 ring-2 ring-indigo-600" : "border-slate-200"
      } ${isDragging ? "z-20 opacity-80 shadow-lg" : ""}`}
    >
      <div role="gridcell" className="flex flex-col gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <button
            type="button"
            ref={setActivatorNodeRef}
            {...attributes}
            {...listeners}
            aria-label={`Drag answer ${letter}`}
            className={`inline-flex min-h-10 min-w-8 cursor-grab touch-none items-center justify-center rounded-md text-slate-400 hover:bg-slate-100 active:cursor-grabbing ${focusRing}`}
          >
            <span aria-hidden="true">⠿</span>
          </button>
          <span className={letterChip}>{letter}</span>
          <span className="text-sm font-semibold tabular-nums text-slate-600" title="Current rank">
            #{tierIndex + 1}
          </span>
          <FlagBadges flag={flag} />
          <span className="flex-1" />
          <div className="relative">
            <CardControls
              candidateId={id}
              letter={letter}
              canMoveUp={tierIndex > 0 || isTied}
              canMoveDown={tierIndex < tierCount - 1 || isTied}
              isTied={isTied}
              canTie={tierIndex > 0}
              isFlagged={(flag?.kinds.length ?? 0) > 0}
              isFlagMenuOpen={isFlagMenuOpen}
              flagButtonRef={flagButtonRef}
              onMoveUp={() => actions.moveUp(id)}
              onMoveDown={() => actions.moveDown(id)}
              onTieToggle={() => actions.toggleTie(id)}
              onFlagMenuToggle={() => actions.toggleFlagMenu(id)}
            />
            {isFlagMenuOpen && (
              <FlagMenu
                candidateId={id}
                letter={letter}
                flag={flag}
                onToggle={(kind) => actions.toggleFlag(id, kind)}
                onNote={(note) => actions.setFlagNote(id, note)}
                onClose={(restoreFocus) => {
                  const isToButton = actions.closeFlagMenu();
                  if (!restoreFocus) return;
                  if (isToButton) flagButtonRef.current?.focus();
                  else if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
                }}
              />
            )}
          </div>
        </div>
        <div className="px-1 lg:hidden">
          <CollapsibleAnswer
            text={candidate.text}
            label={letter}
            id={`answer-body-${letter}`}
            diff={diff && <DiffText segments={diff.segments} partnerLetter={partnerLetter} />}
          />
        </div>
        {/* Wide screens read the full answer in its column above; the row recalls it in a few rendered lines. */}
        <div
          aria-hidden="true"
          data-testid={`row-preview-${letter}`}
          className="relative hidden max-h-[4.5rem] overflow-hidden px-1 text-slate-700 lg:block"
        >
          <Markdown text={candidate.text} />
          <div className="pointer-events-none absolute inset-x-0 bottom-0 h-4 bg-linear-to-t from-white" />
        </div>
      </div>
    </div>
  );
}
