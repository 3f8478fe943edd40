"use client";
// Shown while the project's guidelines are newer than the version the labeller's current task was leased
// under: what changed (a line diff) and a button to acknowledge it, after which the task's judgment records
// the new version. The current version is asked for again every minute and when the tab regains focus.
import { diffLines } from "diff";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, ErrorText } from "../../_components/ui";

const POLL_MS = 60_000;

export function GuidelinesChangedBanner({
  projectSlug,
  assignmentId,
  leasedVersion,
  onAcknowledged,
}: {
  projectSlug: string;
  assignmentId: string;
  leasedVersion: number;
  onAcknowledged: (version: number) => void;
}) {
  const trpc = useTRPC();
  const current = useQuery(trpc.label.guidelines.queryOptions({ projectSlug }, { refetchInterval: POLL_MS }));
  const isNewer = current.data !== undefined && current.data.version > leasedVersion;
  const old = useQuery(
    trpc.label.guidelines.queryOptions({ projectSlug, version: leasedVersion }, { enabled: isNewer }),
  );
  const ack = useMutation(
    trpc.label.acknowledgeGuidelines.mutationOptions({ onSuccess: (r) => onAcknowledged(r.guidelineVersion) }),
  );
  if (!isNewer || !current.data || !old.data) return null;
  const parts = diffLines(old.data.body, current.data.body);
  return (
    <section
      role="alert"
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm"
      data-testid="guidelines-changed"
    >
      <p className="font-medium text-amber-900">
        The guidelines changed while you were working on this task (version {leasedVersion} → {current.data.version}).
        Read what changed, then rank by the new version.
      </p>
      <pre
        className="max-h-64 overflow-auto rounded border border-amber-200 bg-white p-2 font-mono text-xs whitespace-pre-wrap"
        data-testid="guidelines-diff"
      >
        {parts.map((p, i) => (
          <span
            key={i}
            className={
              p.added ? "bg-green-100 text-green-900" : p.removed ? "bg-red-100 text-red-900 line-through" : ""
            }
            data-change={p.added ? "added" : p.removed ? "removed" : "same"}
          >
            {p.value
              .replace(/\n$/, "")
              .split("\n")
              .map((line) => `${p.added ? "+ " : p.removed ? "− " : "  "}${line}`)
              .join("\n") + "\n"}
          </span>
        ))}
      </pre>
      <ErrorText error={ack.error} />
      <Button
        disabled={ack.isPending}
        onClick={() => ack.mutate({ assignmentId, version: current.data.version })}
        data-testid="acknowledge-guidelines"
      >
        I have read the changes
      </Button>
    </section>
  );
}
