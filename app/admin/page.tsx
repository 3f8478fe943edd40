"use client";
// Projects: list with progress, and the way to create one.
import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { plural } from "../_components/plural";
import { Card, ErrorText } from "../_components/ui";

export default function AdminHome() {
  const trpc = useTRPC();
  const [showArchived, setShowArchived] = useState(false);
  const projects = useQuery(trpc.admin.projects.list.queryOptions({ includeArchived: showArchived }));
  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Projects</h1>
        <label className="flex items-center gap-1 text-sm text-slate-600">
          <input type="checkbox" checked={showArchived} onChange={(e) => setShowArchived(e.target.checked)} /> show
          archived
        </label>
        <Link
          href="/admin/projects/new"
          className="ml-auto rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700"
          data-testid="new-project"
        >
          New project
        </Link>
      </div>
      <ErrorText error={projects.error} />
      {projects.data?.length === 0 && <p className="text-slate-600">No projects yet.</p>}
      <div className="grid gap-3 md:grid-cols-2">
        {projects.data?.map((p) => (
          <Link key={p.id} href={`/admin/projects/${p.slug}`} className="block" data-testid={`project-${p.slug}`}>
            <Card className="h-full hover:border-indigo-300">
              <div className="flex items-start justify-between gap-2">
                <div>
                  <h2 className="font-semibold">{p.name}</h2>
                  <p className="text-xs text-slate-500">
                    /{p.slug} · K={p.candidatesPerPrompt} · overlap {p.overlap}
                  </p>
                </div>
                <span
                  className={`rounded px-2 py-0.5 text-xs ${p.status === "active" ? "bg-green-100 text-green-800" : "bg-slate-100 text-slate-600"}`}
                >
                  {p.status}
                </span>
              </div>
              <div className="mt-3 h-2 overflow-hidden rounded bg-slate-100" aria-label="complete prompts">
                <div
                  className="h-full bg-indigo-500"
                  style={{ width: `${p.prompts ? (100 * p.completePrompts) / p.prompts : 0}%` }}
                />
              </div>
              <p className="mt-1 text-xs text-slate-500">
                {p.completePrompts} of {plural(p.prompts, "prompt")} complete · {plural(p.judgments, "judgment")}
              </p>
            </Card>
          </Link>
        ))}
      </div>
    </main>
  );
}
