"use client";
// Dataset downloads: each format as JSONL, as Parquet where it is a table, and its Hugging Face dataset card.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import {
  EXPORT_SOURCES,
  KTO_MIDDLE,
  TABULAR_EXPORT_FORMATS,
  TRL_SHAPES,
  type TExportFile,
  type TExportFormat,
  type TExportSource,
  type TKtoMiddle,
  type TTrlShape,
} from "@/server/domain";
import { Card, Field, Input } from "../../_components/ui";
import { useTRPC } from "../../_trpc/client";

const FORMATS: { key: TExportFormat; title: string; text: string }[] = [
  {
    key: "trl",
    title: "TRL preference pairs",
    text: "One row per pair of candidates in different tiers: prompt / chosen / rejected, loads in TRL's DPO and reward trainers.",
  },
  {
    key: "kto",
    title: "TRL unpaired preferences (KTO)",
    text: "prompt / completion / label: the best tier is desirable, the worst undesirable; the middle tiers as chosen below. All-tied rankings give no rows; 'none acceptable' makes every candidate undesirable.",
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
  {
    key: "arena",
    title: "Arena battles",
    text: "model_a / model_b / winner for each two candidates of different model versions: model_a was shown first; a shared tier is a tie, or tie (bothbad) when both are flagged or none was acceptable.",
  },
  {
    key: "oasst",
    title: "OASST message trees",
    text: "One oasst-style tree per judgment: the prompt as the prompter root, the candidates as its assistant replies with rank = tier (0 best). JSONL only.",
  },
];

const FILES: { key: TExportFile; label: string }[] = [
  { key: "jsonl", label: ".jsonl" },
  { key: "parquet", label: ".parquet" },
  { key: "card", label: "dataset card" },
];

const select = "rounded-md border border-slate-300 px-2 py-2 text-sm";

const SOURCE_LABELS: Record<TExportSource, string> = {
  raw: "every judgment (raw votes)",
  consensus: "consensus: one reliability-weighted ranking per comparison",
  adjudicated: "adjudicated: reviewers' rankings only",
  final: "final: adjudicated where reviewed, consensus elsewhere",
};

export function ExportPanel({ projectId }: { projectId: string }) {
  const [shape, setShape] = useState<TTrlShape>("auto");
  const [withMargin, setWithMargin] = useState(false);
  const [onlyComplete, setOnlyComplete] = useState(false);
  const [middle, setMiddle] = useState<TKtoMiddle>("omit");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [license, setLicense] = useState("other");
  const [salt, setSalt] = useState("");
  const [source, setSource] = useState<TExportSource>("raw");
  const [minAgreement, setMinAgreement] = useState("");
  const [chosen, setChosen] = useState<string[]>([]);
  const [gold, setGold] = useState<"exclude" | "include" | "only">("exclude");
  const trpc = useTRPC();
  const options = useQuery(trpc.admin.projects.promptBrowseOptions.queryOptions({ projectId }));
  const agreementOk = minAgreement === "" || /^(0(\.\d{1,4})?|1(\.0{1,4})?)$/.test(minAgreement);
  const href = (format: TExportFormat, file: TExportFile) => {
    const q = new URLSearchParams({
      format,
      file,
      shape,
      margin: withMargin ? "1" : "0",
      complete: onlyComplete ? "1" : "0",
      middle,
    });
    if (salt) q.set("salt", salt);
    if (source !== "raw") q.set("source", source);
    if (minAgreement && agreementOk) q.set("agreement", minAgreement);
    if (chosen.length) q.set("labellers", chosen.join(","));
    if (gold !== "exclude") q.set("gold", gold);
    if (from) q.set("from", from);
    if (to) q.set("to", to);
    if (file === "card" && license) q.set("license", license);
    return `/api/admin/projects/${projectId}/export?${q}`;
  };
  return (
    <Card title="Export">
      <div className="mb-4 grid gap-3 sm:grid-cols-2">
        <Field
          label="TRL / KTO shape"
          hint="auto: standard for single-turn prompts, conversational for multi-turn ones. In Parquet, standard gives plain string columns; the others JSON text."
        >
          <select
            className={select}
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
        <Field label="KTO middle tiers" hint="What the candidates between the best and the worst tier become.">
          <select
            className={select}
            value={middle}
            onChange={(e) => setMiddle(e.target.value as TKtoMiddle)}
            data-testid="export-middle"
          >
            {KTO_MIDDLE.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Rows from"
          hint="Raw votes, or one ranking per comparison: the consensus weighted by labeller reliability (Quality tab), the reviewers' adjudications, or both."
        >
          <select
            className={select}
            value={source}
            onChange={(e) => setSource(e.target.value as TExportSource)}
            data-testid="export-source"
          >
            {EXPORT_SOURCES.map((s) => (
              <option key={s} value={s}>
                {SOURCE_LABELS[s]}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Minimum agreement"
          hint={
            agreementOk
              ? "0 to 1: only comparisons whose labellers agree at least this much (needs two judgments); empty = all."
              : "Not a number from 0 to 1 (e.g. 0.6): fix it to download."
          }
        >
          <Input
            inputMode="decimal"
            value={minAgreement}
            onChange={(e) => setMinAgreement(e.target.value.trim())}
            placeholder="e.g. 0.6"
            aria-invalid={!agreementOk}
            data-testid="export-agreement"
          />
        </Field>
        <Field
          label="Labellers"
          hint={
            chosen.length
              ? `Only the judgments of the ${chosen.length} chosen (Ctrl/Cmd-click to pick several).`
              : "Everyone; pick some to export only their judgments (Ctrl/Cmd-click to pick several)."
          }
        >
          <select
            multiple
            className={`${select} h-24`}
            value={chosen}
            onChange={(e) => setChosen([...e.target.selectedOptions].map((o) => o.value))}
            data-testid="export-labellers"
          >
            {(options.data?.labellers ?? []).map((l) => (
              <option key={l.id} value={l.id}>
                {l.name ? `${l.name} <${l.email}>` : l.email}
              </option>
            ))}
          </select>
        </Field>
        <Field
          label="Gold prompts"
          hint="Prompts with your reference answer, used to check labellers: usually kept out of training data."
        >
          <select
            className={select}
            value={gold}
            onChange={(e) => setGold(e.target.value as typeof gold)}
            data-testid="export-gold"
          >
            <option value="exclude">leave out (default)</option>
            <option value="include">include</option>
            <option value="only">only gold</option>
          </select>
        </Field>
        <Field label="Judgments from" hint="First day included (UTC); empty = from the start.">
          <Input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="export-from" />
        </Field>
        <Field label="Judgments to" hint="Last day included (UTC); empty = up to now.">
          <Input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="export-to" />
        </Field>
        <Field
          label="Pseudonym salt"
          hint="The same salt gives the same labeller pseudonyms across exports; empty = a fresh one."
        >
          <Input value={salt} onChange={(e) => setSalt(e.target.value)} />
        </Field>
        <Field label="Dataset card licence" hint="The Hub's licence id, e.g. cc-by-4.0, mit; other if unsure.">
          <Input value={license} onChange={(e) => setLicense(e.target.value)} data-testid="export-license" />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={withMargin}
            onChange={(e) => setWithMargin(e.target.checked)}
            data-testid="export-margin"
          />{" "}
          add <code>margin</code> (tier distance) to TRL rows; a project that asks for strength of preference always has
          it, from the strengths
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
            <div className="flex flex-wrap gap-2">
              {FILES.filter(
                (file) =>
                  file.key !== "parquet" || (TABULAR_EXPORT_FORMATS as readonly TExportFormat[]).includes(f.key),
              ).map((file) => (
                <a
                  key={file.key}
                  href={agreementOk ? href(f.key, file.key) : undefined}
                  aria-disabled={!agreementOk}
                  download
                  className="rounded-md border border-slate-300 px-3 py-2 text-sm font-medium hover:bg-slate-50"
                  data-testid={file.key === "jsonl" ? `export-${f.key}` : `export-${f.key}-${file.key}`}
                >
                  {file.key === "card" ? "Dataset card" : `Download ${file.label}`}
                </a>
              ))}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
