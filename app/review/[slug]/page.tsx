"use client";
// A project's review queue (?item=<comparison id> opens one item): the items with why each is there, then the
// item: the conversation, the answers, every judgment side by side under a pseudonym, the gold answer if any,
// earlier adjudications, and the form that records the adjudicated ranking with a note.
import { use, useState } from "react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import { FLAG_KINDS, FLAG_LABELS, STRENGTH_LABELS } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText, Field, TextArea } from "../../_components/ui";
import { Markdown } from "../../_components/markdown";
import { plural } from "../../_components/plural";
import { ConversationView } from "../../label/_components/conversation-view";
import { TierEditor } from "../_components/tier-editor";

type TItem = inferRouterOutputs<AppRouter>["review"]["item"];
type TCursor = { seq: number; round: number };

const REASON_LABELS: Record<string, string> = { low_agreement: "Low agreement", gold_miss: "Gold miss" };
const fmtAgreement = (v: number | null) => (v === null ? "–" : v.toFixed(2));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function Reasons({ reasons }: { reasons: string[] }) {
  return (
    <span className="flex flex-wrap gap-1">
      {reasons.map((r) => (
        <span
          key={r}
          data-testid="review-reason"
          className={`rounded-full px-2 py-0.5 text-xs font-medium ${r === "gold_miss" ? "bg-amber-100 text-amber-900" : "bg-red-100 text-red-800"}`}
        >
          {REASON_LABELS[r] ?? r}
        </span>
      ))}
    </span>
  );
}

/** A ranking as answer numbers, e.g. "2 > 1 = 3". */
function rankingText(tiers: string[][], numberOf: Map<string, number>): string {
  return tiers.map((tier) => tier.map((id) => numberOf.get(id) ?? "?").join(" = ")).join(" > ");
}

export default function ReviewQueuePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = use(params);
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const itemId = useSearchParams().get("item");
  const [cursors, setCursors] = useState<TCursor[]>([]);
  const cursor = cursors[cursors.length - 1];
  const queue = useQuery(
    trpc.review.queue.queryOptions({ projectSlug: slug, pageSize: 25, ...(cursor ? { cursor } : {}) }),
  );
  const open = (id: string | null) => router.replace(id ? `${pathname}?item=${id}` : pathname, { scroll: false });
  const q = queue.data;
  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/review" className="text-sm text-slate-500 hover:underline">
          ← Review
        </Link>
        <h1 className="text-xl font-semibold">{q?.project.name ?? slug}</h1>
        {q && (
          <span className="text-sm text-slate-500" data-testid="review-counts">
            {plural(q.counts.open, "open item")} · {plural(q.counts.adjudicated, "adjudicated prompt")} · threshold{" "}
            {q.project.threshold === null ? "none" : q.project.threshold}
          </span>
        )}
      </div>
      <ErrorText error={queue.error} />
      {itemId ? (
        <ReviewItem
          slug={slug}
          comparisonId={itemId}
          onBack={() => open(null)}
          onDone={() => {
            // The next open item after this one, if the page holds one; else back to the queue.
            const items = q?.items ?? [];
            const next = items.find((i) => i.comparisonId !== itemId);
            open(next?.comparisonId ?? null);
          }}
        />
      ) : (
        <Card title="Open items">
          {q?.items.length === 0 && (
            <p className="text-sm text-slate-600" data-testid="review-empty">
              Nothing to review. Prompts come here when their labellers disagree or miss a gold answer.
            </p>
          )}
          <ul className="divide-y divide-slate-100" data-testid="review-queue">
            {q?.items.map((i) => (
              <li key={i.comparisonId} data-testid="review-item">
                <button
                  type="button"
                  className="flex w-full flex-wrap items-center gap-3 py-2 text-left hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-500"
                  onClick={() => open(i.comparisonId)}
                >
                  <span className="w-16 text-sm text-slate-500">
                    #{i.promptSeq}
                    {i.round > 0 ? ` r${i.round}` : ""}
                  </span>
                  <span className="min-w-0 flex-1 truncate text-sm">{i.preview}</span>
                  <span className="text-xs text-slate-500">
                    agreement {fmtAgreement(i.agreement)} · {plural(i.judgmentCount, "judgment")}
                  </span>
                  <Reasons reasons={i.reasons} />
                </button>
              </li>
            ))}
          </ul>
          <div className="mt-3 flex gap-2">
            {cursors.length > 0 && (
              <Button variant="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
                ← Previous
              </Button>
            )}
            {q?.nextCursor && (
              <Button variant="secondary" onClick={() => setCursors([...cursors, q.nextCursor!])}>
                Next →
              </Button>
            )}
          </div>
        </Card>
      )}
    </main>
  );
}

function ReviewItem({
  slug,
  comparisonId,
  onBack,
  onDone,
}: {
  slug: string;
  comparisonId: string;
  onBack: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const item = useQuery(trpc.review.item.queryOptions({ projectSlug: slug, comparisonId }));
  if (item.error) return <ErrorText error={item.error} />;
  if (!item.data) return <p className="text-slate-500">Loading…</p>;
  return <ItemView key={item.data.comparisonId} item={item.data} slug={slug} onBack={onBack} onDone={onDone} />;
}

function ItemView({
  item,
  slug,
  onBack,
  onDone,
}: {
  item: TItem;
  slug: string;
  onBack: () => void;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const numberOf = new Map(item.candidates.map((c) => [c.id, c.number]));
  const latest = item.adjudications[0];
  const [tiers, setTiers] = useState<string[][]>(latest?.tiers ?? item.candidates.map((c) => [c.id]));
  const [note, setNote] = useState("");
  const adjudicate = useMutation(
    trpc.review.adjudicate.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.review.pathKey() });
        onDone();
      },
    }),
  );
  return (
    <div className="space-y-4" data-testid="review-item-view">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={onBack}>
          ← Queue
        </Button>
        <h2 className="font-semibold">
          Prompt #{item.promptSeq}
          {item.round > 0 ? `, round ${item.round}` : ""}
          {item.externalId ? ` (${item.externalId})` : ""}
        </h2>
        <span className="text-sm text-slate-500">agreement {fmtAgreement(item.agreement)}</span>
        <Reasons reasons={item.reasons} />
        {!item.isOpen && (
          <span className="rounded bg-green-100 px-2 py-0.5 text-xs text-green-800" data-testid="item-resolved">
            {item.adjudications.length > 0 ? "Adjudicated" : "Not in the queue"}
          </span>
        )}
      </div>
      <Card title="Conversation">
        <ConversationView messages={item.messages} />
      </Card>
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        {item.candidates.map((c) => (
          <Card key={c.id} title={`Answer ${c.number}`} data-testid={`review-answer-${c.number}`}>
            <Markdown text={c.text} />
          </Card>
        ))}
      </div>
      <Card title={`Judgments (${item.judgments.length})`}>
        <div className="flex gap-3 overflow-x-auto pb-2" data-testid="review-judgments">
          {item.judgments.map((j) => (
            <section
              key={j.id}
              className={`w-72 shrink-0 rounded-md border p-3 text-sm ${j.isGoldMiss ? "border-amber-300" : "border-slate-200"}`}
              data-testid="review-judgment"
              aria-label={j.labeller}
            >
              <h3 className="font-semibold">{j.labeller}</h3>
              <p className="mt-1" data-testid="judgment-ranking">
                <span className="text-slate-500">Ranking:</span> {rankingText(j.tiers, numberOf)}
              </p>
              {j.strengths && j.strengths.length > 0 && (
                <p className="text-slate-600">Strengths: {j.strengths.map((s) => STRENGTH_LABELS[s]).join(", ")}</p>
              )}
              {j.noneAcceptable && <p className="text-red-700">None acceptable</p>}
              {Object.entries(j.flags).map(([id, flag]) => (
                <p key={id} className="text-amber-900">
                  Answer {numberOf.get(id) ?? "?"}:{" "}
                  {FLAG_KINDS.filter((k) => flag.kinds.includes(k))
                    .map((k) => FLAG_LABELS[k])
                    .join(", ")}
                  {flag.note ? ` (“${flag.note}”)` : ""}
                </p>
              ))}
              {j.rationale && (
                <p className="mt-1 whitespace-pre-wrap" data-testid="judgment-rationale">
                  <span className="text-slate-500">Rationale:</span> {j.rationale}
                </p>
              )}
              <p className="mt-1 text-xs text-slate-500">
                Shown as {j.shownOrder.map((id) => numberOf.get(id) ?? "?").join(", ")} · {secs(j.activeMs)} active of{" "}
                {secs(j.totalMs)} · {j.createdAt.toLocaleString()}
              </p>
              {j.goldResult && (
                <p className="mt-1 text-xs text-amber-900">
                  Gold score {j.goldResult.score.toFixed(2)}
                  {j.isGoldMiss ? " (miss)" : ""}
                </p>
              )}
              <Button variant="secondary" className="mt-2" onClick={() => setTiers(j.tiers)}>
                Start from this ranking
              </Button>
            </section>
          ))}
        </div>
      </Card>
      {item.gold && (
        <Card title="Gold answer" data-testid="review-gold">
          <div className="space-y-1 text-sm">
            {item.gold.tiers && <p>Expected ranking: {rankingText(item.gold.tiers, numberOf)}</p>}
            {item.gold.best && <p>Expected best: answer {numberOf.get(item.gold.best) ?? "?"}</p>}
            {item.gold.mustFlag && item.gold.mustFlag.length > 0 && (
              <p>Must be flagged: {item.gold.mustFlag.map((id) => `answer ${numberOf.get(id) ?? "?"}`).join(", ")}</p>
            )}
            {item.gold.note && <p className="text-slate-600">{item.gold.note}</p>}
          </div>
        </Card>
      )}
      {item.adjudications.length > 0 && (
        <Card title="Adjudications, latest first">
          <ul className="space-y-1 text-sm" data-testid="review-adjudications">
            {item.adjudications.map((a) => (
              <li key={a.id}>
                {rankingText(a.tiers, numberOf)} · {a.reviewer} · {a.createdAt.toLocaleString()}
                {a.note ? ` · “${a.note}”` : ""}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title={latest ? "Adjudicate again (the latest wins)" : "Adjudicate"}>
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            adjudicate.mutate({ projectSlug: slug, comparisonId: item.comparisonId, tiers, note });
          }}
        >
          <TierEditor tiers={tiers} candidates={item.candidates} onChange={setTiers} />
          <p className="text-sm text-slate-600" data-testid="adjudicate-preview">
            Ranking: {rankingText(tiers, numberOf)}
          </p>
          <Field label="Note" hint="Why this ranking: shown with the adjudication.">
            <TextArea
              name="note"
              rows={3}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="adjudicate-note"
            />
          </Field>
          <ErrorText error={adjudicate.error} />
          <Button type="submit" disabled={adjudicate.isPending} data-testid="adjudicate-submit">
            Record adjudication
          </Button>
        </form>
      </Card>
    </div>
  );
}
