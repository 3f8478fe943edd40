"use client";
// The prompt browser: a project's prompts searched and filtered (text, comparison state, source, import,
// labeller, gold), paged by cursor on the server, and one prompt in full (conversation, candidates, each comparison's
// judgments). The open prompt lives in the URL (?tab=prompts&prompt=ID); a judgment's permalink
// (?tab=prompts&judgment=ID) opens its prompt and highlights it.
import "../../_components/zod-config";
import { useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { PROMPT_BROWSE_STATUSES, PROMPT_SOURCES, ZMessage, type TPromptBrowseStatus } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { plural } from "../../_components/plural";
import { Button, Card, ErrorText, Input } from "../../_components/ui";
import { PromptDetail } from "./prompt-detail";

const PAGE_SIZE = 25;
const ZMessages = z.array(ZMessage);
const SELECT =
  "rounded-md border border-slate-300 bg-white px-2 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

type TFilter = {
  text?: string;
  status?: TPromptBrowseStatus;
  source?: (typeof PROMPT_SOURCES)[number];
  importId?: string;
  labellerId?: string;
  gold?: boolean;
};

export function PromptsPanel({ projectId }: { projectId: string }) {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const promptId = searchParams.get("prompt") ?? undefined;
  const judgmentId = searchParams.get("judgment") ?? undefined;
  const open = (id: string | undefined) =>
    router.push(id ? `${pathname}?tab=prompts&prompt=${encodeURIComponent(id)}` : `${pathname}?tab=prompts`, {
      scroll: false,
    });
  const isDetail = Boolean(promptId || judgmentId);
  return (
    <>
      {/* The list stays mounted while a prompt is open, so going back keeps the filters and the page. */}
      <div className={isDetail ? "hidden" : ""}>
        <PromptList projectId={projectId} onOpen={open} />
      </div>
      {isDetail && (
        <PromptDetail
          projectId={projectId}
          promptId={promptId}
          judgmentId={judgmentId}
          basePath={pathname}
          onBack={() => open(undefined)}
        />
      )}
    </>
  );
}

function PromptList({ projectId, onOpen }: { projectId: string; onOpen: (id: string) => void }) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<TFilter>({});
  const [text, setText] = useState("");
  // Cursors of the pages before this one: Previous pops, Next pushes.
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const cursor = cursors[cursors.length - 1];
  const q = useQuery(
    trpc.admin.projects.browsePrompts.queryOptions({ projectId, ...filter, cursor, pageSize: PAGE_SIZE }),
  );
  const options = useQuery(trpc.admin.projects.promptBrowseOptions.queryOptions({ projectId }));
  const apply = (next: TFilter) => {
    setFilter(next);
    setCursors([undefined]);
  };
  const nextCursor = q.data?.nextCursor;
  return (
    <Card
      title={`Prompts${q.data ? ` (${q.data.total}${Object.keys(filter).length ? " matching" : ""})` : ""}`}
      actions={
        <div className="flex items-center gap-2 text-sm">
          <Button
            variant="secondary"
            disabled={cursors.length <= 1}
            onClick={() => setCursors(cursors.slice(0, -1))}
            data-testid="prompts-previous"
          >
            Previous
          </Button>
          <span data-testid="prompts-page">Page {cursors.length}</span>
          <Button
            variant="secondary"
            disabled={nextCursor === undefined}
            onClick={() => setCursors([...cursors, nextCursor])}
            data-testid="prompts-next"
          >
            Next
          </Button>
        </div>
      }
    >
      <form
        className="mb-3 flex flex-wrap items-end gap-2"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          apply({ ...filter, text: text.trim() || undefined });
        }}
      >
        <Input
          type="search"
          aria-label="Search prompt text"
          placeholder="Search prompt text"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
          className="w-64 flex-1"
        />
        <Button type="submit" variant="secondary">
          Search
        </Button>
        <select
          aria-label="Status"
          className={SELECT}
          value={filter.status ?? ""}
          onChange={(e) =>
            apply({ ...filter, status: PROMPT_BROWSE_STATUSES.find((s) => s === e.target.value) ?? undefined })
          }
        >
          <option value="">Any status</option>
          {PROMPT_BROWSE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select
          aria-label="Source"
          className={SELECT}
          value={filter.source ?? ""}
          onChange={(e) => apply({ ...filter, source: PROMPT_SOURCES.find((s) => s === e.target.value) ?? undefined })}
        >
          <option value="">Any source</option>
          {PROMPT_SOURCES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select
          aria-label="Import"
          className={SELECT}
          value={filter.importId ?? ""}
          onChange={(e) => apply({ ...filter, importId: e.target.value || undefined })}
        >
          <option value="">Any import</option>
          {options.data?.imports.map((i) => (
            <option key={i.id} value={i.id}>
              {i.filename} ({i.createdAt.toISOString().slice(0, 10)})
            </option>
          ))}
        </select>
        <select
          aria-label="Labeller"
          className={SELECT}
          value={filter.labellerId ?? ""}
          onChange={(e) => apply({ ...filter, labellerId: e.target.value || undefined })}
        >
          <option value="">Any labeller</option>
          {options.data?.labellers.map((u) => (
            <option key={u.id} value={u.id}>
              {u.name || u.email}
            </option>
          ))}
        </select>
        <select
          aria-label="Gold"
          className={SELECT}
          value={filter.gold === undefined ? "" : filter.gold ? "gold" : "not-gold"}
          onChange={(e) => apply({ ...filter, gold: e.target.value === "" ? undefined : e.target.value === "gold" })}
        >
          <option value="">Gold or not</option>
          <option value="gold">Gold only</option>
          <option value="not-gold">Not gold</option>
        </select>
      </form>
      <ErrorText error={q.error} />
      {q.data?.items.length === 0 && <p className="text-sm text-slate-500">No prompt matches.</p>}
      <ul className="divide-y divide-slate-100" data-testid="prompt-list">
        {q.data?.items.map((p) => {
          const messages = ZMessages.safeParse(p.messages);
          const last = messages.success ? (messages.data[messages.data.length - 1]?.content ?? "") : "(unreadable)";
          return (
            <li key={p.id} className="py-2">
              <button
                type="button"
                className="w-full cursor-pointer text-left text-sm hover:bg-slate-50"
                onClick={() => onOpen(p.id)}
              >
                <span className="text-slate-400">#{p.seq}</span>{" "}
                {p.isGold && (
                  <span
                    className="mr-1 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-800"
                    data-testid="gold-badge"
                  >
                    Gold
                  </span>
                )}
                {last.slice(0, 160)}
                {last.length > 160 ? "…" : ""}
                <span className="ml-2 text-xs text-slate-500">
                  {plural(p.candidates, "candidate")} · {plural(p.judgments, "judgment")}
                  {p.skips ? ` · ${plural(p.skips, "skip")}` : ""}
                  {p.rounds > 1 ? ` · ${p.rounds} rounds` : ""}
                  {p.isComplete ? " · complete" : ""}
                  {p.source !== "import" ? ` · ${p.source}` : ""}
                </span>
                {p.generationError && (
                  <span className="ml-2 text-xs text-red-700" data-testid="prompt-generation-error">
                    {p.generationError}
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
