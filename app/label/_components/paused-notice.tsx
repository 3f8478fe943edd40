"use client";
// What a labeller paused in this project sees instead of a task: the reason in words (their agreement with the
// reference answers, the project's threshold) and that an admin will resume them.
import { Button } from "../../_components/ui";

export function PausedNotice({
  reason,
  since,
  onCheckAgain,
}: {
  reason: string;
  since: Date;
  onCheckAgain: () => void;
}) {
  return (
    <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-6 text-center" data-testid="paused">
      <p className="font-medium">You are paused in this project.</p>
      <p className="mt-1 text-sm text-amber-900" data-testid="pause-reason">
        {reason}
      </p>
      <p className="mt-1 text-xs text-slate-500">Since {since.toLocaleString()}.</p>
      <Button variant="secondary" className="mt-3" onClick={onCheckAgain}>
        Check again
      </Button>
    </div>
  );
}
