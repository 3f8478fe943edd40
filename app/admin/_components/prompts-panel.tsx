"use client";
// Browses a project's prompts with their candidates and how far each got.
import "../../_components/zod-config";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { z } from "zod";
import { ZMessage } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { plural } from "../../_components/plural";
import { Button, Card, ErrorText } from "../../_components/ui";

const PAGE_SIZE = 20;
const ZMessages = z.array(ZMessage);

export function PromptsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const [page, setPage] = useState(0);
  const q = useQuery(trpc.admin.projects.prompts.queryOptions({ projectId, page, pageSize: PAGE_SIZE }));
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / PAGE_SIZE)) : 1;
  return (
    <Card
      title={`Prompts${q.data ? ` (${q.data.total})` : ""}`}
      actions={
        <div className="flex items-center gap-2 text-sm">
          <Button variant="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <span>
            {page + 1} / {pages}
          </span>
          <Button variant="secondary" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </div>
      }
    >
      <ErrorText error={q.error} />
      <ul className="divide-y divide-slate-100" data-testid="prompt-list">
        {q.data?.items.map((p) => {
          const messages = ZMessages.safeParse(p.messages);
          const last = messages.success ? (messages.data[messages.data.length - 1]?.content ?? "") : "(unreadable)";
          return (
            <li key={p.id} className="py-2">
              <details>
                <summary className="cursor-pointer text-sm">
                  <span className="text-slate-400">#{p.seq}</span> {last.slice(0, 160)}
                  {last.length > 160 ? "…" : ""}
                  <span className="ml-2 text-xs text-slate-500">
                    {plural(p.candidates.length, "candidate")} · {plural(p.judgments, "judgment")}
                    {p.skips ? ` · ${plural(p.skips, "skip")}` : ""}
                    {p.rounds > 1 ? ` · ${p.rounds} rounds` : ""}
                    {p.isComplete ? " · complete" : ""}
                  </span>
                  {p.generationError && (
                    <span className="ml-2 text-xs text-red-700" data-testid="prompt-generation-error">
                      {p.generationError}
                    </span>
                  )}
                </summary>
                <ol className="mt-2 space-y-1 pl-4 text-sm text-slate-700">
                  {p.candidates.map((c, i) => (
                    <li key={c.id} className="whitespace-pre-wrap break-words">
                      <strong>{String.fromCharCode(65 + i)}.</strong> {c.text.slice(0, 600)}
                    </li>
                  ))}
                </ol>
              </details>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
