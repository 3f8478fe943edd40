"use client";
// The ranking itself: tiers best first (ties grouped in one box), reorderable by drag and drop.
import { Fragment, useId, useMemo } from "react";
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors } from "@dnd-kit/core";
import type { Announcements, DragEndEvent } from "@dnd-kit/core";
import { SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from "@dnd-kit/sortable";
import type { TCandidateFlags, TStrength } from "@/server/domain";
import { CandidateCard } from "./candidate-card";
import type { TCardActions } from "./candidate-card";
import type { TCandidateDiff } from "./answer-diff";
import { StrengthPicker } from "./strength-picker";

type TProps = {
  tiers: string[][];
  candidates: ReadonlyMap<string, { id: string; text: string }>;
  letters: ReadonlyMap<string, string>;
  flags: TCandidateFlags;
  selectedId: string | null;
  flagMenuFor: string | null;
  actions: TCardActions;
  onReorder: (activeId: string, overId: string) => void;
  onDraggingChange: (isDragging: boolean) => void;
  /** One per boundary between adjacent tiers (null: not chosen yet) where the project asks; else null. */
  strengths?: (TStrength | null)[] | null;
  onStrength?: (boundary: number, strength: TStrength) => void;
  /** The diff view's marks per candidate, when it is on. */
  diffs?: ReadonlyMap<string, TCandidateDiff> | null;
};

export function RankList({
  tiers,
  candidates,
  letters,
  flags,
  selectedId,
  flagMenuFor,
  actions,
  onReorder,
  onDraggingChange,
  strengths = null,
  onStrength,
  diffs = null,
}: TProps) {
  // A stable id keeps dnd-kit's generated aria ids identical between server and client renders.
  const dndId = useId();
  const sensors = useSensors(
    // A few pixels of travel before a drag starts, so taps and clicks on the handle stay clicks.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const flat = useMemo(() => tiers.flat(), [tiers]);
  const name = (id: unknown) => `answer ${letters.get(String(id)) ?? "?"}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${name(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${name(active.id)} is over the place of ${name(over.id)}.` : undefined),
    onDragEnd: ({ active, over }) =>
      over ? `${name(active.id)} dropped at the place of ${name(over.id)}.` : `${name(active.id)} dropped.`,
    onDragCancel: ({ active }) => `Moving cancelled; ${name(active.id)} is back where it was.`,
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    onDraggingChange(false);
    if (over && active.id !== over.id) onReorder(String(active.id), String(over.id));
  };

  return (
    <DndContext
      id={dndId}
      sensors={sensors}
      collisionDetection={closestCenter}
      accessibility={{
        announcements,
        screenReaderInstructions: {
          draggable:
            "To move an answer, press space or enter to pick it up, the arrow keys to move it, space or enter to drop it, escape to cancel.",
        },
      }}
      onDragStart={() => onDraggingChange(true)}
      onDragEnd={onDragEnd}
      onDragCancel={() => onDraggingChange(false)}
    >
      <SortableContext items={flat} strategy={verticalListSortingStrategy}>
        <div
          role="grid"
          aria-label="Ranking, best first"
          aria-rowcount={flat.length + (strengths?.length ?? 0)}
          className="flex flex-col gap-2"
        >
          {tiers.map((tier, i) => {
            const isTie = tier.length > 1;
            const lower = tiers[i + 1];
            return (
              <Fragment key={tier[0]}>
                <div
                  role="rowgroup"
                  aria-label={`Rank ${i + 1}${isTie ? `, tie of ${tier.length}` : ""}`}
                  data-testid={`tier-${i + 1}`}
                  data-tier-index={i + 1}
                  className={`flex gap-2 rounded-xl p-1.5 ${isTie ? "border-2 border-dashed border-amber-400 bg-amber-50" : "border border-transparent"}`}
                >
                  <div aria-hidden="true" className="flex w-9 shrink-0 flex-col items-center pt-2.5">
                    <span className="text-lg font-bold tabular-nums text-slate-500">{i + 1}</span>
                    {isTie && <span className="text-xs font-semibold uppercase tracking-wide text-amber-700">tie</span>}
                  </div>
                  <div className="flex min-w-0 flex-1 flex-col gap-2">
                    {tier.map((id) => {
                      const candidate = candidates.get(id);
                      if (!candidate) return null;
                      return (
                        <CandidateCard
                          key={id}
                          candidate={candidate}
                          letter={letters.get(id) ?? "?"}
                          tierIndex={i}
                          tierCount={tiers.length}
                          tierSize={tier.length}
                          isSelected={selectedId === id}
                          isFlagMenuOpen={flagMenuFor === id}
                          flag={flags[id]}
                          actions={actions}
                          diff={diffs?.get(id)}
                          partnerLetter={letters.get(diffs?.get(id)?.partnerId ?? "") ?? "?"}
                        />
                      );
                    })}
                  </div>
                </div>
                {strengths && lower && onStrength && (
                  <StrengthPicker
                    boundary={i}
                    upper={tier.map((id) => letters.get(id) ?? "?")}
                    lower={lower.map((id) => letters.get(id) ?? "?")}
                    value={strengths[i] ?? null}
                    name={`${dndId}-strength-${i}`}
                    onChange={(s) => onStrength(i, s)}
                  />
                )}
              </Fragment>
            );
          })}
        </div>
      </SortableContext>
    </DndContext>
  );
}
