// Tests of the import entry point on plain JSONL: shapes, line numbers, CRLF, gzip, auto-detection, errors.
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { formatIssue, parseImportFile } from "./parse-import-file";
import { collect, issues, items, jsonl } from "./test-support";

describe("parseImportFile, plain JSONL", () => {
  it("reads prompts, conversations, candidates, ids and metadata", async () => {
    const text = jsonl(
      { prompt: "Hi there", candidates: ["a", { text: "b" }], id: 7, metadata: { topic: "x" } },
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Q1" },
          { role: "assistant", content: "A1" },
          { role: "user", content: "Q2" },
        ],
        external_id: "ext-2",
      },
    );
    expect(await collect(text, { format: "jsonl" })).toEqual([
      {
        kind: "item",
        item: {
          line: 1,
          messages: [{ role: "user", content: "Hi there" }],
          candidates: ["a", "b"],
          externalId: "7",
          metadata: { topic: "x" },
        },
      },
      {
        kind: "item",
        item: {
          line: 2,
          messages: [
            { role: "system", content: "Be brief." },
            { role: "user", content: "Q1" },
            { role: "assistant", content: "A1" },
            { role: "user", content: "Q2" },
          ],
          candidates: [],
          externalId: "ext-2",
        },
      },
    ]);
  });

  it("skips blank lines but keeps editor line numbers, with CRLF endings and a BOM", async () => {
    const text = `\uFEFF{"prompt":"one"}\r\n\r\n   \r\n{"prompt":"two"}\r\n`;
    const got = items(await collect(text, { format: "auto" }));
    expect(got.map((i) => [i.line, i.messages[0]?.content])).toEqual([
      [1, "one"],
      [4, "two"],
    ]);
  });

  it("gunzips by magic bytes, whatever the file name", async () => {
    const text = jsonl({ prompt: "zipped é" }, { prompt: "second" });
    const got = items(await collect(text, { format: "auto", filename: "prompts.txt", gzip: true }));
    expect(got.map((i) => i.messages[0]?.content)).toEqual(["zipped é", "second"]);
  });

  it("accepts a Node readable stream", async () => {
    const got: unknown[] = [];
    for await (const r of parseImportFile(Readable.from([gzipSync('{"prompt":"p"}\n')]), { format: "jsonl" }))
      got.push(r);
    expect(got).toEqual([
      { kind: "item", item: { line: 1, messages: [{ role: "user", content: "p" }], candidates: [] } },
    ]);
  });

  it("reports each bad line with its line number and field, and goes on", async () => {
    const text = jsonl(
      { prompt: "ok" },
      "{not json",
      { prompt: "x", candidate: ["a"] },
      {
        messages: [
          { role: "user", content: "q" },
          { role: "bot", content: "a" },
          { role: "user", content: "q2" },
        ],
      },
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      },
      { prompt: "   " },
      { prompt: "x", candidates: ["a", " "] },
      { prompt: "x", candidates: "a" },
      { prompt: "x", messages: [] },
      { prompt: "x", id: "a", external_id: "b" },
      { prompt: "x", metadata: [1] },
      [1, 2],
      { text: "x" },
      { prompt: "x".repeat(200_001) },
      { prompt: "x", candidates: [{ text: "a", model: "m" }] },
    );
    const found = issues(await collect(text, { format: "auto" }));
    expect(found[0]?.message).toMatch(/^invalid JSON \(.+\)$/);
    expect(found).toEqual([
      { line: 2, message: found[0]?.message },
      { line: 3, message: 'unknown key "candidate" (did you mean "candidates"?)' },
      { line: 4, message: '"messages[1].role" must be one of system, user, assistant' },
      { line: 5, message: `the last turn of "messages" must be the user's, not the assistant's` },
      { line: 6, message: '"prompt" must not be empty' },
      { line: 7, message: '"candidates[1]" must not be empty' },
      { line: 8, message: '"candidates" must be an array of strings or of objects with "text"' },
      { line: 9, message: 'use either "prompt" or "messages", not both' },
      { line: 10, message: 'use either "id" or "external_id", not both' },
      { line: 11, message: '"metadata" must be an object' },
      { line: 12, message: "each line must be a JSON object" },
      { line: 13, message: 'cannot tell what this line is: expected "prompt", "messages", or "chosen" and "rejected"' },
      { line: 14, message: '"prompt" is longer than 200000 characters (200001)' },
      { line: 15, message: 'unknown key "candidates[0].model"' },
    ]);
  });

  it("formats an issue the way reports show it", () => {
    expect(formatIssue({ line: 7, message: '"prompt" must not be empty' })).toBe('line 7: "prompt" must not be empty');
  });

  it("auto-detects each line's shape on its own", async () => {
    const text = jsonl(
      { prompt: "plain" },
      { chosen: "\n\nHuman: hh\n\nAssistant: yes", rejected: "\n\nHuman: hh\n\nAssistant: no" },
      { prompt: "trl", chosen: "c", rejected: "r" },
    );
    const got = items(await collect(text, { format: "auto" }));
    expect(got.map((i) => [i.messages[0]?.content, i.candidates])).toEqual([
      ["plain", []],
      ["hh", ["yes", "no"]],
      ["trl", ["c", "r"]],
    ]);
  });

  it("rejects lines of another shape under an explicit format", async () => {
    const hh = { chosen: "\n\nHuman: q\n\nAssistant: a", rejected: "\n\nHuman: q\n\nAssistant: b" };
    const trl = { prompt: "q", chosen: "a", rejected: "b" };
    expect(issues(await collect(jsonl(hh, trl), { format: "jsonl" }))).toEqual([
      {
        line: 1,
        message:
          'format "jsonl" expects "prompt" or "messages", but this line looks like an HH-RLHF pair (use format auto)',
      },
      {
        line: 2,
        message:
          'format "jsonl" expects "prompt" or "messages", but this line looks like a TRL preference row (use format auto)',
      },
    ]);
    expect(issues(await collect(jsonl({ prompt: "q" }, trl), { format: "hh" })).map((i) => i.line)).toEqual([1, 2]);
    expect(issues(await collect(jsonl(hh, { prompt: "q" }), { format: "trl" }))[0]?.message).toMatch(
      /^format "trl" expects .*but this line looks like an HH-RLHF pair/,
    );
  });

  it("reports a corrupt gzip stream as an issue instead of throwing", async () => {
    const zipped = gzipSync(jsonl({ prompt: "a" }, { prompt: "b" }));
    const broken = Buffer.concat([zipped.subarray(0, 12), Buffer.from("garbage-garbage-garbage")]);
    const got = await collect(broken, { format: "auto" });
    const last = got.at(-1);
    expect(last?.kind).toBe("issue");
    expect(last?.kind === "issue" ? last.issue.message : "").toMatch(/^the file could not be read past this point/);
  });

  it("releases the upload stream when the caller stops early", async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `{"prompt":"p${i}"}\n`);
    for (const [format, header] of [
      ["jsonl", ""],
      ["csv", "prompt\n"],
    ] as const) {
      const input = Readable.from(
        [header, ...lines.map((l) => (format === "csv" ? `p${l.length}\n` : l))].map((t) => Buffer.from(t)),
      );
      for await (const r of parseImportFile(input, { format })) {
        expect(r.kind).toBe("item");
        break;
      }
      // Destruction travels through async iterators, so it lands a few ticks later.
      await vi.waitFor(() => expect(input.destroyed).toBe(true), { timeout: 2000 });
    }
  });

  it("yields nothing for an empty file", async () => {
    expect(await collect("", { format: "auto" })).toEqual([]);
  });
});
