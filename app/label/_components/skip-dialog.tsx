// Asks why the labeller skips a prompt before passing on it.
import { useState } from "react";
import { SKIP_REASONS, SKIP_REASON_LABELS, type TSkipReason } from "@/server/domain";
import { Button, TextArea } from "../../_components/ui";

export function SkipDialog({
  onSkip,
  onCancel,
  isBusy,
}: {
  onSkip: (reason: TSkipReason, note: string) => void;
  onCancel: () => void;
  isBusy: boolean;
}) {
  const [reason, setReason] = useState<TSkipReason>("unclear_prompt");
  const [note, setNote] = useState("");
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-label="Skip this prompt"
      className="fixed inset-0 z-50 flex items-center justify-center bg-black/40 p-4"
      onKeyDown={(e) => e.key === "Escape" && onCancel()}
    >
      <form
        className="w-full max-w-md space-y-3 rounded-lg bg-white p-4 shadow-xl"
        onSubmit={(e) => {
          e.preventDefault();
          onSkip(reason, note);
        }}
        data-testid="skip-dialog"
      >
        <h2 className="font-semibold">Skip this prompt</h2>
        <fieldset className="space-y-1">
          {SKIP_REASONS.map((r) => (
            <label key={r} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="reason"
                value={r}
                checked={reason === r}
                onChange={() => setReason(r)}
                autoFocus={r === reason}
              />
              {SKIP_REASON_LABELS[r]}
            </label>
          ))}
        </fieldset>
        <TextArea
          aria-label="Note"
          placeholder={reason === "other" ? "Say why (required)" : "Note (optional)"}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          data-testid="skip-note"
        />
        <div className="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" disabled={isBusy || (reason === "other" && !note.trim())} data-testid="confirm-skip">
            Skip
          </Button>
        </div>
      </form>
    </div>
  );
}
