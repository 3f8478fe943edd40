"use client";
// The labeller's home: active projects with what is left to do and their own progress.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { Card, ErrorText } from "../_components/ui";
import { plural } from "../_components/plural";

export default function LabelHome() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.label.projects.queryOptions());
  return (
    <main className="mx-auto max-w-3xl space-y-4 px-4 py-6">
      <h1 className="text-xl font-semibold">Projects to label</h1>
      <ErrorText error={projects.error} />
      {projects.data?.length === 0 && (
        <p className="text-slate-600">No active projects yet. An admin will set one up.</p>
      )}
      {projects.data?.map((p) => (
        <Card key={p.slug} data-testid={`project-${p.slug}`}>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              <h2 className="font-semibold">{p.name}</h2>
              {p.description && <p className="text-sm text-slate-600">{p.description}</p>}
              <p className="mt-1 text-sm text-slate-500">
                {plural(p.available, "prompt")} waiting · you: {plural(p.total, "judgment")} ({p.today} today),{" "}
                {p.skips} skipped
              </p>
            </div>
            <Link
              href={`/label/${p.slug}`}
              className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
              data-testid={`start-${p.slug}`}
            >
              Start labelling
            </Link>
          </div>
        </Card>
      ))}
    </main>
  );
}
