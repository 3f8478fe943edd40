"use client";
// Copies a text (an invite link) to the clipboard and says so; when the browser refuses (no secure
// context, no permission) it says that instead, and the text stays on screen to copy by hand.
import { useState } from "react";
import { Button } from "../../_components/ui";

export function CopyButton({
  text,
  label,
  "data-testid": testId,
}: {
  text: string;
  label: string;
  "data-testid"?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <span className="inline-flex items-center gap-2">
      <Button type="button" variant="secondary" data-testid={testId} onClick={() => void copy()}>
        {label}
      </Button>
      <span role="status" className="text-sm text-slate-600">
        {state === "copied" ? "Copied." : state === "failed" ? "Could not copy; select the link and copy it." : ""}
      </span>
    </span>
  );
}
