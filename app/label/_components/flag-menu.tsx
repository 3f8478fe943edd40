"use client";
// Popover of flag checkboxes for one candidate, with a note field when "Other" is ticked.
import { useEffect, useRef } from "react";
import { FLAG_KINDS, FLAG_LABELS } from "@/server/domain";
import type { TCandidateFlags, TFlagKind } from "@/server/domain";
import { focusRing, secondaryButton } from "./board-styles";

type TProps = {
  candidateId: string;
  letter: string;
  flag: TCandidateFlags[string] | undefined;
  onToggle: (kind: TFlagKind) => void;
  onNote: (note: string) => void;
  /** `restoreFocus`: put focus back on the flag button (keyboard close), not on an outside click. */
  onClose: (restoreFocus: boolean) => void;
};

export function FlagMenu({ candidateId, letter, flag, onToggle, onNote, onClose }: TProps) {
  const panelRef = useRef<HTMLDivElement>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const hasOther = flag?.kinds.includes("other") ?? false;
  const isNoteMissing = hasOther && (flag?.note.trim() ?? "") === "";

  useEffect(() => {
    panelRef.current?.querySelector<HTMLInputElement>("input")?.focus();
  }, []);

  // Clicks outside close the menu; the flag button is excluded or it would close and reopen it.
  useEffect(() => {
    const onPointerDown = (e: PointerEvent) => {
      const target = e.target as Element | null;
      if (panelRef.current?.contains(target)) return;
      if (target?.closest?.(`[data-flag-anchor="${CSS.escape(candidateId)}"]`)) return;
      onClose(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [candidateId, onClose]);

  const toggle = (kind: TFlagKind) => {
    onToggle(kind);
    if (kind === "other" && !hasOther) requestAnimationFrame(() => noteRef.current?.focus());
  };

  return (
    <div
      ref={panelRef}
      role="dialog"
      aria-label={`Flags for answer ${letter}`}
      data-board-keys="local"
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key !== "Escape") return;
        // Handled here so the board's global Escape does not also clear the selection.
        e.stopPropagation();
        onClose(true);
      }}
      className="absolute right-0 top-full z-30 mt-1 w-72 rounded-lg border border-slate-300 bg-white p-3 text-sm shadow-lg"
    >
      <fieldset>
        <legend className="mb-1 font-semibold">Flag answer {letter}</legend>
        {FLAG_KINDS.map((kind) => (
          <label key={kind} className="flex min-h-10 cursor-pointer items-center gap-2 rounded px-1 hover:bg-slate-50">
            <input
              type="checkbox"
              data-testid={`flag-${kind}-${letter}`}
              checked={flag?.kinds.includes(kind) ?? false}
              onChange={() => toggle(kind)}
              className={`size-4 accent-indigo-700 ${focusRing}`}
            />
            {FLAG_LABELS[kind]}
          </label>
        ))}
      </fieldset>
      {hasOther && (
        <label className="mt-2 block">
          <span className="mb-1 block font-medium">What is wrong? (required)</span>
          <input
            ref={noteRef}
            type="text"
            data-testid={`flag-note-${letter}`}
            value={flag?.note ?? ""}
            maxLength={2000}
            required
            aria-invalid={isNoteMissing}
            onChange={(e) => onNote(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") onClose(true);
            }}
            className={`w-full rounded-md border px-2 py-2 ${isNoteMissing ? "border-red-500" : "border-slate-300"} ${focusRing}`}
          />
        </label>
      )}
      <div className="mt-3 flex justify-end">
        <button type="button" onClick={() => onClose(true)} className={secondaryButton}>
          Done
        </button>
      </div>
    </div>
  );
}
