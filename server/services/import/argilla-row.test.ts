// Argilla import (parsing): hand-written exports of ranking datasets in the 1.x (FeedbackRecord) and 2.x record
// shapes become prompts with candidates and one ranking per submitted response; malformed records are refused.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collect, issues, items } from "./test-support";

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const parse = (text: string) => collect(text, { format: "argilla" });
const USER_A = "0c1d2e3f-4a5b-4c6d-8e7f-901234567890";
const USER_B = "11112222-3333-4444-5555-666677778888";

describe("Argilla export (parsing)", () => {
  it("1.x records: the prompt field, the other fields as candidates, ranks with ties, discarded responses left out", async () => {
    const results = await parse(fixture("argilla-v1-ranking.json"));
    expect(issues(results)).toEqual([]);
    const got = items(results);
    expect(got.map((i) => [i.line, i.externalId, i.messages, i.candidates, i.metadata])).toEqual([
      [
        2,
        "argilla:q-1",
        [{ role: "user", content: "What is the boiling point of water at sea level?" }],
        ["100 degrees Celsius.", "50 degrees Celsius.", "About 212 degrees Fahrenheit, which is 100 degrees Celsius."],
        { argilla_record: "q-1" },
      ],
      [
        34,
        "argilla:q-2",
        [{ role: "user", content: "Suggest a name for a grey cat." }],
        ["Smoky", "Banana", "Ash"],
        { argilla_record: "q-2" },
      ],
    ]);
    expect(got[0]!.candidateMetadata).toEqual([
      { argilla: { field: "reply-1" } },
      { argilla: { field: "reply-2" } },
      { argilla: { field: "reply-3" } },
    ]);
    expect(got[0]!.judgments).toEqual([
      { from: "argilla", annotator: USER_A, tiers: [[2, 0], [1]], createdAt: new Date("2024-05-06T07:08:09") },
    ]);
    expect(got[1]!.judgments).toEqual([]);
  });

  it("2.x records: responses by question, option names best first, drafts left out", async () => {
    const got = items(await parse(fixture("argilla-v2-ranking.json")));
    expect(got.map((i) => [i.externalId, i.messages[0]!.content, i.candidates, i.judgments])).toEqual([
      [
        "argilla:rec-1",
        "Give a synonym of 'quick'.",
        ["Fast.", "Slow."],
        [{ from: "argilla", annotator: USER_A, tiers: [[0], [1]] }],
      ],
      [
        "argilla:rec-2",
        "Give an antonym of 'cold'.",
        ["Chilly.", "Hot."],
        [
          { from: "argilla", annotator: USER_A, tiers: [[1], [0]] },
          { from: "argilla", annotator: USER_B, tiers: [[1], [0]] },
        ],
      ],
    ]);
  });

  it("refuses records it cannot map, naming the record, its line and the field", async () => {
    const answer = (value: unknown, user: unknown = USER_A) => ({
      preference: [{ value, user_id: user, status: "submitted" }],
    });
    const fields = { prompt: "Q", a: "one", b: "two" };
    const bad = [
      { id: 1, fields: { text: "Q", a: "x" } },
      { id: 2, fields, responses: answer(["a", "c"]) },
      { id: 3, fields, responses: { ...answer(["a", "b"]), second: [{ value: ["b", "a"], user_id: USER_A }] } },
      { id: 4, fields, responses: answer([{ value: "a", rank: 0 }]) },
      { id: 5, fields, responses: answer(["a", "b"], 3.5) },
      { id: 6, fields: { prompt: "Q", a: 7 } },
      { id: 7, fields, responses: "none" },
    ];
    const text = bad.map((r) => JSON.stringify(r)).join("\n");
    expect(issues(await parse(text))).toEqual([
      {
        line: 1,
        message: 'record 1: "fields" must hold the prompt in one of "prompt", "instruction", "question", "input"',
      },
      {
        line: 2,
        message: 'record 2: "responses.preference[0].value" ranks "c", which is not one of the candidates (a, b)',
      },
      {
        line: 3,
        message: "record 3: the record answers 2 ranking questions (preference, second); import one at a time",
      },
      {
        line: 4,
        message: 'record 4: "responses.preference[0].value[0].rank" must be a whole number from 1 (the best) or null',
      },
      { line: 5, message: 'record 5: "responses.preference[0].user_id" must be a user id (a number or a string)' },
      { line: 6, message: 'record 6: "fields.a" must be a string' },
      {
        line: 7,
        message: 'record 7: "responses" must be a list (Argilla 1.x) or an object by question (Argilla 2.x)',
      },
    ]);
  });
});
