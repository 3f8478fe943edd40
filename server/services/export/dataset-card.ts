// The Hugging Face dataset card (README.md with the YAML header the Hub reads) for one export download: its
// columns, counts, the filters that made it, and how the judgments were collected. Counts come from a pass over
// the same rows as the download.
import type { TExportFormat, TExportSource } from "../../domain";
import { exportColumns, type TColumn } from "./export-columns";
import { exportCounts, exportFilename, type TExportCounts, type TExportOptions } from "./export-lines";

const DTYPES: Record<TColumn["kind"], string> = {
  text: "string",
  json: "string",
  bool: "bool",
  int: "int32",
  double: "float64",
};

const ABOUT: Record<TExportFormat, { title: string; tags: string[]; text: string }> = {
  trl: {
    title: "TRL preference pairs",
    tags: ["dpo", "rlhf", "preference"],
    text: "One row per pair of candidates ranked in different tiers by one labeller (TRL's preference format, for DPO and reward modelling).",
  },
  hh: {
    title: "HH-RLHF transcripts",
    tags: ["rlhf", "preference"],
    text: "One row per pair of candidates ranked in different tiers, written as Anthropic HH-RLHF transcripts.",
  },
  judgments: {
    title: "Full judgments",
    tags: ["rlhf", "preference", "ranking"],
    text: "One row per judgment: the labeller's whole ranking with ties, flags, rationale, timings and provenance.",
  },
  kto: {
    title: "TRL unpaired preferences (KTO)",
    tags: ["kto", "rlhf", "preference"],
    text: "One row per candidate: candidates in a judgment's best tier are desirable (label true), those in its worst tier undesirable (false); the tiers between follow the export's choice (omitted by default); an all-tied ranking gives no rows and 'none acceptable' makes every candidate undesirable.",
  },
  arena: {
    title: "Arena-style battles",
    tags: ["arena", "model-comparison", "preference"],
    text: "One row per pair of candidates from two different model versions in one judgment: model_a is the one shown first; the winner is the model ranked in the better tier, 'tie' when both share a tier, 'tie (bothbad)' when they share one and both are flagged or none was acceptable.",
  },
  oasst: {
    title: "OASST-style message trees",
    tags: ["oasst", "rlhf", "ranking"],
    text: "One tree per judgment, as in oasst1/oasst2 `.trees.jsonl`: the prompt is the prompter root (earlier turns a chain below it), and the candidates are its last prompter message's assistant replies, each with `rank` = its tier (0 best; tied candidates share a rank).",
  },
};

const SOURCE_WORDS: Record<TExportSource, string> = {
  raw: "rows from every labeller's judgment (raw votes)",
  consensus:
    "rows from one consensus ranking per comparison: labellers' rankings weighted by their reliability score (weighted Borda), `labeller` = consensus",
  adjudicated: "rows from the reviewers' adjudicated rankings only (comparisons nobody adjudicated are left out)",
  final:
    "rows from one ranking per comparison: the reviewer's adjudicated ranking where there is one, the reliability-weighted consensus elsewhere",
};

/** How strength of preference was asked, and (TRL pairs) what it becomes in `margin`. */
const STRENGTH_TEXT = {
  other:
    "Between each two adjacent tiers the labeller also said how much better the upper tier is: much better, better or slightly better (`strengths` in the full judgments; none where it was not asked).",
  trl: "Between each two adjacent tiers the labeller also said how much better the upper tier is: much better, better or slightly better. `margin` sums them over the tier boundaries between a pair's chosen and rejected reply (much better 3, better 2, slightly better 1), so two replies three tiers apart, each a boundary of much better, have margin 9. TRL's RewardTrainer reads a `margin` column and subtracts it from the reward gap (loss −log σ(r_chosen − r_rejected − margin)); scale it to your reward's range if needed. Judgments made before the project asked for strength have margin null: TRL's collator needs a number in every row of a batch once the column is there, so drop those rows (`dataset.filter(lambda r: r[\"margin\"] is not None)`) or fill them before training.",
} as const;

export function sizeCategory(n: number): string {
  if (n < 1_000) return "n<1K";
  if (n < 10_000) return "1K<n<10K";
  if (n < 100_000) return "10K<n<100K";
  if (n < 1_000_000) return "100K<n<1M";
  if (n < 10_000_000) return "1M<n<10M";
  return "10M<n<100M";
}

/** YAML scalars are always written double-quoted (JSON strings are valid YAML), so no text can break the header. */
const y = (s: string) => JSON.stringify(s);

export type TCardInput = {
  project: { slug: string; name: string; description: string; overlap: number };
  options: TExportOptions;
  /** SPDX-style licence id for the Hub (default "other"). */
  license?: string;
  /** The day in the data file's name (defaults to today, as the download's name). */
  counts?: TExportCounts;
};

export function renderCard(input: TCardInput & { counts: TExportCounts }): string {
  const { project, options: o, counts } = input;
  const columns = exportColumns(o.format, o);
  const file = exportFilename(project.slug, o.format, columns ? "parquet" : "jsonl");
  const about = ABOUT[o.format];
  const yaml = [
    "---",
    `pretty_name: ${y(`${project.name}: ${about.title}`)}`,
    `license: ${y(input.license ?? "other")}`,
    "task_categories:",
    "  - text-generation",
    "tags:",
    ...["prefloop", ...about.tags].map((t) => `  - ${y(t)}`),
    "size_categories:",
    `  - ${y(sizeCategory(counts.rows))}`,
    "configs:",
    "  - config_name: default",
    "    data_files:",
    "      - split: train",
    `        path: ${y(file)}`,
    "dataset_info:",
    "  config_name: default",
    ...(columns
      ? ["  features:", ...columns.flatMap((c) => [`    - name: ${y(c.name)}`, `      dtype: ${DTYPES[c.kind]}`])]
      : []),
    "  splits:",
    "    - name: train",
    `      num_examples: ${counts.rows}`,
    "---",
  ];
  const filters = [
    o.onlyComplete ? `only prompts that reached their overlap (${project.overlap} labellers)` : null,
    o.from ? `judgments from ${o.from.toISOString()}` : null,
    o.until ? `judgments up to ${o.until.toISOString()}` : null,
    o.labellerIds?.length ? `judgments of ${o.labellerIds.length} chosen labeller(s)` : null,
    o.minAgreement !== undefined
      ? `only comparisons whose labellers agree at least ${o.minAgreement} (mean pairwise agreement, 0 to 1)`
      : null,
    SOURCE_WORDS[o.source ?? "raw"],
    o.gold === "include"
      ? "gold (reference) prompts included"
      : o.gold === "only"
        ? "only gold (reference) prompts"
        : null,
    o.format === "kto" ? `middle tiers: ${o.ktoMiddle ?? "omit"}` : null,
    o.format === "trl" || o.format === "kto" ? `shape: ${o.trlShape ?? "auto"}` : null,
  ].filter((f): f is string => f !== null);
  const body = [
    "",
    `# ${project.name}: ${about.title}`,
    "",
    project.description ? `${project.description}\n` : "",
    about.text,
    "",
    "## Counts",
    "",
    `- rows: ${counts.rows}`,
    `- judgments: ${counts.judgments}`,
    `- prompts: ${counts.prompts}`,
    `- labellers: ${counts.labellers}`,
    "",
    "## Columns",
    "",
    ...(columns
      ? [
          "| column | type | meaning |",
          "| --- | --- | --- |",
          ...columns.map(
            (c) =>
              `| \`${c.name}\` | ${DTYPES[c.kind]}${c.kind === "json" ? " (JSON text)" : ""}${c.nullable ? ", may be null" : ""} | ${c.doc} |`,
          ),
        ]
      : [
          "Nested message trees: `message_tree_id`, `tree_state`, optional `system`, `labeller` (pseudonym), `created_at`, and `prompt`, a node with `message_id`, `parent_id`, `text`, `role` (prompter or assistant), optional `rank` and `replies` (nodes).",
        ]),
    "",
    "## How the data was collected",
    "",
    `Collected with prefloop, a self-hosted preference-labelling tool. Each labeller was shown a prompt's candidate replies in a random order and ranked them into tiers (best first; candidates in one tier tie), could flag candidates and say that none was acceptable, following the project's written guidelines. Up to ${project.overlap} labeller(s) judged each prompt. Labellers are pseudonymised with a keyed hash that cannot be reversed without the export's salt.`,
    "",
    ...(o.strengthMargin ? [STRENGTH_TEXT[o.format === "trl" ? "trl" : "other"], ""] : []),
    filters.length
      ? `Filters of this export: ${filters.join("; ")}.`
      : "This export has every judgment of the project.",
    "",
  ];
  return `${yaml.join("\n")}\n${body.join("\n")}`;
}

export async function datasetCard(input: TCardInput): Promise<string> {
  const counts = input.counts ?? (await exportCounts(input.options));
  return renderCard({ ...input, counts });
}
