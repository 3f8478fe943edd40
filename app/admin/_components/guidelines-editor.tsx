"use client";
// Guidelines editor with a live preview; saving creates a new version (judgments keep theirs).
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Markdown } from "../../_components/markdown";
import { Button, Card, ErrorText, TextArea } from "../../_components/ui";

export function GuidelinesEditor({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.admin.projects.guidelines.queryOptions({ projectId }));
  const [body, setBody] = useState<string | null>(null);
  // The draft starts as the current version once it has loaded (set while rendering, not in an effect).
  if (current.data && body === null) setBody(current.data.body);
  const save = useMutation(
    trpc.admin.projects.updateGuidelines.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.projects.guidelines.queryKey() }),
    }),
  );
  return (
    <Card
      title={`Guidelines${current.data ? ` · version ${current.data.version}` : ""}`}
      actions={
        <Button
          disabled={body === null || body === current.data?.body || save.isPending}
          onClick={() => body !== null && save.mutate({ projectId, body })}
          data-testid="save-guidelines"
        >
          Save as new version
        </Button>
      }
    >
      <ErrorText error={current.error ?? save.error} />
      <div className="grid gap-4 lg:grid-cols-2">
        <TextArea
          aria-label="Guidelines (markdown)"
          className="min-h-80 font-mono"
          value={body ?? ""}
          onChange={(e) => setBody(e.target.value)}
          data-testid="guidelines-input"
        />
        <div className="min-h-80 rounded-md border border-slate-200 p-3" aria-label="Preview">
          <Markdown text={body ?? ""} />
        </div>
      </div>
    </Card>
  );
}
