"use client";
// An answer's markdown clipped to about 16 lines, with an Expand/Collapse toggle when it is longer.
import { useEffect, useRef, useState } from "react";
import { Markdown } from "@/app/_components/markdown";
import { focusRing } from "./board-styles";

export function CollapsibleAnswer({
  text,
  label,
  id,
  diff,
}: {
  text: string;
  label: string;
  id: string;
  /** Shown instead of the rendered markdown while the diff view is on. */
  diff?: React.ReactNode;
}) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const [isExpanded, setExpanded] = useState(false);
  const [isLong, setLong] = useState(false);

  // Measured rather than guessed from the text: code blocks, tables and wrapping change the height.
  useEffect(() => {
    const body = bodyRef.current;
    if (!body || typeof ResizeObserver === "undefined") return;
    const measure = () => {
      if (!isExpanded) setLong(body.scrollHeight > body.clientHeight + 4);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(body);
    measure();
    return () => observer.disconnect();
  }, [isExpanded, text, diff]);

  return (
    <div>
      <div ref={bodyRef} id={id} className={isExpanded ? "" : "relative max-h-96 overflow-hidden"}>
        {diff ?? <Markdown text={text} />}
        {!isExpanded && isLong && (
          <div
            aria-hidden="true"
            className="pointer-events-none absolute inset-x-0 bottom-0 h-10 bg-linear-to-t from-white"
          />
        )}
      </div>
      {(isLong || isExpanded) && (
        <button
          type="button"
          aria-expanded={isExpanded}
          aria-controls={id}
          aria-label={`${isExpanded ? "Collapse" : "Expand"} answer ${label}`}
          onClick={() => setExpanded((v) => !v)}
          className={`mt-1 min-h-10 rounded-md px-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50 ${focusRing}`}
        >
          {isExpanded ? "Collapse" : "Expand"}
        </button>
      )}
    </div>
  );
}
