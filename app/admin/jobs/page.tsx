"use client";
// The job queue for admins: what waits, what runs (on which worker, until when), what failed (with its
// error) and what finished; filtered by status, kind and project, a page at a time; retry a failed job,
// cancel a queued one.
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText } from "../../_components/ui";
import { WorkersCard } from "../_components/workers-card";

const STATUSES = ["queued", "running", "failed", "done", "cancelled"] as const;
const KINDS = ["generate.candidates", "train.round", "import", "queue.release-expired-leases"] as const;
const STATUS_STYLE: Record<string, string> = {
  queued: "bg-slate-100 text-slate-700",
  running: "bg-amber-100 text-amber-800",
  done: "bg-green-100 text-green-800",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-slate-200 text-slate-600",
};
const PAGE_SIZE = 25;
const SELECT = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";

export default function JobsPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<(typeof STATUSES)[number] | "">("");
  const [kind, setKind] = useState<(typeof KINDS)[number] | "">("");
  const [projectId, setProjectId] = useState("");
  const [page, setPage] = useState(0);
  const projects = useQuery(trpc.admin.projects.list.queryOptions({ includeArchived: true }));
  const q = useQuery(
    trpc.admin.jobs.list.queryOptions(
      {
        page,
        pageSize: PAGE_SIZE,
        ...(status ? { status } : {}),
        ...(kind ? { kind } : {}),
        ...(projectId ? { projectId } : {}),
      },
      { refetchInterval: 3_000 },
    ),
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.admin.jobs.pathKey() });
  const retry = useMutation(trpc.admin.jobs.retry.mutationOptions({ onSettled: invalidate }));
  const cancel = useMutation(trpc.admin.jobs.cancel.mutationOptions({ onSettled: invalidate }));
  const pages = q.data ? Math.max(1, Math.ceil(q.data.total / PAGE_SIZE)) : 1;
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(0);
    };
  return (
    <main className="space-y-4">
      <h1 className="text-xl font-semibold">Jobs</h1>
      <WorkersCard />
      <Card>
        <div className="mb-3 flex flex-wrap items-center gap-2 text-sm">
          <label className="flex items-center gap-1">
            Status
            <select
              className={SELECT}
              data-testid="jobs-status"
              value={status}
              onChange={(e) => filter(setStatus)(e.target.value as typeof status)}
            >
              <option value="">all</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1">
            Kind
            <select
              className={SELECT}
              data-testid="jobs-kind"
              value={kind}
              onChange={(e) => filter(setKind)(e.target.value as typeof kind)}
            >
              <option value="">all</option>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <label className="flex items-center gap-1">
            Project
            <select
              className={SELECT}
              data-testid="jobs-project"
              value={projectId}
              onChange={(e) => filter(setProjectId)(e.target.value)}
            >
              <option value="">all</option>
              {projects.data?.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.slug}
                </option>
              ))}
            </select>
          </label>
          <span className="ml-auto text-slate-500" data-testid="jobs-total">
            {q.data ? `${q.data.total} job${q.data.total === 1 ? "" : "s"}` : ""}
          </span>
        </div>
        <ErrorText error={q.error ?? retry.error ?? cancel.error} />
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500">
              <tr>
                <th className="py-1">Job</th>
                <th>Project</th>
                <th>Status</th>
                <th>Runs</th>
                <th>Worker · lease</th>
                <th>Created · finished</th>
                <th />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {q.data?.items.map((j) => (
                <tr key={j.id} data-testid="job-row" data-job-id={j.id} className="align-top">
                  <td className="py-1.5">
                    <code>{j.kind}</code>
                    <div className="max-w-48 truncate text-xs text-slate-500" title={j.id}>
                      {j.id}
                    </div>
                  </td>
                  <td className="text-xs">{j.projectSlug ?? "–"}</td>
                  <td>
                    <span className={`rounded px-2 py-0.5 text-xs ${STATUS_STYLE[j.status] ?? ""}`}>{j.status}</span>
                    {j.error && (
                      <p className="mt-1 max-w-sm text-xs break-words text-red-700" data-testid="job-error">
                        {j.error}
                      </p>
                    )}
                  </td>
                  <td className="text-xs">
                    {j.attempts} of {j.maxAttempts}
                  </td>
                  <td className="text-xs">
                    {j.workerId ? (
                      <>
                        <span data-testid="job-worker">{j.workerId}</span>
                        <div className={j.isLeaseExpired ? "text-red-700" : "text-slate-500"}>
                          {j.isLeaseExpired ? "lease ran out " : "until "}
                          {j.leaseUntil?.toLocaleTimeString()}
                        </div>
                      </>
                    ) : j.status === "queued" ? (
                      <span className="text-slate-500">due {j.runAt.toLocaleTimeString()}</span>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td className="text-xs whitespace-nowrap text-slate-600">
                    {j.createdAt.toLocaleString()}
                    {j.finishedAt && <div>{j.finishedAt.toLocaleString()}</div>}
                  </td>
                  <td className="text-right whitespace-nowrap">
                    {j.canRetry && (
                      <Button
                        variant="secondary"
                        data-testid="job-retry"
                        disabled={retry.isPending}
                        onClick={() => retry.mutate({ jobId: j.id })}
                      >
                        Retry
                      </Button>
                    )}
                    {j.canCancel && (
                      <Button
                        variant="secondary"
                        data-testid="job-cancel"
                        disabled={cancel.isPending}
                        onClick={() => cancel.mutate({ jobId: j.id })}
                      >
                        Cancel
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {q.data?.items.length === 0 && <p className="py-3 text-sm text-slate-600">No jobs match.</p>}
        <div className="mt-3 flex items-center gap-2 text-sm">
          <Button variant="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Newer
          </Button>
          <span data-testid="jobs-page">
            page {page + 1} of {pages}
          </span>
          <Button variant="secondary" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            Older
          </Button>
        </div>
        <p className="mt-3 text-xs text-slate-500">
          A running job cannot be cancelled here: its worker holds it. Stopping that worker (SIGTERM) hands the job back
          to the queue, where it can be cancelled.
        </p>
      </Card>
    </main>
  );
}
