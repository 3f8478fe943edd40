// Tests of TRL preference-row import: standard, conversational and implicit-prompt rows, numeric extras, issues.
import { describe, expect, it } from "vitest";
import { collect, issues, items, jsonl } from "./test-support";

const u = (content: string) => ({ role: "user" as const, content });
const a = (content: string) => ({ role: "assistant" as const, content });

describe("TRL import", () => {
  it("reads the standard form as one user turn and two candidates, keeping id and numeric extras", async () => {
    const row = { prompt: "The sky is", chosen: " blue.", rejected: " green.", id: "r1", margin: 2, score_chosen: 8.5 };
    expect(await collect(jsonl(row), { format: "trl" })).toEqual([
      {
        kind: "item",
        item: {
          line: 1,
          messages: [u("The sky is")],
          candidates: [" blue.", " green."],
          externalId: "r1",
          metadata: { margin: 2, score_chosen: 8.5 },
        },
      },
    ]);
  });

  it("reads the conversational form", async () => {
    const row = {
      prompt: [{ role: "system", content: "Be kind." }, u("Hi")],
      chosen: [a("Hello!")],
      rejected: [a("")],
    };
    expect(items(await collect(jsonl(row), { format: "auto" }))).toEqual([
      { line: 1, messages: [{ role: "system", content: "Be kind." }, u("Hi")], candidates: ["Hello!", ""] },
    ]);
  });

  it("takes the shared turns of an implicit-prompt row as the prompt", async () => {
    const row = { chosen: [u("Q"), a("A"), u("Q2"), a("good")], rejected: [u("Q"), a("A"), u("Q2"), a("bad")] };
    expect(items(await collect(jsonl(row), { format: "auto" }))).toEqual([
      { line: 1, messages: [u("Q"), a("A"), u("Q2")], candidates: ["good", "bad"] },
    ]);
  });

  it("reports malformed rows with the field at fault", async () => {
    const text = jsonl(
      { prompt: [u("Q")], chosen: [a("x"), a("y")], rejected: [a("z")] },
      { prompt: [u("Q")], chosen: [a("x")], rejected: [u("z")] },
      { prompt: "Q", chosen: [a("x")], rejected: "z" },
      { prompt: "Q", chosen: "x" },
      { prompt: "Q", chosen: "x", rejected: "y", margin: "big" },
      { prompt: "Q", chosen: "x", rejected: "y", source: "web" },
      { chosen: [u("Q"), a("x")], rejected: [u("Other"), a("y")] },
      { chosen: [u("Q"), a("x")], rejected: [u("Q"), a("x"), a("y")] },
      { chosen: [u("Q"), u("x")], rejected: [u("Q"), a("y")] },
      { prompt: [u("Q"), a("A")], chosen: [a("x")], rejected: [a("y")] },
      { prompt: "", chosen: "x", rejected: "y" },
    );
    expect(issues(await collect(text, { format: "trl" }))).toEqual([
      { line: 1, message: '"chosen" must be a list of exactly one assistant message' },
      { line: 2, message: '"rejected[0].role" must be assistant' },
      { line: 3, message: '"chosen" must be a string, like "prompt"' },
      { line: 4, message: '"rejected" is required' },
      { line: 5, message: '"margin" must be a number' },
      { line: 6, message: 'unknown key "source"' },
      { line: 7, message: '"chosen" and "rejected" must share every turn but the last (they differ at "chosen[0]")' },
      { line: 8, message: '"chosen" and "rejected" must share every turn but the last (they have 2 and 3 turns)' },
      { line: 9, message: '"chosen[1].role" must be assistant' },
      { line: 10, message: `the last turn of "prompt" must be the user's, not the assistant's` },
      { line: 11, message: '"prompt" must not be empty' },
    ]);
  });
});
