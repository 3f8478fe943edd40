"use client";
// A labeller's own misses on the project's reference (gold) prompts, when the project gives that feedback: the
// conversation, the answers as they were shown (A, B, …), their ranking and flags beside the expected ranking,
// best answer and answers to flag, and the admin's note. Off: a sentence saying so.
import { use } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../_trpc/client";
import { Card, ErrorText } from "../../../_components/ui";
import { Markdown } from "../../../_components/markdown";
import { ConversationView } from "../../_components/conversation-view";

const letter = (i: number) => String.fromCharCode(65 + i);
const pct = (x: number) => `${Math.round(x * 100)}%`;

export default function GoldFeedbackPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = use(params);
  const trpc = useTRPC();
  const q = useQuery(trpc.label.goldFeedback.queryOptions({ projectSlug: slug }));
  const d = q.data;
  return (
    <main className="mx-auto max-w-5xl space-y-4 px-4 py-4" data-testid="gold-feedback">
      <div className="flex flex-wrap items-center gap-3">
        <Link href={`/label/${slug}`} className="text-sm text-slate-500 hover:underline">
          ← Back to labelling
        </Link>
        <h1 className="text-lg font-semibold">Feedback on checks{d ? ` · ${d.projectName}` : ""}</h1>
      </div>
      <ErrorText error={q.error} />
      {d && !d.enabled && <p className="text-sm text-slate-600">This project does not show feedback on checks.</p>}
      {d?.enabled && d.misses.length === 0 && (
        <p className="text-sm text-slate-600" data-testid="no-misses">
          No misses: your rankings of the reference prompts match the expected answers.
        </p>
      )}
      {d?.misses.map((m) => {
        const letters = new Map(m.candidates.map((c, i) => [c.id, letter(i)]));
        const name = (id: string) => letters.get(id) ?? "?";
        const ranking = (tiers: string[][]) => tiers.map((t, i) => `${i + 1}. ${t.map(name).join(" = ")}`).join("  ");
        return (
          <Card key={m.judgmentId} data-testid="gold-miss" title={`Checked ${m.createdAt.toLocaleString()}`}>
            <ConversationView messages={m.messages} />
            <ol className="mt-3 grid gap-3 lg:grid-cols-2">
              {m.candidates.map((c, i) => (
                <li key={c.id} className="rounded-md border border-slate-200 p-3">
                  <div className="mb-1 text-xs font-semibold text-slate-500">{letter(i)}</div>
                  <Markdown text={c.text} />
                </li>
              ))}
            </ol>
            <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="font-medium">Your ranking</dt>
              <dd data-testid="miss-yours">
                {ranking(m.tiers)}
                {m.flagged.length > 0 ? ` · flagged ${m.flagged.map(name).join(", ")}` : ""}
              </dd>
              {m.expected.tiers && (
                <>
                  <dt className="font-medium">Expected ranking</dt>
                  <dd data-testid="miss-expected">{ranking(m.expected.tiers)}</dd>
                </>
              )}
              {m.expected.best && (
                <>
                  <dt className="font-medium">Expected best</dt>
                  <dd>{name(m.expected.best)}</dd>
                </>
              )}
              {m.expected.mustFlag.length > 0 && (
                <>
                  <dt className="font-medium">Should be flagged</dt>
                  <dd>{m.expected.mustFlag.map(name).join(", ")}</dd>
                </>
              )}
              <dt className="font-medium">Agreement</dt>
              <dd>{pct(m.result.score)}</dd>
              {m.note && (
                <>
                  <dt className="font-medium">Note</dt>
                  <dd className="whitespace-pre-wrap" data-testid="miss-note">
                    {m.note}
                  </dd>
                </>
              )}
            </dl>
          </Card>
        );
      })}
    </main>
  );
}
