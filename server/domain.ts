// Domain vocabulary shared by services, routers and pages: zod schemas (Z...) and their types (T...).
// Not database access: nothing here imports Prisma.
import { z } from "zod";

// In the browser zod would probe `new Function` (its faster parsers), which the Content-Security-Policy
// refuses and reports as a violation; the plain parsers are fast enough for forms.
if (typeof window !== "undefined") z.config({ jitless: true });

// A reviewer adjudicates the review queue (server/services/quality/review-queue.ts) and labels like a labeller;
// an admin may do everything.
export const ROLES = ["admin", "reviewer", "labeller"] as const;
export const ZRole = z.enum(ROLES);
export type TRole = z.infer<typeof ZRole>;
/** Roles that label under a project's membership rule (admins label every project). */
export const MEMBER_ROLES = ["labeller", "reviewer"] as const satisfies readonly TRole[];
const HOME_OF_ROLE: Record<TRole, string> = { admin: "/admin", reviewer: "/review", labeller: "/label" };
/** Where a role lands after signing in (an unknown role: the labelling area). */
export const homeOfRole = (role: string): string => HOME_OF_ROLE[role as TRole] ?? "/label";

export const PROJECT_STATUSES = ["active", "paused", "archived"] as const;
export const ZProjectStatus = z.enum(PROJECT_STATUSES);
export type TProjectStatus = z.infer<typeof ZProjectStatus>;

export const MESSAGE_ROLES = ["system", "user", "assistant"] as const;
export const ZMessage = z.object({
  role: z.enum(MESSAGE_ROLES),
  content: z.string(),
});
export type TMessage = z.infer<typeof ZMessage>;
/** A prompt is a conversation whose last turn is the user's; a plain prompt is one user turn. */
export const ZConversation = z
  .array(ZMessage)
  .min(1, "a conversation needs at least one turn")
  .refine((m) => m[m.length - 1]?.role === "user", "the last turn of a prompt must be the user's");

export const CANDIDATE_SOURCES = ["model", "imported", "human"] as const;
export type TCandidateSource = (typeof CANDIDATE_SOURCES)[number];

/** The most candidates a prompt may have (a project's candidatesPerPrompt is at most this). */
export const MAX_CANDIDATES = 16;
const ZCandidateId = z.string().min(1).max(64, "a candidate id has at most 64 characters");

/** A ranking: tiers of candidate ids, best first; several ids in one tier are tied. */
export const ZTiers = z
  .array(
    z
      .array(ZCandidateId)
      .min(1, "a tier cannot be empty")
      .max(MAX_CANDIDATES, `a tier has at most ${MAX_CANDIDATES} candidates`),
  )
  .min(1)
  .max(MAX_CANDIDATES, `a ranking has at most ${MAX_CANDIDATES} tiers`);
export type TTiers = z.infer<typeof ZTiers>;

export const FLAG_KINDS = ["harmful", "factually_wrong", "off_task", "low_quality", "other"] as const;
export const ZFlagKind = z.enum(FLAG_KINDS);
export type TFlagKind = z.infer<typeof ZFlagKind>;
export const FLAG_LABELS: Record<TFlagKind, string> = {
  harmful: "Harmful",
  factually_wrong: "Factually wrong",
  off_task: "Off task",
  low_quality: "Low quality",
  other: "Other",
};
export const ZCandidateFlag = z.object({
  kinds: z.array(ZFlagKind).min(1).max(FLAG_KINDS.length),
  note: z.string().max(2000).default(""),
});
/** Flags per candidate id; the number of keys is checked before any value is parsed. */
export const ZCandidateFlags = z
  .custom<Record<string, unknown>>(
    (v) => typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length <= MAX_CANDIDATES,
    `flags: an object with at most ${MAX_CANDIDATES} candidate ids`,
  )
  .pipe(z.record(ZCandidateId, ZCandidateFlag));
export type TCandidateFlags = z.infer<typeof ZCandidateFlags>;

/** Strength of preference between two adjacent tiers (Judgment.strengths, one entry per tier boundary). */
export const STRENGTHS = ["much_better", "better", "slightly_better"] as const;
export const ZStrength = z.enum(STRENGTHS);
export type TStrength = z.infer<typeof ZStrength>;
export const STRENGTH_LABELS: Record<TStrength, string> = {
  much_better: "Much better",
  better: "Better",
  slightly_better: "Slightly better",
};
/** The TRL `margin` each strength carries into preference-pair exports (summed across tier boundaries). */
export const STRENGTH_MARGINS: Record<TStrength, number> = { much_better: 3, better: 2, slightly_better: 1 };
export const ZStrengths = z.array(ZStrength).max(MAX_CANDIDATES - 1);
export type TStrengths = z.infer<typeof ZStrengths>;

/**
 * A gold comparison's expected answer (Comparison.gold): a full expected ranking, an expected best
 * candidate, and/or candidates that must be flagged. At least one of the three.
 */
export const ZGoldAnswer = z
  .object({
    tiers: ZTiers.optional(),
    best: ZCandidateId.optional(),
    mustFlag: z.array(ZCandidateId).max(MAX_CANDIDATES).optional(),
    note: z.string().max(2000).default(""),
  })
  .refine(
    (g) => g.tiers !== undefined || g.best !== undefined || (g.mustFlag?.length ?? 0) > 0,
    "a gold answer needs an expected ranking, an expected best candidate or candidates to flag",
  );
export type TGoldAnswer = z.infer<typeof ZGoldAnswer>;

/** A judgment scored against its comparison's gold answer (Judgment.goldResult); null where not asked. */
export const ZGoldResult = z.object({
  /** Kendall's tau-b between the judgment and the expected tiers, in [-1, 1]. */
  tau: z.number().nullable(),
  /** Whether the judgment's best tier is exactly the expected best (or the expected first tier). */
  top1: z.boolean().nullable(),
  /** Share of the must-flag candidates the labeller flagged, in [0, 1]. */
  flagRecall: z.number().nullable(),
  /** The judgment's gold score in [0, 1]: the mean of the parts asked for (tau mapped to (tau + 1) / 2). */
  score: z.number(),
});
export type TGoldResult = z.infer<typeof ZGoldResult>;

export const SKIP_REASONS = [
  "unclear_prompt",
  "needs_expertise",
  "harmful_content",
  "broken_candidates",
  "other",
] as const;
export const ZSkipReason = z.enum(SKIP_REASONS);
export type TSkipReason = z.infer<typeof ZSkipReason>;
export const SKIP_REASON_LABELS: Record<TSkipReason, string> = {
  unclear_prompt: "The prompt is unclear",
  needs_expertise: "Needs expertise I don't have",
  harmful_content: "I'd rather not read this content",
  broken_candidates: "The answers are broken or empty",
  other: "Other",
};

export const IMPORT_FORMATS = ["auto", "jsonl", "csv", "hh", "trl", "oasst", "label-studio", "argilla"] as const;
export const ZImportFormat = z.enum(IMPORT_FORMATS);
export type TImportFormat = z.infer<typeof ZImportFormat>;
/** One line per import format, for the import panel and the CLI's help. */
export const IMPORT_FORMAT_LABELS: Record<TImportFormat, string> = {
  auto: "Detect from each line (JSONL, HH, TRL, OASST) or the .csv extension",
  jsonl: "JSONL: one prompt per line, with optional candidates",
  csv: "CSV: a prompt column and optional candidate columns",
  hh: "Anthropic HH-RLHF: chosen/rejected transcripts",
  trl: "TRL preference rows: prompt, chosen, rejected",
  oasst: "OASST message trees: ranked replies, their ranks as the judgment of the imported labeller OASST",
  "label-studio": "Label Studio JSON export (Ranker or Pairwise): each annotation becomes an imported judgment",
  argilla: "Argilla ranking dataset (1.x or 2.x records): each submitted response becomes an imported judgment",
};

export const EXPORT_FORMATS = ["trl", "judgments", "hh", "kto", "arena", "oasst"] as const;
export const ZExportFormat = z.enum(EXPORT_FORMATS);
export type TExportFormat = z.infer<typeof ZExportFormat>;
/** Formats whose rows are flat enough for a table (Parquet); "oasst" writes nested trees, JSONL only. */
export const TABULAR_EXPORT_FORMATS = [
  "trl",
  "judgments",
  "hh",
  "kto",
  "arena",
] as const satisfies readonly TExportFormat[];
/** What the download is: the rows as JSONL, the same rows as Parquet, or the Hugging Face dataset card. */
export const EXPORT_FILES = ["jsonl", "parquet", "card"] as const;
export const ZExportFile = z.enum(EXPORT_FILES);
export type TExportFile = z.infer<typeof ZExportFile>;
/**
 * What an export is made of: every judgment (raw), one reliability-weighted consensus ranking per comparison, the
 * reviewers' adjudicated rankings only, or "final": adjudicated where a reviewer ranked it, consensus elsewhere.
 */
export const EXPORT_SOURCES = ["raw", "consensus", "adjudicated", "final"] as const;
export const ZExportSource = z.enum(EXPORT_SOURCES);
export type TExportSource = z.infer<typeof ZExportSource>;
/** KTO: what the candidates between the best and the worst tier become (omitted by default). */
export const KTO_MIDDLE = ["omit", "desirable", "undesirable"] as const;
export const ZKtoMiddle = z.enum(KTO_MIDDLE);
export type TKtoMiddle = z.infer<typeof ZKtoMiddle>;

/** TRL pair shape: "auto" = standard for single-turn prompts, conversational for multi-turn ones. */
export const TRL_SHAPES = ["auto", "standard", "conversational"] as const;
export const ZTrlShape = z.enum(TRL_SHAPES);
export type TTrlShape = z.infer<typeof ZTrlShape>;

export const ZSlug = z
  .string()
  .min(2)
  .max(48)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "use lower-case letters, digits and single hyphens");

export const TASK_SELECTIONS = ["queue", "uncertainty"] as const;
export type TTaskSelection = (typeof TASK_SELECTIONS)[number];

export const ZProjectSettings = z.object({
  name: z.string().trim().min(1, "a name is required").max(120),
  description: z.string().max(2000).default(""),
  candidatesPerPrompt: z.number().int().min(2, "at least 2 candidates to rank").max(16),
  overlap: z.number().int().min(1).max(50),
  leaseMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /**
   * Between each two adjacent tiers the labeller says how much better (STRENGTHS), stored in Judgment.strengths.
   * Optional: absent on create means off, absent on update leaves the setting as it is.
   */
  strengthOfPreference: z.boolean().optional(),
  // Gold (reference-answer) checks; left out: unchanged on an update, the schema's defaults on a create
  // (rate 0.1, never paused, 5 checks, no feedback).
  goldRate: z
    .number("gold rate: a number")
    .min(0, "gold rate: a share from 0 (never) to 1 (always when one is left)")
    .max(1, "gold rate: a share from 0 (never) to 1 (always when one is left)")
    .optional(),
  goldPauseBelow: z
    .number("pause below: a number")
    .min(0, "pause below: a share from 0 to 1, or empty for never")
    .max(1, "pause below: a share from 0 to 1, or empty for never")
    .nullable()
    .optional(),
  goldMinJudgments: z
    .number("gold checks before a pause: a number")
    .int("gold checks before a pause: a whole number")
    .min(1, "gold checks before a pause: at least 1")
    .max(1000, "gold checks before a pause: at most 1000")
    .optional(),
  goldFeedback: z.boolean("gold feedback: true or false").optional(),
  /** A comparison whose agreement is below this enters the review queue (null: none by agreement; absent: unchanged). */
  reviewBelowAgreement: z
    .number("review below agreement: a number")
    .min(0, "review below agreement: between 0 and 1")
    .max(1, "review below agreement: between 0 and 1")
    .nullable()
    .optional(),
  /** Reward-model assistance (absent: unchanged): show labellers the reward model's order (off: it anchors them). */
  suggestOrder: z.boolean("suggested order: true or false").optional(),
  /** How tasks are picked: the queue's order, or the comparisons the reward model separates least first. */
  taskSelection: z.enum(TASK_SELECTIONS, "task selection: queue or uncertainty").optional(),
  /** Share of a round's generated comparisons that mix the active policy with the version it was trained from. */
  headToHeadShare: z
    .number("head-to-head share: a number")
    .min(0, "head-to-head share: between 0 and 1")
    .max(1, "head-to-head share: between 0 and 1")
    .optional(),
});
export type TProjectSettings = z.infer<typeof ZProjectSettings>;

/** How a project's policy samples its candidates (the worker's generation settings). */
export const ZProjectSampling = z.object({
  temperature: z
    .number("temperature: a number")
    .min(0, "temperature: 0 (greedy) or more")
    .max(2, "temperature: at most 2"),
  topP: z.number("top-p: a number").gt(0, "top-p: more than 0").max(1, "top-p: at most 1"),
  // 0: no top-k cut
  topK: z
    .number("top-k: a number")
    .int("top-k: a whole number")
    .min(0, "top-k: 0 (off) or more")
    .max(1000, "top-k: at most 1000"),
  maxNewTokens: z
    .number("max new tokens: a number")
    .int("max new tokens: a whole number")
    .min(1, "max new tokens: at least 1")
    .max(1024, "max new tokens: at most 1024"),
});
export type TProjectSampling = z.infer<typeof ZProjectSampling>;
export const DEFAULT_PROJECT_SAMPLING: TProjectSampling = { temperature: 1, topP: 0.95, topK: 0, maxNewTokens: 48 };

/** The policy step of a project's training rounds (after the reward model step). */
export const POLICY_OBJECTIVES = ["dpo", "rloo", "dpo_rloo"] as const;
export const ZPolicyObjective = z.enum(POLICY_OBJECTIVES, {
  error: `policy objective: one of ${POLICY_OBJECTIVES.join(", ")}`,
});
export type TPolicyObjective = z.infer<typeof ZPolicyObjective>;

export const COMPARISON_STATUSES = ["pending", "open", "retired"] as const;
export type TComparisonStatus = (typeof COMPARISON_STATUSES)[number];

/** What the admin's prompt browser filters a prompt by: the state of any of its comparisons. */
export const PROMPT_BROWSE_STATUSES = ["pending", "open", "complete", "retired"] as const;
export const ZPromptBrowseStatus = z.enum(PROMPT_BROWSE_STATUSES);
export type TPromptBrowseStatus = z.infer<typeof ZPromptBrowseStatus>;
export const PROMPT_SOURCES = ["import", "manual", "demo"] as const;
export const ZPromptSource = z.enum(PROMPT_SOURCES);
