// Tests of HH-RLHF import: turn splitting, irregular transcripts, issues, and the exact round trip on the real file.
import { hhHarmlessTestFile } from "../../test/shared-data";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { describe, expect, it } from "vitest";
import { hhRow as renderRow } from "../export/format-hh";
import { parseImportFile } from "./parse-import-file";
import { collect, issues, items, jsonl } from "./test-support";

const H = "\n\nHuman: ";
const A = "\n\nAssistant: ";

async function one(chosen: string, rejected: string) {
  return collect(jsonl({ chosen, rejected }), { format: "hh" });
}

describe("HH-RLHF import", () => {
  it("splits the shared conversation into turns and keeps the two final replies, chosen first and marked so", async () => {
    const prompt = `${H}Hi${A}Hello!${H}How are you?`;
    expect(await one(`${prompt}${A}Fine.`, `${prompt}${A}Go away.`)).toEqual([
      {
        kind: "item",
        item: {
          line: 1,
          messages: [
            { role: "user", content: "Hi" },
            { role: "assistant", content: "Hello!" },
            { role: "user", content: "How are you?" },
          ],
          candidates: ["Fine.", "Go away."],
          candidateMetadata: [{ hh: "chosen" }, { hh: "rejected" }],
        },
      },
    ]);
  });

  it("keeps irregular whitespace, empty replies, speaker-like text in replies and identical pairs exactly", async () => {
    const cases: [string, string][] = [
      [`${H} two spaces ${A}\n${H}q${A}`, `${H} two spaces ${A}\n${H}q${A}Ok`],
      [`${H}q${A}Sure. Human: and${A} more${H}x`, `${H}q${A}No.`],
      [`${H}q${A}a${A}b${H}q2${A}r1`, `${H}q${A}a${A}b${H}q2${A}r2`],
      [`${H}q\n\n\n${A}same`, `${H}q\n\n\n${A}same`],
      [`${H}${A}x`, `${H}${A}y`],
    ];
    const got = items(
      await collect(jsonl(...cases.map(([chosen, rejected]) => ({ chosen, rejected }))), { format: "auto" }),
    );
    expect(got).toHaveLength(cases.length);
    got.forEach((item, i) => {
      const [chosen, rejected] = cases[i]!;
      expect(renderRow(item.messages, item.candidates[0]!, item.candidates[1]!)).toEqual({ chosen, rejected });
    });
    expect(got[0]?.candidates).toEqual(["", "Ok"]);
    expect(got[1]?.candidates).toEqual([`Sure. Human: and${A} more${H}x`, "No."]);
    expect(got[2]?.messages.map((m) => m.role)).toEqual(["user", "assistant", "assistant", "user"]);
  });

  it("reports transcripts it cannot represent exactly, with the reason", async () => {
    const results = await collect(
      jsonl(
        { chosen: `Human: q${A}a`, rejected: `Human: q${A}b` },
        { chosen: `${H}q${A}a`, rejected: `${H}different${A}b` },
        { chosen: `${H}q\n\nAssistant:`, rejected: `${H}q${A}b` },
        { chosen: `${H}q${A}a${H}x1`, rejected: `${H}q${A}a${H}x2` },
        { chosen: `${H}q${A}a${A}x`, rejected: `${H}q${A}a${A}y` },
        { chosen: `${A}a`, rejected: `${A}b` },
        { chosen: `${H}q${A}a`, rejected: 5 },
        { chosen: `${H}q${A}a`, rejected: `${H}q${A}b`, score: 1 },
      ),
      { format: "hh" },
    );
    expect(issues(results)).toEqual([
      { line: 1, message: '"chosen" must start with "\\n\\nHuman: " (it starts with "Human: q")' },
      { line: 2, message: '"chosen" and "rejected" do not share a conversation followed by "\\n\\nAssistant: "' },
      {
        line: 3,
        message:
          'the last "\\n\\nAssistant:" tag both transcripts share is not followed by a space in both, so the reply could not be written back exactly',
      },
      {
        line: 4,
        message:
          'cannot tell where the final Assistant reply starts: both replies begin with "a\\n\\nHuman: x", which contains a speaker tag',
      },
      { line: 5, message: "the final Assistant reply must follow a Human turn, but it follows an Assistant turn" },
      { line: 6, message: '"chosen" has no Human turn before the final Assistant reply' },
      { line: 7, message: '"rejected" must be a string' },
      { line: 8, message: 'unknown key "score"' },
    ]);
  });

  it("parses every line of the real harmless-base test file and renders each back exactly", async () => {
    const file = hhHarmlessTestFile();
    const originals: string[] = [];
    for await (const line of createInterface({
      input: createReadStream(file).pipe(createGunzip()),
      crlfDelay: Infinity,
    })) {
      originals.push(line);
    }
    expect(originals).toHaveLength(2312);
    let roundTrips = 0;
    const problems: string[] = [];
    for await (const r of parseImportFile(createReadStream(file), {
      format: "auto",
      filename: "harmless-base-test.jsonl.gz",
    })) {
      if (r.kind === "issue") {
        problems.push(`line ${r.issue.line}: ${r.issue.message}`);
        continue;
      }
      const { line, messages, candidates } = r.item;
      expect(candidates).toHaveLength(2);
      expect(messages.at(-1)?.role).toBe("user");
      expect(renderRow(messages, candidates[0]!, candidates[1]!), `line ${line}`).toEqual(
        JSON.parse(originals[line - 1]!),
      );
      roundTrips++;
    }
    expect(problems).toEqual([]);
    expect(roundTrips).toBe(2312);
  });
});
