"use client";
// Gold for one comparison in the admin's prompt detail: the expected answer shown (ranking, best answer, answers
// to flag, note) with "Edit" and "Clear", or "Mark as gold". The form gives each answer a place (equal places are
// tied; leave every place empty for no expected ranking), an expected best, the answers that must be flagged and a
// note. The server validates it against the comparison's candidates and re-scores existing judgments.
import "../../_components/zod-config";
import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ZGoldAnswer, type TGoldAnswer } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { Button, ErrorText, TextArea } from "../../_components/ui";

type TDraft = { places: Record<string, string>; best: string; mustFlag: string[]; note: string };

function draftOf(gold: TGoldAnswer | null): TDraft {
  const places: Record<string, string> = {};
  gold?.tiers?.forEach((tier, t) => tier.forEach((id) => (places[id] = String(t + 1))));
  return { places, best: gold?.best ?? "", mustFlag: gold?.mustFlag ?? [], note: gold?.note ?? "" };
}

/** The draft as an answer; places must be whole numbers, all given or none (the server checks the rest). */
function answerOf(d: TDraft, ids: string[]): TGoldAnswer | string {
  const given = ids.filter((id) => (d.places[id] ?? "").trim() !== "");
  let tiers: string[][] | undefined;
  if (given.length > 0) {
    if (given.length < ids.length) return "Give every answer a place, or none for no expected ranking.";
    const byPlace = new Map<number, string[]>();
    for (const id of ids) {
      const place = Number(d.places[id]);
      if (!Number.isInteger(place) || place < 1) return "A place is a whole number from 1.";
      byPlace.set(place, [...(byPlace.get(place) ?? []), id]);
    }
    tiers = [...byPlace.entries()].sort(([a], [b]) => a - b).map(([, tier]) => tier);
  }
  return {
    ...(tiers ? { tiers } : {}),
    ...(d.best ? { best: d.best } : {}),
    ...(d.mustFlag.length ? { mustFlag: d.mustFlag } : {}),
    note: d.note,
  };
}

export function GoldEditor({
  projectId,
  comparisonId,
  gold: stored,
  candidates,
  letters,
}: {
  projectId: string;
  comparisonId: string;
  gold: unknown;
  candidates: { id: string }[];
  letters: Map<string, string>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const gold = ZGoldAnswer.safeParse(stored ?? undefined).data ?? null;
  const [draft, setDraft] = useState<TDraft | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation(
    trpc.admin.quality.setGold.mutationOptions({
      onSuccess: () => {
        setDraft(null);
        void queryClient.invalidateQueries({ queryKey: trpc.admin.projects.pathKey() });
      },
    }),
  );
  const ids = candidates.map((c) => c.id);
  const name = (id: string) => letters.get(id) ?? "?";
  if (!draft)
    return (
      <div className="mt-3 rounded-md border border-amber-200 bg-amber-50/50 p-3 text-sm" data-testid="gold">
        {gold ? (
          <>
            <p>
              <span className="mr-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800">Gold</span>
              {gold.tiers && (
                <span className="mr-3" data-testid="gold-expected">
                  Expected: {gold.tiers.map((t, i) => `${i + 1}. ${t.map(name).join(" = ")}`).join("  ")}
                </span>
              )}
              {gold.best && <span className="mr-3">Best: {name(gold.best)}</span>}
              {gold.mustFlag?.length ? (
                <span className="mr-3">Must flag: {gold.mustFlag.map(name).join(", ")}</span>
              ) : null}
            </p>
            {gold.note && <p className="mt-1 whitespace-pre-wrap text-slate-700">{gold.note}</p>}
            <div className="mt-2 flex gap-2">
              <Button variant="secondary" onClick={() => setDraft(draftOf(gold))}>
                Edit gold answer
              </Button>
              <Button
                variant="danger"
                disabled={save.isPending}
                onClick={() => save.mutate({ projectId, comparisonId, gold: null })}
              >
                Clear gold
              </Button>
            </div>
          </>
        ) : (
          <Button variant="secondary" onClick={() => setDraft(draftOf(null))} data-testid="mark-gold">
            Mark as gold
          </Button>
        )}
        <ErrorText error={save.error} />
      </div>
    );
  return (
    <form
      className="mt-3 space-y-2 rounded-md border border-amber-200 bg-amber-50/50 p-3 text-sm"
      data-testid="gold-form"
      onSubmit={(e) => {
        e.preventDefault();
        const answer = answerOf(draft, ids);
        if (typeof answer === "string") return setProblem(answer);
        setProblem(null);
        save.mutate({ projectId, comparisonId, gold: answer });
      }}
    >
      <p className="font-medium">Expected answer (existing judgments are re-scored)</p>
      <table className="text-left">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="pr-3 font-normal">Answer</th>
            <th className="pr-3 font-normal">Place (1 = best; equal places tie)</th>
            <th className="pr-3 font-normal">Expected best</th>
            <th className="font-normal">Must flag</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <tr key={id}>
              <td className="pr-3 font-semibold">{name(id)}</td>
              <td className="pr-3">
                <input
                  aria-label={`Place of ${name(id)}`}
                  type="number"
                  min={1}
                  max={ids.length}
                  className="w-16 rounded border border-slate-300 px-1 py-0.5"
                  value={draft.places[id] ?? ""}
                  onChange={(e) => setDraft({ ...draft, places: { ...draft.places, [id]: e.target.value } })}
                />
              </td>
              <td className="pr-3">
                <input
                  aria-label={`${name(id)} is the expected best`}
                  type="checkbox"
                  checked={draft.best === id}
                  onChange={(e) => setDraft({ ...draft, best: e.target.checked ? id : "" })}
                />
              </td>
              <td>
                <input
                  aria-label={`${name(id)} must be flagged`}
                  type="checkbox"
                  checked={draft.mustFlag.includes(id)}
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      mustFlag: e.target.checked ? [...draft.mustFlag, id] : draft.mustFlag.filter((x) => x !== id),
                    })
                  }
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <TextArea
        aria-label="Note for labellers"
        placeholder="Why this is the answer (labellers see it with their misses when feedback is on)"
        rows={2}
        maxLength={2000}
        value={draft.note}
        onChange={(e) => setDraft({ ...draft, note: e.target.value })}
      />
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending} data-testid="save-gold">
          Save gold answer
        </Button>
        <Button type="button" variant="secondary" onClick={() => setDraft(null)}>
          Cancel
        </Button>
      </div>
      <ErrorText error={problem ?? save.error} />
    </form>
  );
}
