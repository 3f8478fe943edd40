// Tests of the full-judgment row: exact keys and values, pseudonymised labeller, unknown candidate ids.
import { describe, expect, it } from "vitest";
import { judgmentRow, type TJudgmentInput } from "./format-judgment";
import { pseudonymize } from "./pseudonym";

const input: TJudgmentInput = {
  promptId: "p1",
  comparisonId: "c1",
  round: 0,
  policyVersion: null,
  externalId: "ext-1",
  messages: [{ role: "user", content: "Q" }],
  candidates: [
    {
      id: "c1",
      text: "A",
      source: "model",
      modelVersion: "m-1",
      generationParams: { temperature: 0.7 },
      provenance: null,
    },
    {
      id: "c2",
      text: "B",
      source: "imported",
      modelVersion: null,
      generationParams: null,
      provenance: { hh: "chosen" },
    },
  ],
  tiers: [["c2"], ["c1"]],
  noneAcceptable: false,
  flags: { c1: { kinds: ["harmful"], note: "rude" } },
  rationale: "B is kinder",
  shownOrder: ["c1", "c2"],
  totalMs: 5000,
  activeMs: 4000,
  guidelineVersion: 3,
  labellerId: "user-9",
  pseudonymSalt: "salt",
  createdAt: new Date("2025-01-02T03:04:05.678Z"),
};

describe("judgmentRow", () => {
  it("writes every field in snake_case with a pseudonymous labeller", () => {
    expect(judgmentRow(input)).toEqual({
      prompt_id: "p1",
      comparison_id: "c1",
      round: 0,
      policy_version: null,
      external_id: "ext-1",
      messages: [{ role: "user", content: "Q" }],
      candidates: [
        {
          id: "c1",
          text: "A",
          source: "model",
          model_version: "m-1",
          generation_params: { temperature: 0.7 },
          provenance: null,
        },
        {
          id: "c2",
          text: "B",
          source: "imported",
          model_version: null,
          generation_params: null,
          provenance: { hh: "chosen" },
        },
      ],
      tiers: [["c2"], ["c1"]],
      none_acceptable: false,
      flags: { c1: { kinds: ["harmful"], note: "rude" } },
      strengths: null,
      rationale: "B is kinder",
      shown_order: ["c1", "c2"],
      total_ms: 5000,
      active_ms: 4000,
      guideline_version: 3,
      labeller: pseudonymize("salt", "user-9"),
      created_at: "2025-01-02T03:04:05.678Z",
      ranking_source: "judgment",
    });
    expect(JSON.stringify(judgmentRow(input))).not.toContain("user-9");
    expect(judgmentRow({ ...input, strengths: ["much_better"] }).strengths).toEqual(["much_better"]);
  });

  it("refuses ids that are not among the candidates", () => {
    expect(() => judgmentRow({ ...input, tiers: [["c2"], ["c3"]] })).toThrow(
      'judgment of prompt p1 refers to unknown candidate "c3"',
    );
  });
});
