"use client";
// One labelling session in a project: lease the next prompt, rank its candidates, submit or skip,
// renew the lease while working, and move on to the next.
import { use, useCallback, useEffect, useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, ErrorText } from "../../_components/ui";
import { ConversationView } from "../_components/conversation-view";
import { RankingBoard, initialBoardState, type TBoardState } from "../_components/ranking-board";
import { SkipDialog } from "../_components/skip-dialog";
import { GuidelinesDrawer } from "../_components/guidelines-drawer";
import { useTaskTimer } from "../_components/use-task-timer";

const HEARTBEAT_MS = 60_000;

export default function LabelTaskPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = use(params);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const next = useMutation(trpc.label.next.mutationOptions());
  const task = next.data;
  const [board, setBoard] = useState<TBoardState | null>(null);
  const [isSkipping, setIsSkipping] = useState(false);
  const [isGuidelinesOpen, setIsGuidelinesOpen] = useState(false);
  const [leaseLost, setLeaseLost] = useState(false);
  const progress = useQuery(trpc.label.progress.queryOptions({ projectSlug: slug }));
  const timer = useTaskTimer(task?.assignmentId);

  const loadNext = useCallback(() => {
    setLeaseLost(false);
    setIsSkipping(false);
    next.mutate(
      { projectSlug: slug },
      { onSuccess: (t) => setBoard(t ? initialBoardState(t.candidates.map((c) => c.id)) : null) },
    );
    void queryClient.invalidateQueries({ queryKey: trpc.label.progress.queryKey() });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [slug]);
  useEffect(loadNext, [loadNext]);

  const heartbeat = useMutation(trpc.label.heartbeat.mutationOptions({ onError: () => setLeaseLost(true) }));
  useEffect(() => {
    if (!task) return;
    const id = setInterval(() => heartbeat.mutate({ assignmentId: task.assignmentId }), HEARTBEAT_MS);
    return () => clearInterval(id);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [task?.assignmentId]);

  const submit = useMutation(trpc.label.submit.mutationOptions({ onSuccess: loadNext }));
  const skip = useMutation(trpc.label.skip.mutationOptions({ onSuccess: loadNext }));

  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/label" className="text-sm text-slate-500 hover:underline">
          ← Projects
        </Link>
        <h1 className="text-lg font-semibold">{task?.projectName ?? slug}</h1>
        <span className="text-sm text-slate-500" data-testid="progress">
          {progress.data ? `${progress.data.today} today · ${progress.data.total} total` : ""}
        </span>
        <Button
          variant="secondary"
          className="ml-auto"
          onClick={() => setIsGuidelinesOpen(true)}
          data-testid="open-guidelines"
        >
          Guidelines
        </Button>
      </div>
      <ErrorText error={next.error} />
      {next.isPending && <p className="text-slate-500">Loading the next prompt…</p>}
      {next.isSuccess && !task && (
        <div className="rounded-lg border border-slate-200 bg-white p-6 text-center" data-testid="queue-empty">
          <p className="font-medium">Nothing left to label here right now.</p>
          <p className="mt-1 text-sm text-slate-500">
            Other labellers may hold the remaining prompts; check back later.
          </p>
          <Button variant="secondary" className="mt-3" onClick={loadNext}>
            Check again
          </Button>
        </div>
      )}
      {leaseLost && (
        <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          Your hold on this prompt ended, so it may go to someone else.{" "}
          <button className="underline" onClick={loadNext}>
            Load the next prompt
          </button>
        </div>
      )}
      {task && board && (
        <>
          <ConversationView messages={task.messages} />
          <RankingBoard
            candidates={task.candidates}
            state={board}
            onChange={setBoard}
            isBusy={submit.isPending || skip.isPending}
            onSkip={() => setIsSkipping(true)}
            onSubmit={() => submit.mutate({ assignmentId: task.assignmentId, ...board, ...timer() })}
          />
          <ErrorText error={submit.error ?? skip.error} />
        </>
      )}
      {isSkipping && task && (
        <SkipDialog
          isBusy={skip.isPending}
          onCancel={() => setIsSkipping(false)}
          onSkip={(reason, note) =>
            skip.mutate({ assignmentId: task.assignmentId, reason, note, totalMs: timer().totalMs })
          }
        />
      )}
      {isGuidelinesOpen && (
        <GuidelinesDrawer
          projectSlug={slug}
          version={task?.guidelineVersion}
          onClose={() => setIsGuidelinesOpen(false)}
        />
      )}
    </main>
  );
}
