"use client";
// Modal list of the ranking board's keyboard shortcuts (toggled with "?").
import { useEffect, useRef } from "react";
import { kbd, secondaryButton } from "./board-styles";

export const BOARD_SHORTCUTS: readonly { keys: readonly string[]; action: string; strength?: true }[] = [
  { keys: ["1", "…", "9"], action: "Select answer A…I" },
  { keys: ["↑", "k"], action: "Move the selected answer up one place" },
  { keys: ["↓", "j"], action: "Move the selected answer down one place" },
  { keys: ["t"], action: "Tie the selected answer with the one above" },
  { keys: ["u"], action: "Untie the selected answer (it goes just below)" },
  { keys: ["Shift", "1…9"], action: "Put the selected answer at rank n" },
  { keys: ["f"], action: "Flag the selected answer" },
  { keys: ["n"], action: "Toggle “none of the answers is acceptable”" },
  {
    keys: ["m"],
    action: "The selected answer's rank is much better than the next (on the last rank: the one above is)",
    strength: true,
  },
  { keys: ["b"], action: "… better than the next", strength: true },
  { keys: ["l"], action: "… slightly better than the next", strength: true },
  { keys: ["d"], action: "Show or hide the differences between nearly identical answers" },
  { keys: ["Enter"], action: "Submit (asks first if nothing was reordered)" },
  { keys: ["r"], action: "Write the rationale (Esc leaves the field)" },
  { keys: ["Ctrl", "Enter"], action: "Submit from the rationale (⌘ Enter on a Mac)" },
  { keys: ["s"], action: "Skip this task" },
  { keys: ["?"], action: "Show or hide this help" },
  { keys: ["Esc"], action: "Close a menu or dialog, or clear the selection" },
];

export function KeyboardHelp({
  isOpen,
  onClose,
  asksStrength = false,
}: {
  isOpen: boolean;
  onClose: () => void;
  /** The strength keys are listed only where the project asks for strength of preference. */
  asksStrength?: boolean;
}) {
  const dialogRef = useRef<HTMLDialogElement>(null);

  // A native modal dialog gives focus trapping and inert background for free.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) dialog.showModal();
    if (!isOpen && dialog.open) dialog.close();
  }, [isOpen]);

  return (
    <dialog
      ref={dialogRef}
      data-testid="keyboard-help"
      aria-labelledby="keyboard-help-title"
      onClose={onClose}
      onClick={(e) => {
        // A click on the backdrop lands on the dialog element itself.
        if (e.target === e.currentTarget) onClose();
      }}
      className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-black/40"
    >
      <div className="p-5">
        <h2 id="keyboard-help-title" className="mb-3 text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <p className="mb-3 text-sm text-slate-600">Shortcuts are off while you type in a text field.</p>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
          {BOARD_SHORTCUTS.filter((s) => asksStrength || !s.strength).map(({ keys, action }) => (
            <div key={action} className="contents">
              <dt className="flex items-center gap-1 whitespace-nowrap">
                {keys.map((key) =>
                  key === "…" ? (
                    <span key={key}>…</span>
                  ) : (
                    <kbd key={key} className={kbd}>
                      {key}
                    </kbd>
                  ),
                )}
              </dt>
              <dd>{action}</dd>
            </div>
          ))}
        </dl>
        <div className="mt-4 flex justify-end">
          <button type="button" onClick={onClose} className={secondaryButton} autoFocus>
            Close
          </button>
        </div>
      </div>
    </dialog>
  );
}
