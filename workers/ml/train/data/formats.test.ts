// Tests of dataset formats: every TRL type (standard and conversational) and prefloop's rankings and judgments
// detected from JSONL files, line-numbered errors, implicit prompts, one type per dataset, conversions.
import { afterAll, describe, expect, it } from "vitest";
import {
  detectRowType,
  extractPromptMessages,
  extractPromptText,
  loadDataset,
  parseDataset,
  preferencePairs,
  rankingOfPreference,
  rowsOf,
  type TDatasetFormat,
  type TMessage,
  type TRankingRow,
} from "./formats";
import { parseJsonlText } from "./read-jsonl";
import { tempFiles } from "./test-helpers";

const tmp = tempFiles("prefloop-formats-");
afterAll(() => tmp.remove());

const user = (content: string): TMessage => ({ role: "user", content });
const assistant = (content: string): TMessage => ({ role: "assistant", content });

/** A row of the app's full-judgments export, in the shape server/services/export/format-judgment.ts writes. */
function judgmentRow(tiers: string[][]) {
  return {
    prompt_id: "p1",
    external_id: null,
    messages: [{ role: "system", content: "Be brief." }, user("Name a colour.")],
    candidates: [
      { id: "a", text: "Red.", source: "model", model_version: "m1", generation_params: { temperature: 0.7 }, provenance: null },
      { id: "b", text: "Blue.", source: "model", model_version: "m1", generation_params: null, provenance: null },
      { id: "c", text: "Green.", source: "imported", model_version: null, generation_params: null, provenance: null },
      { id: "d", text: "unranked", source: "human", model_version: null, generation_params: null, provenance: null },
    ],
    tiers,
    none_acceptable: false,
    flags: { c: { kinds: ["low_quality"], note: "" } },
    rationale: null,
    shown_order: ["b", "a", "c", "d"],
    total_ms: 1200,
    active_ms: 900,
    guideline_version: 1,
    labeller: "lab-1a2b",
    created_at: "2025-01-01T00:00:00.000Z",
  };
}

const CASES: [string, TDatasetFormat, boolean, unknown[], unknown[]][] = [
  ["standard language modeling", "language-modeling", false, [{ text: "a" }, { text: "b" }], [{ kind: "language-modeling", line: 1, text: "a" }]],
  [
    "conversational language modeling",
    "language-modeling",
    true,
    [{ messages: [user("hi"), assistant("hello")] }],
    [{ kind: "language-modeling", line: 1, text: [user("hi"), assistant("hello")] }],
  ],
  ["standard prompt-only", "prompt-only", false, [{ prompt: "Sky is" }], [{ kind: "prompt-only", line: 1, prompt: "Sky is" }]],
  ["conversational prompt-only", "prompt-only", true, [{ prompt: [user("Sky?")] }], [{ kind: "prompt-only", line: 1, prompt: [user("Sky?")] }]],
  [
    "standard prompt-completion",
    "prompt-completion",
    false,
    [{ prompt: "Sky is", completion: " blue." }],
    [{ kind: "prompt-completion", line: 1, prompt: "Sky is", completion: " blue." }],
  ],
  [
    "conversational prompt-completion",
    "prompt-completion",
    true,
    [{ prompt: [user("Sky?")], completion: [assistant("Blue.")] }],
    [{ kind: "prompt-completion", line: 1, prompt: [user("Sky?")], completion: [assistant("Blue.")] }],
  ],
  [
    "standard preference (explicit prompt)",
    "preference",
    false,
    [{ prompt: "Sky is", chosen: " blue.", rejected: " green." }],
    [{ kind: "preference", line: 1, prompt: "Sky is", chosen: " blue.", rejected: " green." }],
  ],
  [
    "conversational preference (explicit prompt)",
    "preference",
    true,
    [{ prompt: [user("Sky?")], chosen: [assistant("Blue.")], rejected: [assistant("Green.")] }],
    [{ kind: "preference", line: 1, prompt: [user("Sky?")], chosen: [assistant("Blue.")], rejected: [assistant("Green.")] }],
  ],
  [
    "standard preference (implicit prompt)",
    "implicit-preference",
    false,
    [{ chosen: "Sky is blue.", rejected: "Sky is green." }],
    [{ kind: "preference", line: 1, prompt: "Sky is", chosen: " blue.", rejected: " green." }],
  ],
  [
    "conversational preference (implicit prompt)",
    "implicit-preference",
    true,
    [{ chosen: [user("Sky?"), assistant("Blue.")], rejected: [user("Sky?"), assistant("Green.")] }],
    [{ kind: "preference", line: 1, prompt: [user("Sky?")], chosen: [assistant("Blue.")], rejected: [assistant("Green.")] }],
  ],
  [
    "standard ranking",
    "ranking",
    false,
    [{ prompt: "Sky is", completions: [" blue.", " green.", " azure."], ranks: [0, 1, 0] }],
    [{ kind: "ranking", line: 1, prompt: "Sky is", completions: [" blue.", " green.", " azure."], ranks: [0, 1, 0] }],
  ],
  [
    "conversational ranking",
    "ranking",
    true,
    [{ prompt: [user("Sky?")], completions: [[assistant("Blue.")], [assistant("Green.")]], ranks: [1, 0] }],
    [{ kind: "ranking", line: 1, prompt: [user("Sky?")], completions: [[assistant("Blue.")], [assistant("Green.")]], ranks: [1, 0] }],
  ],
  [
    "the app's full judgments export",
    "judgments",
    true,
    [judgmentRow([["b"], ["a", "c"]])],
    [
      {
        kind: "ranking",
        line: 1,
        prompt: [{ role: "system", content: "Be brief." }, user("Name a colour.")],
        completions: [[assistant("Blue.")], [assistant("Red.")], [assistant("Green.")]],
        ranks: [0, 1, 1],
      },
    ],
  ],
];

describe("detection from JSONL files", () => {
  it.each(CASES)("%s", async (_name, format, conversational, rows, expected) => {
    const file = tmp.write(`${format}-${conversational}.jsonl`, rows);
    const dataset = await loadDataset(file);
    expect([dataset.format, dataset.conversational, dataset.dropped]).toEqual([format, conversational, []]);
    expect(dataset.rows.slice(0, expected.length)).toEqual(expected);
    expect(dataset.rows).toHaveLength(rows.length);
  });

  it("keeps extra columns out of the rows and the margin column in", async () => {
    const file = tmp.write("margin.jsonl", [
      { id: 7, prompt: "Q", chosen: "a", rejected: "b", margin: 2 },
      { id: 8, prompt: "Q", chosen: "c", rejected: "d", margin: -0.5 },
    ]);
    const rows = rowsOf(await loadDataset(file), "preference");
    expect(rows.map((r) => r.margin)).toEqual([2, -0.5]);
    expect(rows[0]).toEqual({ kind: "preference", line: 1, prompt: "Q", chosen: "a", rejected: "b", margin: 2 });
  });

  it("reads a gzip dataset", async () => {
    const file = tmp.write("g.jsonl.gz", [{ text: "a" }]);
    expect((await loadDataset(file)).rows).toEqual([{ kind: "language-modeling", line: 1, text: "a" }]);
  });
});

describe("errors name the file and line", () => {
  const bad = (name: string, rows: unknown[] | string) => loadDataset(tmp.write(name, rows));
  it.each([
    ["a value of the wrong type", [{ prompt: "a", completion: "b" }, { prompt: "a", completion: 3 }], /:2: completion: expected a string, like the rest of this standard row$/],
    ["a prompt neither string nor list", [{ prompt: 3, completion: "b" }], /:1: prompt: expected a string \(standard\) or a list of \{role, content\} messages \(conversational\), got number$/],
    ["mixed styles in a row", [{ prompt: [user("q")], completion: "b" }], /:1: completion: expected a list of \{role, content\} messages, like the rest of this conversational row$/],
    ["a message without content", [{ messages: [{ role: "user" }] }], /:1: messages\.0\.content: Invalid input: expected string, received undefined$/],
    ["an empty conversation", [{ prompt: [] }], /:1: prompt: a conversation needs at least one message$/],
    ["not an object", [[1, 2]], /:1: expected a JSON object \(one dataset row\), got an array$/],
    ["unknown keys", [{ question: "q", answer: "a" }], /:1: not a dataset row \(keys: question, answer\); expected \{text\}/],
    ["chosen without rejected", [{ prompt: "q", chosen: "a" }], /:1: a preference row needs both chosen and rejected \(missing rejected\)$/],
    ["KTO rows", [{ prompt: "q", completion: "a", label: true }], /:1: unpaired preference rows .* not supported$/],
    ["stepwise rows", [{ prompt: "q", completions: ["a"], labels: [true] }], /:1: completions without ranks/],
    ["ranks of the wrong length", [{ prompt: "q", completions: ["a", "b"], ranks: [0] }], /:1: ranks: needs one rank per completion$/],
    ["a negative or fractional rank", [{ prompt: "q", completions: ["a", "b"], ranks: [0, -1] }], /:1: ranks\.1: a rank is a tier >= 0/],
    ["a one-completion ranking", [{ prompt: "q", completions: ["a"], ranks: [0] }], /:1: completions: a ranking needs at least two completions$/],
    ["a judgment naming an unknown candidate", [judgmentRow([["a"], ["zz"]])], /:1: tiers: unknown candidate "zz"$/],
    ["a judgment ranking a candidate twice", [judgmentRow([["a"], ["a"]])], /:1: tiers: candidate "a" appears more than once$/],
    ["invalid JSON", '{"text": "a"}\n{"text": \n', /:2: invalid JSON \(/],
    ["a margin that is not a number", [{ prompt: "q", chosen: "a", rejected: "b", margin: "1" }], /:1: margin: margin must be a number$/],
  ])("%s", async (name, rows, message) => {
    await expect(bad(`${name}.jsonl`, rows)).rejects.toThrow(message);
  });

  it("a later row of another type names its line and the deciding line", async () => {
    const rows = [{ prompt: "q", chosen: "a", rejected: "b" }, {}, { prompt: "q", completion: "a" }];
    const text = rows.map((r) => (Object.keys(r).length ? JSON.stringify(r) : "")).join("\n");
    await expect(bad("mixed.jsonl", text)).rejects.toThrow(
      /mixed\.jsonl:3: a standard prompt-completion row, but this is a standard preference dataset \(decided by its first row, line 1\)$/,
    );
  });

  it("standard and conversational rows do not mix, nor explicit and implicit prompts", async () => {
    await expect(bad("style.jsonl", [{ prompt: "q" }, { prompt: [user("q")] }])).rejects.toThrow(
      /style\.jsonl:2: a conversational prompt-only row, but this is a standard prompt-only dataset/,
    );
    await expect(bad("implicit.jsonl", [{ prompt: "q", chosen: "a", rejected: "b" }, { chosen: "qa", rejected: "qb" }])).rejects.toThrow(
      /:2: a standard implicit-preference row, but this is a standard preference dataset/,
    );
  });

  it("margin is a column of every row or of none", async () => {
    await expect(bad("m1.jsonl", [{ prompt: "q", chosen: "a", rejected: "b", margin: 1 }, { prompt: "q", chosen: "a", rejected: "b" }])).rejects.toThrow(
      /m1\.jsonl:2: no margin, but the first row \(line 1\) has one/,
    );
    await expect(bad("m2.jsonl", [{ chosen: "qa", rejected: "qb" }, { chosen: "qa", rejected: "qb", margin: 1 }])).rejects.toThrow(/m2\.jsonl:2: a margin, but the first row/);
  });

  it("an empty file, or one whose rows are all dropped, is an error", async () => {
    await expect(bad("empty.jsonl", "\n\n")).rejects.toThrow(/empty\.jsonl: no rows$/);
    await expect(bad("tied.jsonl", [{ prompt: "q", completions: ["a", "b"], ranks: [0, 0] }])).rejects.toThrow(
      /tied\.jsonl: every row was dropped \(1; line 1: every candidate is in one tier/,
    );
  });
});

describe("rankings with nothing to learn are dropped and reported", () => {
  it("a judgment with one tier and a ranking with all ranks equal", () => {
    const judgments = parseDataset(parseJsonlText([judgmentRow([["a", "b"]]), judgmentRow([["a"], ["b", "c"]])].map((r) => JSON.stringify(r)).join("\n")), "j.jsonl");
    expect(judgments.rows.map((r) => r.line)).toEqual([2]);
    expect(judgments.dropped).toEqual([{ line: 1, reason: "every candidate is in one tier (all tied): no pair to learn from" }]);
    const ranks = parseDataset(
      [
        { line: 1, value: { prompt: "q", completions: ["a", "b"], ranks: [1, 0] } },
        { line: 2, value: { prompt: "q", completions: ["a", "b", "c"], ranks: [2, 2, 2] } },
      ],
      "r.jsonl",
    );
    expect([ranks.rows.length, ranks.dropped.map((d) => d.line)]).toEqual([1, [2]]);
  });
});

describe("implicit prompt extraction (TRL's extract_prompt)", () => {
  it("strings: the longest common prefix, the space before the difference going to the completions", () => {
    const hh = "\n\nHuman: Hi\n\nAssistant:";
    expect(extractPromptText(`${hh} Hello!`, `${hh} Go away.`)).toEqual({ prompt: hh, chosen: " Hello!", rejected: " Go away." });
    expect(extractPromptText("abcX", "abcY")).toEqual({ prompt: "abc", chosen: "X", rejected: "Y" });
  });

  it("strings: the common prefix reaches into replies that start alike (as in TRL)", () => {
    expect(extractPromptText("Q: I think yes", "Q: I think no")).toEqual({ prompt: "Q: I think", chosen: " yes", rejected: " no" });
  });

  it("strings: one a prefix of the other (or equal) leaves each at least one character, as TRL's loop does", () => {
    expect(extractPromptText("Q: A", "Q: A more")).toEqual({ prompt: "Q: ", chosen: "A", rejected: "A more" });
    expect(extractPromptText("same", "same")).toEqual({ prompt: "sam", chosen: "e", rejected: "e" });
    expect(() => extractPromptText("", "x")).toThrow("chosen is empty: no prompt to extract");
  });

  it("strings: never splits a surrogate pair (Python compares code points)", () => {
    // 😀 (U+1F600) and 😁 (U+1F601) share their high surrogate.
    expect(extractPromptText("Hi 😀", "Hi 😁")).toEqual({ prompt: "Hi", chosen: " 😀", rejected: " 😁" });
    expect(extractPromptText("Hi😀", "Hi😁")).toEqual({ prompt: "Hi", chosen: "😀", rejected: "😁" });
  });

  it("conversations: the common messages, usually all but the last", () => {
    const c = [user("a"), assistant("b"), user("c"), assistant("good")];
    const r = [user("a"), assistant("b"), user("c"), assistant("bad")];
    expect(extractPromptMessages(c, r)).toEqual({ prompt: c.slice(0, 3), chosen: [assistant("good")], rejected: [assistant("bad")] });
    // Equal conversations still leave the last message to each side; key order does not matter.
    const reordered = c.map((m) => ({ content: m.content, role: m.role }));
    expect(extractPromptMessages(c, reordered)).toEqual({ prompt: c.slice(0, 3), chosen: [assistant("good")], rejected: [assistant("good")] });
    // A difference earlier in the conversation makes a longer completion.
    expect(extractPromptMessages(c, [user("a"), assistant("B!"), user("c"), assistant("bad")]).prompt).toEqual([user("a")]);
    expect(() => extractPromptMessages([user("x"), assistant("y")], [user("z"), assistant("y")])).toThrow("share no leading message");
  });

  it("a conversational implicit row without a shared first message is a line-numbered error", () => {
    expect(() =>
      parseDataset([{ line: 5, value: { chosen: [user("x"), assistant("y")], rejected: [user("z"), assistant("y")] } }], "c.jsonl"),
    ).toThrow(/^c\.jsonl:5: chosen and rejected share no leading message/);
  });
});

describe("detectRowType", () => {
  it("reads the type from the keys and the style from the prompt side", () => {
    expect(detectRowType({ text: "x", meta: 1 })).toEqual({ format: "language-modeling", conversational: false });
    expect(detectRowType({ messages: [] })).toEqual({ format: "language-modeling", conversational: true });
    expect(detectRowType({ chosen: [], rejected: "x" })).toEqual({ format: "implicit-preference", conversational: true });
    expect(() => detectRowType({ text: "x", messages: [] })).toThrow("both text and messages");
    expect(() => detectRowType(null)).toThrow("got null");
  });
});

describe("conversions", () => {
  const ranking: TRankingRow = { kind: "ranking", line: 3, prompt: "q", completions: ["a", "b", "c", "d"], ranks: [2, 0, 2, 0] };
  it("rankings to preference pairs: different tiers only, better tier first, tier distance as margin", () => {
    const pairs = preferencePairs(ranking, { margin: true });
    expect(pairs.map((p) => [p.chosen, p.rejected, p.margin])).toEqual([
      ["b", "a", 2],
      ["b", "c", 2],
      ["d", "a", 2],
      ["d", "c", 2],
    ]);
    expect(preferencePairs(ranking)[0]).toEqual({ kind: "preference", line: 3, prompt: "q", chosen: "b", rejected: "a" });
  });
  it("a preference pair to a two-candidate ranking", () => {
    expect(rankingOfPreference({ kind: "preference", line: 1, prompt: "q", chosen: "a", rejected: "b", margin: 1 })).toEqual({
      kind: "ranking",
      line: 1,
      prompt: "q",
      completions: ["a", "b"],
      ranks: [0, 1],
    });
  });
  it("rowsOf names what the dataset holds instead", () => {
    const d = parseDataset([{ line: 1, value: { text: "x" } }], "t.jsonl");
    expect(() => rowsOf(d, "preference")).toThrow("t.jsonl: a language-modeling dataset (language-modeling rows), not preference rows");
    const j = parseDataset([{ line: 1, value: judgmentRow([["a"], ["b"]]) }], "j.jsonl");
    expect(rowsOf(j, "ranking")).toHaveLength(1);
  });
});
