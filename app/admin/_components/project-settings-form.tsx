"use client";
// The settings of a project (name, K, overlap, lease, strength of preference, gold checks, the review queue's agreement threshold), for creating and for editing; for a project with
// a policy, also how the policy samples its candidates (temperature, top-p, top-k, max new tokens) and the
// policy objective of its training rounds.
import { useState } from "react";
import type { TPolicyObjective, TProjectSampling, TProjectSettings, TTaskSelection } from "@/server/domain";
import { Button, Field, Input, TextArea } from "../../_components/ui";

export const DEFAULT_SETTINGS: TProjectSettings = {
  name: "",
  description: "",
  candidatesPerPrompt: 2,
  overlap: 1,
  leaseMinutes: 30,
  strengthOfPreference: false,
  goldRate: 0.1,
  goldPauseBelow: null,
  goldMinJudgments: 5,
  goldFeedback: false,
  reviewBelowAgreement: null,
  suggestOrder: false,
  taskSelection: "queue",
  headToHeadShare: 0.25,
};

/** The policy objectives in words (the server's ZPolicyObjective validates the choice). */
const OBJECTIVE_LABELS: Record<TPolicyObjective, string> = {
  dpo: "DPO on the rankings",
  rloo: "RLOO against the round's reward model",
  dpo_rloo: "DPO, then RLOO against the round's reward model",
};

export function ProjectSettingsForm({
  initial,
  initialSampling,
  initialObjective,
  submitLabel,
  isBusy,
  onSubmit,
  children,
}: {
  initial: TProjectSettings;
  /** The policy's sampling settings: shown (and submitted) only for a project with a policy. */
  initialSampling?: TProjectSampling;
  /** The training rounds' policy objective: shown (and submitted) only for a project with a policy. */
  initialObjective?: TPolicyObjective;
  submitLabel: string;
  isBusy: boolean;
  onSubmit: (s: TProjectSettings, sampling?: TProjectSampling, objective?: TPolicyObjective) => void;
  children?: React.ReactNode;
}) {
  const [s, setS] = useState(initial);
  const [sampling, setSampling] = useState(initialSampling);
  const [objective, setObjective] = useState(initialObjective);
  // An empty box is NaN, which the server refuses as "not a number" (never a silent 0).
  const samplingNum = (key: keyof TProjectSampling) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setSampling(sampling && { ...sampling, [key]: e.target.valueAsNumber });
  const num = (key: "candidatesPerPrompt" | "overlap" | "leaseMinutes") => (e: React.ChangeEvent<HTMLInputElement>) =>
    setS({ ...s, [key]: Number(e.target.value) });
  return (
    <form
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(s, sampling, objective);
      }}
    >
      {children}
      <Field label="Name">
        <Input name="name" required value={s.name} onChange={(e) => setS({ ...s, name: e.target.value })} />
      </Field>
      <Field label="Description">
        <TextArea
          name="description"
          rows={2}
          value={s.description}
          onChange={(e) => setS({ ...s, description: e.target.value })}
        />
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Candidates per prompt (K)" hint="How many answers are ranked together.">
          <Input
            name="k"
            type="number"
            min={2}
            max={16}
            value={s.candidatesPerPrompt}
            onChange={num("candidatesPerPrompt")}
          />
        </Field>
        <Field label="Labellers per prompt" hint="A prompt is complete after this many judgments.">
          <Input name="overlap" type="number" min={1} max={50} value={s.overlap} onChange={num("overlap")} />
        </Field>
        <Field label="Lease (minutes)" hint="A task returns to the queue after this long idle.">
          <Input name="lease" type="number" min={1} max={1440} value={s.leaseMinutes} onChange={num("leaseMinutes")} />
        </Field>
      </div>
      <label className="flex items-start gap-2 text-sm">
        <input
          type="checkbox"
          name="strengthOfPreference"
          data-testid="strength-of-preference"
          className="mt-0.5 size-4"
          checked={s.strengthOfPreference ?? false}
          onChange={(e) => setS({ ...s, strengthOfPreference: e.target.checked })}
        />
        <span>
          <span className="font-medium">Ask for strength of preference</span>
          <span className="block text-slate-500">
            Between each two adjacent ranks the labeller says much better, better or slightly better; TRL exports carry
            it as <code>margin</code>. Applies to tasks loaded from now on.
          </span>
        </span>
      </label>
      <fieldset className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="gold-settings">
        <legend className="px-1 text-sm font-medium">Gold checks (prompts with a reference answer)</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          <Field label="Gold rate" hint="Share of tasks that are gold while one is left for the labeller (0–1).">
            <Input
              name="goldRate"
              type="number"
              step="any"
              min={0}
              max={1}
              value={Number.isNaN(s.goldRate) ? "" : (s.goldRate ?? 0.1)}
              onChange={(e) => setS({ ...s, goldRate: e.target.valueAsNumber })}
            />
          </Field>
          <Field label="Pause below" hint="Mean gold score (0–1) under which a labeller is paused; empty: never.">
            <Input
              name="goldPauseBelow"
              type="number"
              step="any"
              min={0}
              max={1}
              value={
                s.goldPauseBelow === null || s.goldPauseBelow === undefined || Number.isNaN(s.goldPauseBelow)
                  ? ""
                  : s.goldPauseBelow
              }
              onChange={(e) => setS({ ...s, goldPauseBelow: e.target.value === "" ? null : e.target.valueAsNumber })}
            />
          </Field>
          <Field label="Checks before a pause" hint="Gold judgments needed before the pause applies (1–1000).">
            <Input
              name="goldMinJudgments"
              type="number"
              min={1}
              max={1000}
              value={Number.isNaN(s.goldMinJudgments) ? "" : (s.goldMinJudgments ?? 5)}
              onChange={(e) => setS({ ...s, goldMinJudgments: e.target.valueAsNumber })}
            />
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="goldFeedback"
            checked={s.goldFeedback ?? false}
            onChange={(e) => setS({ ...s, goldFeedback: e.target.checked })}
          />
          Labellers see their own gold misses (their ranking, the expected one and your note)
        </label>
      </fieldset>
      <Field
        label="Review below agreement"
        hint="A prompt whose labellers agree less than this (0–1, the share of agreeing pairs) goes to the review queue; empty: none."
      >
        <Input
          name="reviewBelowAgreement"
          type="number"
          step="any"
          min={0}
          max={1}
          value={s.reviewBelowAgreement ?? ""}
          onChange={(e) => setS({ ...s, reviewBelowAgreement: e.target.value === "" ? null : e.target.valueAsNumber })}
          data-testid="review-below-agreement"
        />
      </Field>
      <fieldset className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="assistance-settings">
        <legend className="px-1 text-sm font-medium">Reward-model assistance</legend>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="Task selection"
            hint="Queue: closest to completion, then prompt order. Uncertainty: the prompts whose answers the reward model separates least first."
          >
            <select
              name="taskSelection"
              className="block w-full rounded-md border border-slate-300 px-2 py-2 text-sm"
              value={s.taskSelection ?? "queue"}
              onChange={(e) => setS({ ...s, taskSelection: e.target.value as TTaskSelection })}
              data-testid="task-selection"
            >
              <option value="queue">queue order</option>
              <option value="uncertainty">uncertainty sampling</option>
            </select>
          </Field>
          <Field
            label="Head-to-head share"
            hint="Share (0–1) of each round's prompts answered half by the new policy, half by the one it came from."
          >
            <Input
              name="headToHeadShare"
              type="number"
              step="any"
              min={0}
              max={1}
              value={Number.isNaN(s.headToHeadShare) ? "" : (s.headToHeadShare ?? 0.25)}
              onChange={(e) => setS({ ...s, headToHeadShare: e.target.valueAsNumber })}
            />
          </Field>
        </div>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="suggestOrder"
            checked={s.suggestOrder ?? false}
            onChange={(e) => setS({ ...s, suggestOrder: e.target.checked })}
            data-testid="suggest-order"
          />
          Show labellers the reward model&apos;s order (off by default: it anchors people; recorded with each judgment)
        </label>
      </fieldset>
      {sampling && (
        <fieldset className="space-y-2 rounded-md border border-slate-200 p-3" data-testid="sampling-settings">
          <legend className="px-1 text-sm font-medium">Sampling (the policy&apos;s new candidates)</legend>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Temperature" hint="0 is greedy; higher is more varied (at most 2).">
              <Input
                name="temperature"
                type="number"
                step="any"
                value={Number.isNaN(sampling.temperature) ? "" : sampling.temperature}
                onChange={samplingNum("temperature")}
              />
            </Field>
            <Field label="Top-p" hint="Sample from the smallest set of tokens holding this share (0–1].">
              <Input
                name="topP"
                type="number"
                step="any"
                value={Number.isNaN(sampling.topP) ? "" : sampling.topP}
                onChange={samplingNum("topP")}
              />
            </Field>
            <Field label="Top-k" hint="Only the k likeliest tokens; 0 turns it off.">
              <Input
                name="topK"
                type="number"
                value={Number.isNaN(sampling.topK) ? "" : sampling.topK}
                onChange={samplingNum("topK")}
              />
            </Field>
            <Field label="Max new tokens" hint="Longest answer, in tokens (1–1024).">
              <Input
                name="maxNewTokens"
                type="number"
                value={Number.isNaN(sampling.maxNewTokens) ? "" : sampling.maxNewTokens}
                onChange={samplingNum("maxNewTokens")}
              />
            </Field>
          </div>
          <p className="text-xs text-slate-500">Applies to candidates generated from now on.</p>
        </fieldset>
      )}
      {objective && (
        <Field label="Training rounds: policy objective">
          <select
            name="policyObjective"
            className="w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            value={objective}
            onChange={(e) => setObjective(e.target.value as TPolicyObjective)}
          >
            {Object.entries(OBJECTIVE_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Button type="submit" disabled={isBusy}>
        {submitLabel}
      </Button>
    </form>
  );
}
