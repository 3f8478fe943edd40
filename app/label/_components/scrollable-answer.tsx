"use client";
// A reading column's answer body: scrolls inside a bounded height (so the ranking stays near), and
// says so while there is more below, since a scroll bar alone is easy to miss (or hidden by the OS).
import { useEffect, useRef, useState } from "react";
import { Markdown } from "@/app/_components/markdown";
import { focusRing } from "./board-styles";

export function ScrollableAnswer({
  text,
  letter,
  diff,
}: {
  text: string;
  letter: string;
  /** Shown instead of the rendered markdown while the diff view is on. */
  diff?: React.ReactNode;
}) {
  const bodyRef = useRef<HTMLDivElement>(null);
  const [hasMoreBelow, setMoreBelow] = useState(false);

  // Measured, not guessed from the text: code blocks, tables and wrapping change the height.
  useEffect(() => {
    const body = bodyRef.current;
    if (!body || typeof ResizeObserver === "undefined") return;
    const measure = () => setMoreBelow(body.scrollTop + body.clientHeight < body.scrollHeight - 4);
    const observer = new ResizeObserver(measure);
    observer.observe(body);
    body.addEventListener("scroll", measure, { passive: true });
    measure();
    return () => {
      observer.disconnect();
      body.removeEventListener("scroll", measure);
    };
  }, [text, diff]);

  return (
    <div className="relative min-h-0">
      {/* Focusable so keyboard users can scroll a long answer. */}
      <div
        ref={bodyRef}
        tabIndex={0}
        aria-label={`Answer ${letter} text`}
        className={`max-h-[34vh] overflow-y-auto px-3 py-2 ${focusRing}`}
      >
        {diff ?? <Markdown text={text} />}
      </div>
      {hasMoreBelow && (
        <div
          data-testid={`scroll-hint-${letter}`}
          aria-hidden="true"
          className="pointer-events-none absolute inset-x-0 bottom-0 flex h-10 items-end justify-center rounded-b-lg bg-linear-to-t from-white via-white/90 pb-1 text-xs font-medium text-slate-500"
        >
          Scroll for more ↓
        </div>
      )}
    </div>
  );
}
