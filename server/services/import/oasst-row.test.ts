// OASST message-tree import: a hand-written file in the published tree shape becomes prompts with ranked
// candidates that keep their source rank; bad trees are refused with the field that is wrong; on the database,
// the ranks survive into the judgments export as provenance.
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { collect, issues, items, jsonl } from "./test-support";
import { useTestDb } from "../../test/test-db";
import { makeProject, makeUser } from "../../test/factories";
import { importPrompts } from "./import-prompts";

const t = useTestDb();
const FIXTURE = fs.readFileSync(path.join(import.meta.dirname, "fixtures", "oasst-trees.jsonl"), "utf8");

describe("OASST tree import (parsing)", () => {
  it("makes one prompt per prompter message with two or more replies, best rank first", async () => {
    const got = items(await collect(FIXTURE, { format: "auto" }));
    expect(got.map((i) => [i.line, i.externalId, i.candidates])).toEqual([
      [
        1,
        "m1",
        [
          "Lower it into simmering water, cook 9 minutes, then cool it in ice water.",
          "Put it in boiling water for nine minutes.",
          "Eggs cannot be boiled.",
        ],
      ],
      [1, "m5", ["Six minutes.", "Twenty minutes."]],
      [2, "n1", ["7", "9"]],
    ]);
    expect(got[1]!.messages).toEqual([
      { role: "user", content: "How do I boil an egg?" },
      { role: "assistant", content: "Put it in boiling water for nine minutes." },
      { role: "user", content: "And for a soft yolk?" },
    ]);
    expect(got[0]!.candidateMetadata).toEqual([
      { oasst: { rank: 0, message_id: "m3" } },
      { oasst: { rank: 1, message_id: "m2" } },
      { oasst: { rank: 2, message_id: "m4" } },
    ]);
    expect(got[2]!.candidateMetadata).toEqual([
      { oasst: { rank: null, message_id: "n2" } },
      { oasst: { rank: null, message_id: "n3" } },
    ]);
    expect(got[0]!.metadata).toEqual({ oasst_tree: "tree-1" });
  });

  it("names the line and the field of a bad tree", async () => {
    const reply = (over: object) => ({ message_id: "r", text: "x", role: "assistant", replies: [], ...over });
    const tree = (replies: unknown[]) => ({
      message_tree_id: "t",
      prompt: { message_id: "p", text: "Q", role: "prompter", replies },
    });
    const got = issues(
      await collect(
        jsonl(
          tree([reply({}), reply({ rank: -1 })]),
          tree([reply({}), reply({ role: "prompter" })]),
          tree([reply({}), reply({ text: 3 })]),
          tree([reply({})]),
          { message_tree_id: "t", prompt: { message_id: "p", text: "Q", role: "assistant", replies: [] } },
        ),
        { format: "oasst" },
      ),
    );
    expect(got).toEqual([
      { line: 1, message: `"prompt.replies[1].rank" must be a whole number from 0 (the most preferred) or null` },
      { line: 2, message: `"prompt.replies[1].role" must alternate with its parent's ("user")` },
      { line: 3, message: `"prompt.replies[1].text" must be a string` },
      { line: 4, message: "the tree has no prompter message with two or more assistant replies to rank" },
      { line: 5, message: `"prompt.role" must be "prompter": a tree starts with the prompter's message` },
    ]);
  });

  it("refuses other shapes under format oasst", async () => {
    expect(issues(await collect(jsonl({ prompt: "Q" }), { format: "oasst" }))).toEqual([
      {
        line: 1,
        message: `format "oasst" expects a message tree: "prompt" a prompter message with "replies", but this line looks like a plain prompt (use format auto)`,
      },
    ]);
  });
});

describe("OASST tree import (database)", () => {
  it("writes the prompts with their candidates in rank order and the ranks as provenance", async () => {
    const project = await makeProject({ prompts: 0, candidates: 3 });
    const admin = await makeUser({ role: "admin" });
    const report = await importPrompts({
      projectId: project.id,
      actorId: admin.id,
      filename: "oasst.trees.jsonl",
      format: "oasst",
      open: () => Readable.from([FIXTURE]),
    });
    expect(report).toMatchObject({ status: "done", promptsAdded: 3 });
    const prompt = await t.db().prompt.findFirstOrThrow({
      where: { projectId: project.id, externalId: "m1" },
      include: { candidates: { orderBy: { position: "asc" } } },
    });
    expect(prompt.candidates.map((c) => [c.source, c.generationParams])).toEqual([
      ["imported", { oasst: { rank: 0, message_id: "m3" } }],
      ["imported", { oasst: { rank: 1, message_id: "m2" } }],
      ["imported", { oasst: { rank: 2, message_id: "m4" } }],
    ]);
  });
});
