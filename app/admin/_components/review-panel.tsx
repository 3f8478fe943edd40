"use client";
// The review queue of a project as its admin sees it: open items (by reason) and adjudicated comparisons, with
// the way to the reviewer's pages.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Card, ErrorText } from "../../_components/ui";
import { plural } from "../../_components/plural";

export function ReviewPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const summary = useQuery(trpc.admin.quality.review.queryOptions({ projectId }));
  if (summary.error) return <ErrorText error={summary.error} />;
  const s = summary.data;
  if (!s) return <p className="text-slate-500">Loading…</p>;
  return (
    <div className="space-y-4" data-testid="review-panel">
      <Card title="Review queue">
        <dl className="grid gap-3 text-sm sm:grid-cols-3">
          <div>
            <dt className="text-slate-500">Open</dt>
            <dd className="text-2xl font-semibold" data-testid="review-open">
              {s.open}
            </dd>
            <dd className="text-slate-500">
              {s.lowAgreement} by low agreement, {s.goldMiss} by a gold miss
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Adjudicated</dt>
            <dd className="text-2xl font-semibold" data-testid="review-adjudicated">
              {s.adjudicated}
            </dd>
            <dd className="text-slate-500">{plural(s.adjudications, "adjudication")} in all</dd>
          </div>
          <div>
            <dt className="text-slate-500">Threshold</dt>
            <dd className="text-2xl font-semibold" data-testid="review-threshold">
              {s.threshold === null ? "none" : s.threshold}
            </dd>
            <dd className="text-slate-500">
              {s.threshold === null
                ? "Only gold misses are reviewed; set a threshold in Settings."
                : "Prompts whose agreement is below it are reviewed, and gold misses."}
            </dd>
          </div>
        </dl>
        <Link
          href={`/review/${s.slug}`}
          className="mt-4 inline-block text-sm text-indigo-700 hover:underline"
          data-testid="open-review"
        >
          Open the review queue →
        </Link>
      </Card>
    </div>
  );
}
