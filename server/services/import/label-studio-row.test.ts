// Label Studio import (parsing): a hand-written JSON export of Ranker and Pairwise tasks becomes prompts with
// candidates and one ranking per annotation; malformed tasks are refused by task number and line.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { collect, issues, items } from "./test-support";

const FIXTURE = fs.readFileSync(path.join(import.meta.dirname, "fixtures", "label-studio-ranking.json"), "utf8");
const parse = (text: string) => collect(text, { format: "label-studio" });

const rankerTask = (annotation: Record<string, unknown>) => ({
  id: 1,
  data: {
    prompt: "Q?",
    items: [
      { id: "x", body: "one" },
      { id: "y", body: "two" },
    ],
  },
  annotations: [{ completed_by: 1, ...annotation }],
});

describe("Label Studio export (parsing)", () => {
  it("reads the exported array: prompts, candidates in list order, rankings per annotator", async () => {
    const results = await parse(FIXTURE);
    expect(issues(results)).toEqual([]);
    const got = items(results);
    expect(got.map((i) => [i.line, i.externalId, i.messages, i.candidates])).toEqual([
      [
        2,
        "label-studio:101",
        [{ role: "user", content: "How do I keep basil fresh?" }],
        [
          "Put the stems in a glass of water at room temperature.",
          "Keep it in the freezer in a sealed bag.",
          "Basil cannot be kept.",
        ],
      ],
      [
        56,
        "label-studio:102",
        [{ role: "user", content: "Write a one-line greeting for a bakery." }],
        ["Fresh bread, warm hearts: welcome in!", "Hello."],
      ],
      [98, "label-studio:103", [{ role: "user", content: "Name a colour of the rainbow." }], ["Green.", "Brown."]],
    ]);
    expect(got[0]!.candidateMetadata).toEqual([
      { label_studio: { item: "llm_1" } },
      { label_studio: { item: "llm_2" } },
      { label_studio: { item: "llm_3" } },
    ]);
    // A plain ranking orders every item; buckets are tiers of ties; a cancelled annotation is left out.
    expect(got[0]!.judgments).toEqual([
      { from: "label-studio", annotator: "3", tiers: [[0], [1], [2]], createdAt: new Date("2025-03-01T10:00:00Z") },
      { from: "label-studio", annotator: "7", tiers: [[1], [0, 2]], createdAt: new Date("2025-03-02T11:30:00Z") },
    ]);
    // Pairwise: "left" is the first text `to_name` names; `completed_by` may be an object with the id.
    expect(got[1]!.judgments).toEqual([
      { from: "label-studio", annotator: "3", tiers: [[0], [1]] },
      { from: "label-studio", annotator: "7", tiers: [[1], [0]] },
    ]);
    expect(got[2]!.judgments).toEqual([]);
  });

  it("reads one task per line (JSONL) too", async () => {
    const tasks = JSON.parse(FIXTURE) as unknown[];
    const got = items(await parse(tasks.map((t) => JSON.stringify(t)).join("\n")));
    expect(got.map((i) => [i.line, i.externalId, i.judgments?.length])).toEqual([
      [1, "label-studio:101", 2],
      [2, "label-studio:102", 2],
      [3, "label-studio:103", 0],
    ]);
  });

  it("leaves unsorted items in a last tier, and records nothing when a ranking orders nothing", async () => {
    const bucket = { type: "ranker", from_name: "rank", value: { ranker: { good: ["y"], _: ["x"] } } };
    const [item] = items(await parse(JSON.stringify([rankerTask({ result: [bucket] })])));
    expect(item!.judgments).toEqual([{ from: "label-studio", annotator: "1", tiers: [[1], [0]] }]);
    const all = { type: "ranker", from_name: "rank", value: { ranker: { good: ["x", "y"] } } };
    const [none] = items(await parse(JSON.stringify([rankerTask({ result: [all] })])));
    expect(none!.judgments).toEqual([]);
  });

  it("refuses tasks it cannot map, naming the task, its line and the field", async () => {
    const bad = [
      { id: 1, data: { items: [{ id: "x", body: "a" }] } },
      rankerTask({ result: [{ type: "ranker", from_name: "rank", value: { ranker: { rank: ["x", "z"] } } }] }),
      rankerTask({ result: [{ type: "choices", value: { choices: ["x"] } }] }),
      { id: 4, data: { prompt: "Q", answer1: "a" }, annotations: [] },
      {
        id: 5,
        data: { prompt: "Q", answer1: "a", answer2: "b" },
        annotations: [{ completed_by: 1, result: [{ type: "pairwise", value: { selected: "up" } }] }],
      },
      {
        ...rankerTask({ result: [{ type: "ranker", from_name: "rank", value: { ranker: { rank: ["x", "y"] } } }] }),
        annotations: [1, 1].map(() => ({
          completed_by: 1,
          result: [{ type: "ranker", from_name: "rank", value: { ranker: { rank: ["x", "y"] } } }],
        })),
      },
      rankerTask({ completed_by: null, result: [{ type: "pairwise", value: { selected: "left" } }] }),
    ];
    const text = "[\n" + bad.map((t) => JSON.stringify(t)).join(",\n") + "\n]";
    expect(issues(await parse(text))).toEqual([
      { line: 2, message: 'task 1: "data" must hold the prompt: "data.prompt" (text) or "data.messages"' },
      {
        line: 3,
        message: 'task 2: "annotations[0].result" ranks "z", which is not one of the candidates (x, y)',
      },
      { line: 4, message: 'task 3: "annotations[0]" has no "ranker" or "pairwise" result to import' },
      {
        line: 5,
        message:
          'task 4: "data" must hold "items" (a Ranker list) or "answer1" and "answer2" (the two texts of a Pairwise tag)',
      },
      { line: 6, message: 'task 5: "annotations[0].result.value.selected" must be "left" or "right"' },
      {
        line: 7,
        message: 'task 6: "annotations[0]" and "annotations[1]" are both by user 1; keep one ranking per annotator',
      },
      { line: 8, message: 'task 7: "annotations[0].completed_by" must be a user id (a number or a string)' },
    ]);
  });

  it("stops at a file that is not an array of tasks, or is cut off, at the line where it breaks", async () => {
    expect(issues(await parse('"tasks"'))).toEqual([
      { line: 1, message: "the file must be a JSON array of tasks, or one task object per line" },
    ]);
    expect(issues(await parse('[\n{"id": 1, "data": {"prompt": "Q"\n'))).toEqual([
      { line: 3, message: "task 1 is cut off: the file ends inside it" },
    ]);
    expect(issues(await parse('[{"id": 1, "data": {"prompt": "Q", "items": []}}\n{"id": 2}]'))).toEqual([
      { line: 2, message: 'expected "," or "]" after task 1' },
    ]);
  });
});
