"use client";
// Prompt import: upload a file (with upload progress), then follow the import's progress and report.
import { useEffect, useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { IMPORT_FORMAT_LABELS, IMPORT_FORMATS, type TImportFormat } from "@/server/domain";
import { useTRPC } from "../../_trpc/client";
import { Button, Card, ErrorText, Field } from "../../_components/ui";

function upload(url: string, file: File, onProgress: (fraction: number) => void): Promise<{ importId: string }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("x-filename", file.name);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      const body = JSON.parse(xhr.responseText || "{}") as { importId?: string; error?: string };
      if (xhr.status === 200 && body.importId) resolve({ importId: body.importId });
      else reject(new Error(body.error ?? `upload failed (${xhr.status})`));
    };
    xhr.onerror = () => reject(new Error("upload failed: network error"));
    xhr.send(file);
  });
}

/** Formats whose files can carry rankings made elsewhere (kept as imported judgments unless unticked). */
const RANKED_FORMATS: readonly TImportFormat[] = ["auto", "oasst", "label-studio", "argilla"];

const isActive = (status: string | undefined) => status === "queued" || status === "running";

function progressText(r: {
  status: string;
  phase: string | null;
  linesRead: number;
  promptsAdded: number;
  errorCount: number;
  job: { status: string; attempts: number; error: string | null } | null;
}): string {
  if (r.status === "queued") {
    // A run that failed (or whose worker stopped) is retried: say so rather than wait silently.
    return r.job && r.job.attempts > 0
      ? `Waiting to run again (run ${r.job.attempts} stopped${r.job.error ? `: ${r.job.error}` : ""})…`
      : "Waiting for the worker…";
  }
  const rejected = r.errorCount > 0 ? `, ${r.errorCount} rejected` : "";
  if (r.phase === "writing") return `Writing… ${r.promptsAdded} prompts written of ${r.linesRead} lines${rejected}`;
  if (r.phase === "removing") return "Removing what an earlier run wrote…";
  return `Checking… ${r.linesRead} lines read${rejected}`;
}

export function ImportPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<TImportFormat>("auto");
  const [isPartial, setIsPartial] = useState(false);
  const [withRankings, setWithRankings] = useState(true);
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const status = useQuery(
    trpc.admin.projects.importStatus.queryOptions(
      { importId: importId ?? "" },
      {
        enabled: !!importId,
        refetchInterval: (q) => (isActive(q.state.data?.status) ? 1000 : false),
      },
    ),
  );
  const history = useQuery(trpc.admin.projects.imports.queryOptions({ projectId }));
  const report = status.data;
  const finished = report && !isActive(report.status) ? report.id : null;
  useEffect(() => {
    // A finished import changes the prompt counts, the dashboard and the import history.
    if (finished) void queryClient.invalidateQueries({ queryKey: trpc.admin.projects.pathKey() });
  }, [finished, queryClient, trpc]);
  const start = async () => {
    if (!file) return;
    setError(null);
    setImportId(null);
    setUploaded(0);
    try {
      const r = await upload(
        `/api/admin/projects/${projectId}/import?format=${format}&partial=${isPartial ? 1 : 0}&rankings=${withRankings ? 1 : 0}`,
        file,
        setUploaded,
      );
      setImportId(r.importId);
    } catch (e) {
      setError(e);
    } finally {
      setUploaded(null);
    }
  };
  const errors = (report?.errors ?? []) as { line: number; message: string }[];
  return (
    <Card title="Import prompts">
      <p className="mb-3 text-sm text-slate-600">
        JSONL of <code>{"{prompt}"}</code> or <code>{"{messages}"}</code> with optional <code>candidates</code>; CSV
        with <code>prompt</code>, <code>candidate_1..K</code>; HH-RLHF <code>chosen</code>/<code>rejected</code>{" "}
        transcripts; TRL preference rows; OASST message trees; Label Studio and Argilla ranking exports (their rankings
        become judgments of imported labellers). Gzip (<code>.gz</code>) is fine. Prompts already in the project are
        skipped.
      </p>
      <div className="grid gap-3 sm:grid-cols-3">
        {/* A styled button for the native picker: the input's own "Choose File" text made its name read "FileChoose File". */}
        <div className="space-y-1">
          <span className="text-sm font-medium text-slate-700">File</span>
          <div className="flex flex-wrap items-center gap-2">
            <label className="inline-flex min-h-10 cursor-pointer items-center rounded-md border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-within:outline-2 focus-within:outline-indigo-500">
              Choose a file…
              <input
                type="file"
                accept=".jsonl,.json,.csv,.gz,.txt"
                onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                data-testid="import-file"
                className="sr-only"
              />
            </label>
            <span className="text-sm text-slate-600" data-testid="import-file-name">
              {file ? file.name : "No file chosen"}
            </span>
          </div>
        </div>
        <Field label="Format">
          <select
            className="rounded-md border border-slate-300 px-2 py-2 text-sm"
            value={format}
            onChange={(e) => setFormat(e.target.value as TImportFormat)}
            data-testid="import-format"
          >
            {IMPORT_FORMATS.map((f) => (
              <option key={f} value={f} title={IMPORT_FORMAT_LABELS[f]}>
                {f === "auto" ? "detect" : f}
              </option>
            ))}
          </select>
          <span className="mt-1 block max-w-xs text-xs text-slate-500" data-testid="import-format-description">
            {IMPORT_FORMAT_LABELS[format]}
          </span>
        </Field>
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" checked={isPartial} onChange={(e) => setIsPartial(e.target.checked)} /> import valid
          lines even if some are bad
        </label>
        {RANKED_FORMATS.includes(format) && (
          <label className="flex items-center gap-2 self-end pb-2 text-sm">
            <input
              type="checkbox"
              checked={withRankings}
              onChange={(e) => setWithRankings(e.target.checked)}
              data-testid="import-with-rankings"
            />{" "}
            import the file&apos;s rankings as judgments of imported labellers
          </label>
        )}
      </div>
      <Button
        className="mt-3"
        disabled={!file || uploaded !== null || isActive(report?.status)}
        onClick={() => void start()}
        data-testid="start-import"
      >
        Import
      </Button>
      {uploaded !== null && <p className="mt-2 text-sm text-slate-600">Uploading… {Math.round(uploaded * 100)}%</p>}
      {report && isActive(report.status) && (
        <p className="mt-2 text-sm text-slate-600" data-testid="import-progress">
          {progressText(report)}
        </p>
      )}
      <div className="mt-3">
        <ErrorText error={error} />
      </div>
      {report && !isActive(report.status) && (
        <div
          className={`mt-3 rounded-md border p-3 text-sm ${report.status === "done" ? "border-green-200 bg-green-50" : "border-red-200 bg-red-50"}`}
          data-testid="import-report"
        >
          <p className="font-medium">
            {report.status === "done" ? `Imported ${report.promptsAdded} prompts` : "Nothing was imported"}
            {` · ${report.duplicates} duplicates skipped · ${report.errorCount} lines with problems · ${report.linesRead} lines read`}
          </p>
          {errors.length > 0 && (
            <ul
              className="mt-2 max-h-64 list-none space-y-1 overflow-y-auto font-mono text-xs"
              data-testid="import-errors"
            >
              {errors.map((e, i) => (
                <li key={i}>
                  {e.line > 0 ? `line ${e.line}: ` : ""}
                  {e.message}
                </li>
              ))}
            </ul>
          )}
          {report.errorCount > errors.length && (
            <p className="mt-1 text-xs">… and {report.errorCount - errors.length} more</p>
          )}
        </div>
      )}
      {history.data && history.data.length > 0 && (
        <details className="mt-4 text-sm">
          <summary className="cursor-pointer text-slate-600">Earlier imports</summary>
          <table className="mt-2 w-full text-left text-xs">
            <thead>
              <tr className="text-slate-500">
                <th>When</th>
                <th>File</th>
                <th>Status</th>
                <th>Added</th>
                <th>Duplicates</th>
                <th>Problems</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((h) => (
                <tr key={h.id}>
                  <td>{h.createdAt.toLocaleString()}</td>
                  <td>{h.filename}</td>
                  <td>{h.status}</td>
                  <td>{h.promptsAdded}</td>
                  <td>{h.duplicates}</td>
                  <td>{h.errorCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </Card>
  );
}
