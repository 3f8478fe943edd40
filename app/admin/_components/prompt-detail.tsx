"use client";
// One prompt in full for the admin: the conversation, each comparison (round, policy version) with its candidates
// rendered as markdown, its gold answer (gold-editor.tsx), and every judgment's ranking (tiers, ties), flags, rationale, labeller and time, each with
// a permalink that reopens this view with the judgment highlighted.
import "../../_components/zod-config";
import { useEffect } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import {
  FLAG_LABELS,
  SKIP_REASON_LABELS,
  ZCandidateFlags,
  ZFlagKind,
  ZGoldResult,
  ZMessage,
  ZSkipReason,
} from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { Markdown } from "../../_components/markdown";
import { plural } from "../../_components/plural";
import { Button, Card, ErrorText } from "../../_components/ui";
import { ConversationView } from "../../label/_components/conversation-view";
import { GoldEditor } from "./gold-editor";

const ZMessages = z.array(ZMessage);
const ZStoredTiers = z.array(z.array(z.string()));
const letter = (i: number) => String.fromCharCode(65 + i);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
const who = (u: { name: string; email: string }) => (u.name ? `${u.name} (${u.email})` : u.email);

export function PromptDetail({
  projectId,
  promptId,
  judgmentId,
  basePath,
  onBack,
}: {
  projectId: string;
  promptId?: string;
  judgmentId?: string;
  basePath: string;
  onBack: () => void;
}) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.admin.projects.promptDetail.queryOptions(promptId ? { projectId, promptId } : { projectId, judgmentId }),
  );
  const p = q.data;
  useEffect(() => {
    if (p && judgmentId) document.getElementById(`judgment-${judgmentId}`)?.scrollIntoView({ block: "center" });
  }, [p, judgmentId]);
  const messages = p ? ZMessages.safeParse(p.messages) : undefined;
  return (
    <div className="space-y-4" data-testid="prompt-detail">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" onClick={onBack} data-testid="prompt-back">
          ← All prompts
        </Button>
        {p && (
          <h2 className="text-base font-semibold">
            Prompt #{p.seq}
            <span className="ml-2 text-xs font-normal text-slate-500">
              {p.source}
              {p.import ? ` · import ${p.import.filename}` : ""}
              {p.externalId ? ` · id ${p.externalId}` : ""}
            </span>
          </h2>
        )}
      </div>
      <ErrorText error={q.error} />
      {p && (
        <>
          <Card title="Conversation">
            {messages?.success ? (
              <ConversationView messages={messages.data} />
            ) : (
              <p className="text-sm text-red-700">The stored conversation cannot be read.</p>
            )}
            {p.generationError && <p className="mt-2 text-sm text-red-700">{p.generationError}</p>}
          </Card>
          {p.comparisons.map((c) => {
            const letters = new Map(c.candidates.map((cand, i) => [cand.id, letter(i)]));
            return (
              <Card
                key={c.id}
                data-testid="comparison"
                title={
                  <>
                    Round {c.round}
                    <span className="ml-2 text-xs font-normal text-slate-500">
                      {c.policyVersion ? `policy ${c.policyVersion.name}` : "imported candidates"} · {c.status} ·{" "}
                      {plural(c.judgmentCount, "judgment")}
                    </span>
                    {c.isGold && (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800">
                        Gold
                      </span>
                    )}
                  </>
                }
              >
                <ol className="grid gap-3 lg:grid-cols-2">
                  {c.candidates.map((cand, i) => (
                    <li key={cand.id} className="rounded-md border border-slate-200 p-3" data-testid="candidate">
                      <div className="mb-1 text-xs font-semibold text-slate-500">
                        {letter(i)} · {cand.source}
                        {cand.modelVersion ? ` · ${cand.modelVersion.name}` : ""}
                        {cand.rewardScore !== null && (
                          <span data-testid="reward-score" title={`scored by ${cand.rewardVersion?.name ?? "?"}`}>
                            {` · reward ${cand.rewardScore.toFixed(3)}`}
                          </span>
                        )}
                      </div>
                      <Markdown text={cand.text} />
                    </li>
                  ))}
                </ol>
                <GoldEditor
                  projectId={projectId}
                  comparisonId={c.id}
                  gold={c.gold}
                  candidates={c.candidates}
                  letters={letters}
                />
                <h3 className="mt-4 mb-2 text-sm font-semibold">Judgments</h3>
                {c.judgments.length === 0 && <p className="text-sm text-slate-500">None yet.</p>}
                <ul className="space-y-2">
                  {c.judgments.map((j) => {
                    const tiers = ZStoredTiers.safeParse(j.tiers).data ?? [];
                    const flags = ZCandidateFlags.safeParse(j.flags).data ?? {};
                    const isHighlighted = j.id === judgmentId;
                    const goldResult = ZGoldResult.safeParse(j.goldResult).data;
                    const gold = goldResult ? { score: goldResult.score, miss: j.isGoldMiss } : null;
                    return (
                      <li
                        key={j.id}
                        id={`judgment-${j.id}`}
                        data-testid="judgment"
                        aria-current={isHighlighted ? "true" : undefined}
                        className={`rounded-md border p-3 text-sm ${isHighlighted ? "border-amber-400 bg-amber-50 ring-2 ring-amber-300" : "border-slate-200"}`}
                      >
                        <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
                          <span className="font-medium text-slate-800" data-testid="judgment-labeller">
                            {who(j.user)}
                          </span>
                          <time dateTime={j.createdAt.toISOString()}>{j.createdAt.toLocaleString()}</time>
                          <span>
                            active {seconds(j.activeMs)} of {seconds(j.totalMs)} · guidelines v{j.guidelineVersion}
                          </span>
                          {gold && (
                            <span
                              className={gold.miss ? "text-red-700" : "text-emerald-700"}
                              data-testid="judgment-gold"
                            >
                              gold {Math.round(gold.score * 100)}%{gold.miss ? " · miss" : ""}
                            </span>
                          )}
                          <Link
                            href={`${basePath}?tab=prompts&judgment=${encodeURIComponent(j.id)}`}
                            className="ml-auto text-indigo-700 hover:underline"
                            data-testid="judgment-permalink"
                          >
                            Permalink
                          </Link>
                        </div>
                        <p className="mt-1" data-testid="judgment-ranking">
                          {j.noneAcceptable && <strong className="mr-2 text-red-700">None acceptable.</strong>}
                          {tiers.map((tier, t) => (
                            <span key={t} className="mr-3">
                              {t + 1}. {tier.map((id) => letters.get(id) ?? "?").join(" = ")}
                            </span>
                          ))}
                        </p>
                        {Object.entries(flags).map(([id, f]) => (
                          <p key={id} className="text-xs text-red-800" data-testid="judgment-flag">
                            ⚑ {letters.get(id) ?? "?"}: {f.kinds.map((k) => FLAG_LABELS[ZFlagKind.parse(k)]).join(", ")}
                            {f.note ? ` — ${f.note}` : ""}
                          </p>
                        ))}
                        {j.rationale && (
                          <blockquote className="mt-1 border-l-2 border-slate-300 pl-2 whitespace-pre-wrap text-slate-700">
                            {j.rationale}
                          </blockquote>
                        )}
                      </li>
                    );
                  })}
                </ul>
                {c.skips.length > 0 && (
                  <>
                    <h3 className="mt-4 mb-2 text-sm font-semibold">Skips</h3>
                    <ul className="space-y-1 text-sm text-slate-700">
                      {c.skips.map((s) => {
                        const reason = ZSkipReason.safeParse(s.reason);
                        return (
                          <li key={s.id}>
                            {who(s.user)} · {reason.success ? SKIP_REASON_LABELS[reason.data] : s.reason}
                            {s.note ? ` — ${s.note}` : ""} · {s.createdAt.toLocaleString()}
                          </li>
                        );
                      })}
                    </ul>
                  </>
                )}
              </Card>
            );
          })}
        </>
      )}
    </div>
  );
}
