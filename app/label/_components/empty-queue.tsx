"use client";
// What the labeller sees when no prompt can be handed out: why, in this project, and a way to look again.
import { Button } from "../../_components/ui";

/** `waiting`: prompts this labeller has neither judged nor skipped (undefined while loading). */
export function EmptyQueue({ waiting, onCheckAgain }: { waiting: number | undefined; onCheckAgain: () => void }) {
  const isAllDone = waiting === 0;
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 text-center" data-testid="queue-empty">
      <p className="font-medium">{isAllDone ? "You are done here." : "Nothing to hand out right now."}</p>
      <p className="mt-1 text-sm text-slate-500">
        {isAllDone
          ? "You have judged or skipped every prompt that is open in this project. New prompts will show up here."
          : waiting === undefined
            ? "Checking what is left…"
            : "Other labellers hold the remaining prompts, or they have enough judgments; check back later."}
      </p>
      <Button variant="secondary" className="mt-3" onClick={onCheckAgain}>
        Check again
      </Button>
    </div>
  );
}
