"use client";
// An answer shown with its differences from its most similar other answer: the text as plain text, its own words
// that the other lacks underlined (<ins>), the other's words in their place struck through (<del>); each mark
// says so to screen readers too, so nothing rests on colour.
import type { TDiffSegment } from "./answer-diff";

export function DiffText({ segments, partnerLetter }: { segments: TDiffSegment[]; partnerLetter: string }) {
  const changed = segments.some((s) => s.kind !== "same");
  return (
    <div data-testid="diff-text">
      <p className="mb-1 text-xs text-slate-500">
        {changed ? (
          <>
            Compared with answer {partnerLetter}: <ins className="bg-green-100 decoration-2">underlined</ins> words are
            only in this answer, <del className="bg-red-50 text-red-800">struck-through</del> ones are what{" "}
            {partnerLetter} has instead.
          </>
        ) : (
          `Word for word the same as answer ${partnerLetter}.`
        )}
      </p>
      <div data-testid="diff-body" className="whitespace-pre-wrap break-words text-slate-900">
        {segments.map((s, i) =>
          s.kind === "same" ? (
            <span key={i}>{s.text}</span>
          ) : s.kind === "added" ? (
            <span key={i}>
              <span className="sr-only">(added: </span>
              <ins className="rounded-sm bg-green-100 text-green-950 decoration-2 underline-offset-2">{s.text}</ins>
              <span className="sr-only">)</span>
            </span>
          ) : (
            <span key={i}>
              <span className="sr-only">(answer {partnerLetter} has: </span>
              <del className="mx-0.5 rounded-sm bg-red-50 text-red-800">{s.text}</del>
              <span className="sr-only">)</span>
            </span>
          ),
        )}
      </div>
    </div>
  );
}
