"use client";
// One labelling session in a project: lease the next prompt, rank its candidates, submit or skip,
// renew the lease while working, and move on to the next.
import { use, useEffect, useEffectEvent, useState } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../_trpc/client";
import { Button, ErrorText } from "../../_components/ui";
import { ConversationView } from "../_components/conversation-view";
import { RankingBoard, initialBoardState, type TBoardState } from "../_components/ranking-board";
import { submissionOf } from "../_components/board-state";
import { SkipDialog } from "../_components/skip-dialog";
import { GuidelinesDrawer } from "../_components/guidelines-drawer";
import { useTaskTimer } from "../_components/use-task-timer";
import { clearDraft, loadDraft, pruneDrafts, saveDraft } from "../_components/task-draft";
import { EmptyQueue } from "../_components/empty-queue";
import { GuidelinesChangedBanner } from "../_components/guidelines-changed-banner";
import { PausedNotice } from "../_components/paused-notice";

const HEARTBEAT_MS = 60_000;

export default function LabelTaskPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = use(params);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const next = useMutation(trpc.label.next.mutationOptions());
  // label.next answers a task, nothing left (null), or a pause of this labeller in the project.
  const answer = next.data;
  const pause = answer && "pause" in answer ? answer.pause : null;
  const task = answer && !("pause" in answer) ? answer : null;
  const [board, setBoard] = useState<TBoardState | null>(null);
  const [isSkipping, setIsSkipping] = useState(false);
  const [isGuidelinesOpen, setIsGuidelinesOpen] = useState(false);
  const [leaseLost, setLeaseLost] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const progress = useQuery(trpc.label.progress.queryOptions({ projectSlug: slug }));
  // The project's name and what is left in it, for the title and an accurate empty-queue message.
  const projects = useQuery(trpc.label.projects.queryOptions());
  const project = projects.data?.find((p) => p.slug === slug);
  const timer = useTaskTimer(task?.assignmentId);
  // The guideline version the task is under: the lease's, or a newer one the labeller acknowledged.
  const [acknowledged, setAcknowledged] = useState<{ assignmentId: string; version: number } | null>(null);
  const taskGuidelineVersion =
    task && acknowledged?.assignmentId === task.assignmentId ? acknowledged.version : task?.guidelineVersion;

  // Leases the next prompt of the project (its draft, if one was kept) and refreshes the counts.
  const requestNext = () => {
    pruneDrafts();
    next.mutate(
      { projectSlug: slug },
      {
        onSuccess: (t) =>
          setBoard(
            t && !("pause" in t)
              ? (loadDraft(t.assignmentId) ?? initialBoardState(t.candidates.map((c) => c.id)))
              : null,
          ),
      },
    );
    void queryClient.invalidateQueries({ queryKey: trpc.label.progress.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.label.projects.queryKey() });
  };
  const loadNext = () => {
    setLeaseLost(false);
    setIsSkipping(false);
    requestNext();
  };
  // Another project (a new slug) starts clean: its dialogs closed, then its first prompt requested.
  const [seenSlug, setSeenSlug] = useState(slug);
  if (seenSlug !== slug) {
    setSeenSlug(slug);
    setLeaseLost(false);
    setIsSkipping(false);
  }
  // An Effect Event: the request reads the latest mutation and query client, but only a new slug sends it.
  const onSlug = useEffectEvent(requestNext);
  useEffect(() => onSlug(), [slug]);

  const heartbeat = useMutation(trpc.label.heartbeat.mutationOptions({ onError: () => setLeaseLost(true) }));
  const beat = useEffectEvent((assignmentId: string) => heartbeat.mutate({ assignmentId }));
  const assignmentId = task?.assignmentId;
  useEffect(() => {
    if (!assignmentId) return;
    const id = setInterval(() => beat(assignmentId), HEARTBEAT_MS);
    return () => clearInterval(id);
  }, [assignmentId]);

  const changeBoard = (state: TBoardState) => {
    setBoard(state);
    if (task) saveDraft(task.assignmentId, state);
  };
  const finish = (assignmentId: string) => {
    clearDraft(assignmentId);
    setNotice(null);
    loadNext();
  };
  // Another tab (or a retry whose first answer was lost) already finished this task: nothing is
  // left to do on it, so the page moves on instead of showing a task that can no longer be sent.
  const onTaskError = (assignmentId: string) => (e: { data?: { code?: string } | null; message: string }) => {
    if (e.data?.code !== "CONFLICT") return;
    finish(assignmentId);
    setNotice(`${e.message} Here is the next one.`);
  };
  const submit = useMutation(trpc.label.submit.mutationOptions());
  const skip = useMutation(trpc.label.skip.mutationOptions());

  return (
    <main className="mx-auto max-w-7xl space-y-4 px-4 py-4">
      <div className="flex flex-wrap items-center gap-3">
        <Link href="/label" className="text-sm text-slate-500 hover:underline">
          ← Projects
        </Link>
        <h1 className="text-lg font-semibold">{task?.projectName ?? project?.name ?? slug}</h1>
        <span className="text-sm text-slate-500" data-testid="progress">
          {progress.data ? `${progress.data.today} today · ${progress.data.total} total` : ""}
        </span>
        {project?.goldFeedback && (
          <Link
            href={`/label/${slug}/feedback`}
            className="ml-auto text-sm text-indigo-700 hover:underline"
            data-testid="gold-feedback-link"
          >
            Feedback on checks
          </Link>
        )}
        <Button
          variant="secondary"
          className={project?.goldFeedback ? "" : "ml-auto"}
          onClick={() => setIsGuidelinesOpen(true)}
          data-testid="open-guidelines"
        >
          Guidelines
        </Button>
      </div>
      <ErrorText error={next.error} />
      {next.isPending && <p className="text-slate-500">Loading the next prompt…</p>}
      {notice && (
        <p role="status" className="rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm text-sky-900">
          {notice}
        </p>
      )}
      {pause && <PausedNotice reason={pause.reason} since={pause.since} onCheckAgain={loadNext} />}
      {next.isSuccess && !task && !pause && <EmptyQueue waiting={project?.available} onCheckAgain={loadNext} />}
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
          <GuidelinesChangedBanner
            projectSlug={slug}
            assignmentId={task.assignmentId}
            leasedVersion={taskGuidelineVersion ?? task.guidelineVersion}
            onAcknowledged={(version) => setAcknowledged({ assignmentId: task.assignmentId, version })}
          />
          <ConversationView messages={task.messages} />
          {task.suggestedOrder && (
            <p className="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="suggested-order">
              The reward model&apos;s order:{" "}
              <strong>
                {task.suggestedOrder
                  .map((id) => String.fromCharCode(65 + task.candidates.findIndex((c) => c.id === id)))
                  .join(" > ")}
              </strong>
              . A hint from the model being trained; rank by your own reading.
            </p>
          )}
          <RankingBoard
            candidates={task.candidates}
            state={board}
            onChange={changeBoard}
            isBusy={submit.isPending || skip.isPending}
            asksStrength={task.strengthOfPreference}
            onSkip={() => setIsSkipping(true)}
            onSubmit={() =>
              submit.mutate(
                { assignmentId: task.assignmentId, ...submissionOf(board, task.strengthOfPreference), ...timer() },
                { onSuccess: () => finish(task.assignmentId), onError: onTaskError(task.assignmentId) },
              )
            }
          />
          {submit.error && submit.error.data?.code !== "CONFLICT" && (
            <div className="space-y-1">
              <ErrorText error={submit.error} />
              <p className="text-sm text-slate-600">
                Your ranking was not sent. It is kept in this browser (also across a reload): press Submit to try again.
              </p>
            </div>
          )}
          <ErrorText error={skip.error?.data?.code === "CONFLICT" ? null : skip.error} />
        </>
      )}
      {isSkipping && task && (
        <SkipDialog
          isBusy={skip.isPending}
          onCancel={() => setIsSkipping(false)}
          onSkip={(reason, note) =>
            skip.mutate(
              { assignmentId: task.assignmentId, reason, note, totalMs: timer().totalMs },
              { onSuccess: () => finish(task.assignmentId), onError: onTaskError(task.assignmentId) },
            )
          }
        />
      )}
      {isGuidelinesOpen && (
        <GuidelinesDrawer
          projectSlug={slug}
          version={taskGuidelineVersion}
          onClose={() => setIsGuidelinesOpen(false)}
        />
      )}
    </main>
  );
}
