"use client";
// The reviewer's home: projects with their open review items.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../_trpc/client";
import { Card, ErrorText } from "../_components/ui";
import { plural } from "../_components/plural";

export default function ReviewHome() {
  const trpc = useTRPC();
  const projects = useQuery(trpc.review.projects.queryOptions());
  return (
    <main className="mx-auto max-w-3xl space-y-4">
      <h1 className="text-xl font-semibold">Review</h1>
      <p className="text-sm text-slate-600">
        Prompts whose labellers disagree (agreement below the project&apos;s threshold) or that a labeller got wrong
        against a gold answer wait here for an adjudicated ranking.
      </p>
      <ErrorText error={projects.error} />
      {projects.data?.length === 0 && <p className="text-slate-600">No projects yet.</p>}
      {projects.data?.map((p) => (
        <Card key={p.slug} data-testid={`review-project-${p.slug}`}>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div>
              <h2 className="font-semibold">{p.name}</h2>
              <p className="mt-1 text-sm text-slate-500">
                <span data-testid={`review-open-${p.slug}`}>{plural(p.open, "open item")}</span> ·{" "}
                {plural(p.adjudicated, "adjudicated prompt")} · threshold{" "}
                {p.reviewBelowAgreement === null ? "none (gold misses only)" : p.reviewBelowAgreement}
                {p.status !== "active" ? ` · ${p.status}` : ""}
              </p>
            </div>
            <Link
              href={`/review/${p.slug}`}
              className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
              data-testid={`review-start-${p.slug}`}
            >
              Review
            </Link>
          </div>
        </Card>
      ))}
    </main>
  );
}
