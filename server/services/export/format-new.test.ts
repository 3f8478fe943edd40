// Tests of the KTO, arena and OASST row builders: the mapping from a ranking with ties, flags and
// "none acceptable" to their rows.
import { describe, expect, it } from "vitest";
import type { TMessage } from "../../domain";
import { ktoRows } from "./format-kto";
import { arenaRows, type TArenaArgs } from "./format-arena";
import { oasstTree } from "./format-oasst";

const single: TMessage[] = [{ role: "user", content: "Q" }];
const text: Record<string, string> = { a: "A", b: "B", c: "C", d: "D" };
const textOf = (id: string) => text[id]!;

describe("ktoRows", () => {
  const base = { messages: single, textOf, shape: "auto" as const, noneAcceptable: false };
  it("labels the best tier desirable and the worst undesirable, omitting the middle by default", () => {
    expect(ktoRows({ ...base, tiers: [["a"], ["b", "c"], ["d"]], middle: "omit" })).toEqual([
      { prompt: "Q", completion: "A", label: true },
      { prompt: "Q", completion: "D", label: false },
    ]);
  });
  it("can put the middle tiers on either side", () => {
    const tiers = [["a"], ["b"], ["c"]];
    expect(ktoRows({ ...base, tiers, middle: "desirable" }).map((r) => r.label)).toEqual([true, true, false]);
    expect(ktoRows({ ...base, tiers, middle: "undesirable" }).map((r) => r.label)).toEqual([true, false, false]);
  });
  it("gives no rows for an all-tied ranking and only undesirable ones when none was acceptable", () => {
    expect(ktoRows({ ...base, tiers: [["a", "b"]], middle: "omit" })).toEqual([]);
    const rows = ktoRows({ ...base, tiers: [["a"], ["b"], ["c"]], middle: "omit", noneAcceptable: true });
    expect(rows.map((r) => [r.completion, r.label])).toEqual([
      ["A", false],
      ["B", false],
      ["C", false],
    ]);
  });
  it("writes conversational prompts and completions like the TRL pairs", () => {
    const [row] = ktoRows({ ...base, shape: "conversational", tiers: [["a"], ["b"]], middle: "omit" });
    expect(row).toEqual({
      prompt: [{ role: "user", content: "Q" }],
      completion: [{ role: "assistant", content: "A" }],
      label: true,
    });
  });
});

describe("arenaRows", () => {
  const base: TArenaArgs = {
    questionId: "p1",
    messages: single,
    candidates: [
      { id: "a", text: "A", model: "m1" },
      { id: "b", text: "B", model: "m2" },
      { id: "c", text: "C", model: null },
      { id: "d", text: "D", model: "m1" },
    ],
    tiers: [["b"], ["a", "c", "d"]],
    flags: {},
    noneAcceptable: false,
    shownOrder: ["a", "b", "c", "d"],
    judge: "j",
    createdAt: new Date("2025-01-01T00:00:00Z"),
  };
  it("pits every two different models, model_a being the one shown first", () => {
    const rows = arenaRows(base);
    // c has no model; a and d are the same model, so no battle between them.
    expect(rows.map((r) => [r.model_a, r.model_b, r.winner])).toEqual([
      ["m1", "m2", "model_b"],
      ["m2", "m1", "model_a"],
    ]);
    expect(rows[0]).toMatchObject({
      question_id: "p1",
      judge: "j",
      turn: 1,
      tstamp: 1735689600,
      conversation_a: [
        { role: "user", content: "Q" },
        { role: "assistant", content: "A" },
      ],
    });
  });
  it("writes a tie, and tie (bothbad) when both are flagged or none was acceptable", () => {
    const tied = { ...base, tiers: [["a", "b"]], candidates: base.candidates.slice(0, 2) };
    expect(arenaRows(tied).map((r) => r.winner)).toEqual(["tie"]);
    const oneFlag = { ...tied, flags: { a: { kinds: ["harmful" as const], note: "" } } };
    expect(arenaRows(oneFlag).map((r) => r.winner)).toEqual(["tie"]);
    const bothFlags = { ...oneFlag, flags: { ...oneFlag.flags, b: { kinds: ["factually_wrong" as const], note: "" } } };
    expect(arenaRows(bothFlags).map((r) => r.winner)).toEqual(["tie (bothbad)"]);
    expect(arenaRows({ ...tied, noneAcceptable: true }).map((r) => r.winner)).toEqual(["tie (bothbad)"]);
  });
});

describe("oasstTree", () => {
  it("hangs the ranked candidates below the last user turn, rank = tier index", () => {
    const messages: TMessage[] = [
      { role: "system", content: "Be brief" },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello" },
      { role: "user", content: "Sky?" },
    ];
    const tree = oasstTree({
      treeId: "t",
      messages,
      candidates: [
        { id: "a", text: "A" },
        { id: "b", text: "B" },
        { id: "c", text: "C" },
      ],
      tiers: [["b"], ["a", "c"]],
      labeller: "L",
      createdAt: new Date("2025-01-01T00:00:00Z"),
    });
    expect(tree).toEqual({
      message_tree_id: "t",
      tree_state: "ready_for_export",
      system: "Be brief",
      labeller: "L",
      created_at: "2025-01-01T00:00:00.000Z",
      prompt: {
        message_id: "t:0",
        parent_id: null,
        text: "Hi",
        role: "prompter",
        replies: [
          {
            message_id: "t:1",
            parent_id: "t:0",
            text: "Hello",
            role: "assistant",
            replies: [
              {
                message_id: "t:2",
                parent_id: "t:1",
                text: "Sky?",
                role: "prompter",
                replies: [
                  { message_id: "b", parent_id: "t:2", text: "B", role: "assistant", rank: 0, replies: [] },
                  { message_id: "a", parent_id: "t:2", text: "A", role: "assistant", rank: 1, replies: [] },
                  { message_id: "c", parent_id: "t:2", text: "C", role: "assistant", rank: 1, replies: [] },
                ],
              },
            ],
          },
        ],
      },
    });
  });
});
