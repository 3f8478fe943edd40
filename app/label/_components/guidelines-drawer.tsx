"use client";
// The project's guidelines (the version the labeller works under) in a side panel.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Markdown } from "../../_components/markdown";
import { Button, ErrorText } from "../../_components/ui";

export function GuidelinesDrawer({
  projectSlug,
  version,
  onClose,
}: {
  projectSlug: string;
  version?: number;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const q = useQuery(trpc.label.guidelines.queryOptions({ projectSlug, version }));
  return (
    <div
      className="fixed inset-0 z-40 flex justify-end bg-black/30"
      onClick={onClose}
      onKeyDown={(e) => e.key === "Escape" && onClose()}
    >
      <aside
        role="dialog"
        aria-label="Guidelines"
        className="h-full w-full max-w-xl overflow-y-auto bg-white p-5 shadow-xl"
        onClick={(e) => e.stopPropagation()}
        data-testid="guidelines"
      >
        <div className="mb-3 flex items-center justify-between">
          <h2 className="font-semibold">Guidelines {q.data ? `(version ${q.data.version})` : ""}</h2>
          <Button variant="secondary" onClick={onClose} autoFocus>
            Close
          </Button>
        </div>
        <ErrorText error={q.error} />
        {q.data &&
          (q.data.body.trim() ? (
            <Markdown text={q.data.body} />
          ) : (
            <p className="text-slate-500">This project has no guidelines yet.</p>
          ))}
      </aside>
    </div>
  );
}
