"use client";
// A simple, keyboard-accessible ranking editor with ties: one row per answer, in tiers best first, with buttons to
// move an answer up or down, tie it with the tier above, or untie it (the labelling board's pure transitions).
import { moveDown, moveUp, tieWithAbove, untie } from "@/app/label/_components/board-state";
import { Button } from "../../_components/ui";

type TCandidate = { id: string; number: number };

export function TierEditor({
  tiers,
  candidates,
  onChange,
}: {
  tiers: string[][];
  candidates: TCandidate[];
  onChange: (tiers: string[][]) => void;
}) {
  const numberOf = new Map(candidates.map((c) => [c.id, c.number]));
  return (
    <ol className="space-y-2" aria-label="Adjudicated ranking, best first" data-testid="tier-editor">
      {tiers.map((tier, t) => (
        <li key={tier.join("|")} className="rounded-md border border-slate-200 p-2" data-testid="adjudicate-tier">
          <div className="mb-1 text-xs font-semibold text-slate-500">
            Rank {t + 1}
            {tier.length > 1 ? " (tied)" : ""}
          </div>
          <ul className="space-y-1">
            {tier.map((id) => {
              const n = numberOf.get(id);
              return (
                <li key={id} className="flex flex-wrap items-center gap-2" data-testid={`adjudicate-row-${n}`}>
                  <span className="w-20 font-medium">Answer {n}</span>
                  <Button
                    variant="secondary"
                    aria-label={`Move answer ${n} up`}
                    disabled={t === 0 && tier.length === 1}
                    onClick={() => onChange(moveUp(tiers, id))}
                  >
                    ↑
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={`Move answer ${n} down`}
                    disabled={t === tiers.length - 1 && tier.length === 1}
                    onClick={() => onChange(moveDown(tiers, id))}
                  >
                    ↓
                  </Button>
                  <Button
                    variant="secondary"
                    aria-label={`Tie answer ${n} with the rank above`}
                    disabled={t === 0}
                    onClick={() => onChange(tieWithAbove(tiers, id))}
                  >
                    Tie with above
                  </Button>
                  {tier.length > 1 && (
                    <Button
                      variant="secondary"
                      aria-label={`Untie answer ${n}`}
                      onClick={() => onChange(untie(tiers, id))}
                    >
                      Untie
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ol>
  );
}
