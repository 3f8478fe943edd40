"use client";
// Wide screens only: every answer in its own scrollable column, in shown order, for side-by-side reading.
import type { TCandidateFlags } from "@/server/domain";
import { letterChip } from "./board-styles";
import { FlagBadges } from "./flag-badges";
import { ScrollableAnswer } from "./scrollable-answer";
import type { TCandidateDiff } from "./answer-diff";
import { DiffText } from "./diff-text";

type TProps = {
  candidates: { id: string; text: string }[];
  letters: ReadonlyMap<string, string>;
  rankOf: ReadonlyMap<string, { rank: number; isTied: boolean }>;
  flags: TCandidateFlags;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** The diff view's marks per candidate, when it is on. */
  diffs?: ReadonlyMap<string, TCandidateDiff> | null;
};

export function AnswerColumns({ candidates, letters, rankOf, flags, selectedId, onSelect, diffs = null }: TProps) {
  return (
    // Columns share the width evenly and scroll sideways only when there are too many to fit.
    <div className="hidden auto-cols-[minmax(18rem,1fr)] grid-flow-col gap-3 overflow-x-auto pb-2 lg:grid">
      {candidates.map((candidate) => {
        const letter = letters.get(candidate.id) ?? "?";
        const place = rankOf.get(candidate.id);
        const isSelected = selectedId === candidate.id;
        const diff = diffs?.get(candidate.id);
        return (
          <section
            key={candidate.id}
            data-testid={`answer-column-${letter}`}
            data-column-for={candidate.id}
            aria-labelledby={`answer-column-title-${letter}`}
            onClick={() => onSelect(candidate.id)}
            className={`flex min-w-0 flex-col rounded-lg border bg-white shadow-sm ${
              isSelected ? "border-indigo-600 ring-2 ring-indigo-600" : "border-slate-200"
            }`}
          >
            <header className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2">
              <span className={letterChip} id={`answer-column-title-${letter}`} aria-label={`Answer ${letter}`}>
                {letter}
              </span>
              {place && (
                <span className="text-sm font-semibold tabular-nums text-slate-600">
                  Rank {place.rank}
                  {place.isTied ? " (tie)" : ""}
                </span>
              )}
              <FlagBadges flag={flags[candidate.id]} />
            </header>
            <ScrollableAnswer
              text={candidate.text}
              letter={letter}
              diff={diff && <DiffText segments={diff.segments} partnerLetter={letters.get(diff.partnerId) ?? "?"} />}
            />
          </section>
        );
      })}
    </div>
  );
}
