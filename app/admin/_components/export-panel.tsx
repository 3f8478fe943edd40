"use client";
// Dataset downloads: TRL preference pairs, full judgments, HH-RLHF transcripts.
import { useState } from "react";
import { TRL_SHAPES, type TExportFormat, type TTrlShape } from "@/server/domain";
import { Card, Field, Input } from "../../_components/ui";

const FORMATS: { key: TExportFormat; title: string; text: string }[] = [
  {
    key: "trl",
    title: "TRL preference pairs",
    text: "One row per pair of candidates in different tiers: prompt / chosen / rejected, loads in TRL's DPO and reward trainers.",
  },
  {
    key: "judgments",
    title: "Full judgments",
    text: "One row per judgment: tiers with ties, flags, rationale, none-acceptable, shown order, times, guideline version, pseudonymous labeller, model provenance.",
  },
  {
    key: "hh",
    title: "HH-RLHF transcripts",
    text: "chosen / rejected strings with Human: and Assistant: turns, as in Anthropic's HH-RLHF.",
  },
];

export function ExportPanel({ projectId }: { projectId: string }) {
  const [shape, setShape] = useState<TTrlShape>("auto");
  const [withMargin, setWithMargin] = useState(false);
  const [onlyComplete, setOnlyComplete] = useState(false);
  const [salt, setSalt] = useState("");
  const href = (format: TExportFormat) => {
    const q = new URLSearchParams({
      format,
      shape,
      margin: withMargin ? "1" : "0",
      complete: onlyComplete ? "1" : "0",
    });
    if (salt) q.set("salt", salt);
    return `/api/admin/projects/${projectId}/export?${q}`;
  };
  return (
    <Card title="Export">
      <div className="mb-4 grid gap-3 sm:grid-cols-2">
        <Field label="TRL shape" hint="auto: standard for single-turn prompts, conversational for multi-turn ones.">
          <select
            className="rounded-md border border-slate-300 px-2 py-2 text-sm"
            value={shape}
            onChange={(e) => setShape(e.target.value as TTrlShape)}
            data-testid="export-shape"
          >
            {TRL_SHAPES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Pseudonym salt"
          hint="The same salt gives the same labeller pseudonyms across exports; empty = a fresh one."
        >
          <Input value={salt} onChange={(e) => setSalt(e.target.value)} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={withMargin}
            onChange={(e) => setWithMargin(e.target.checked)}
            data-testid="export-margin"
          />{" "}
          add <code>margin</code> (tier distance) to TRL rows
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={onlyComplete} onChange={(e) => setOnlyComplete(e.target.checked)} /> only
          prompts that reached their overlap
        </label>
      </div>
      <ul className="space-y-3">
        {FORMATS.map((f) => (
          <li
            key={f.key}
            className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-slate-200 p-3"
          >
            <div className="max-w-xl">
              <p className="font-medium">{f.title}</p>
              <p className="text-sm text-slate-600">{f.text}</p>
            </div>
            <a
              href={href(f.key)}
              download
              className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50"
              data-testid={`export-${f.key}`}
            >
              Download .jsonl
            </a>
          </li>
        ))}
      </ul>
    </Card>
  );
}
