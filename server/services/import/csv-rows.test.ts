// Tests of CSV import: header rules, candidate columns, metadata, multi-line quoted cells and record line numbers.
import { describe, expect, it } from "vitest";
import { collect, issues, items } from "./test-support";

describe("parseImportFile, CSV", () => {
  it("reads prompts, contiguous candidates, ids and other columns as metadata", async () => {
    const csv = [
      "candidate_02,prompt,candidate_1,candidate_3,id,topic",
      "hey,Hello?,hi,,p-1,greeting",
      ",Bye?,,,,",
    ].join("\n");
    expect(await collect(csv, { format: "csv" })).toEqual([
      {
        kind: "item",
        item: {
          line: 2,
          messages: [{ role: "user", content: "Hello?" }],
          candidates: ["hi", "hey"],
          externalId: "p-1",
          metadata: { topic: "greeting" },
        },
      },
      { kind: "item", item: { line: 3, messages: [{ role: "user", content: "Bye?" }], candidates: [] } },
    ]);
  });

  it("keeps multi-line quoted cells and numbers records by the line they start on (LF and CRLF)", async () => {
    for (const nl of ["\n", "\r\n"]) {
      const csv = [
        "external_id,prompt,candidate_1",
        `a,"line one${nl}line ""two""",x`,
        "",
        `b,"p${nl}${nl}q",y`,
        "c,plain,z",
        "",
      ].join(nl);
      const got = items(await collect(csv, { format: "auto", filename: "prompts.CSV" }));
      expect(got.map((i) => [i.line, i.externalId, i.messages[0]?.content, i.candidates])).toEqual([
        [2, "a", `line one${nl}line "two"`, ["x"]],
        [5, "b", `p${nl}${nl}q`, ["y"]],
        [8, "c", "plain", ["z"]],
      ]);
    }
  });

  it("detects .csv.gz by name and gunzips it", async () => {
    const got = items(await collect("prompt\nzipped\n", { format: "auto", filename: "p.csv.gz", gzip: true }));
    expect(got.map((i) => i.messages[0]?.content)).toEqual(["zipped"]);
  });

  it("reports record errors with their line and goes on", async () => {
    const csv = ["prompt,candidate_1,candidate_2", "ok,a,b", ",a,b", "gap,,b", "short,a", "fine,a,"].join("\n");
    const got = await collect(csv, { format: "csv" });
    expect(issues(got)).toEqual([
      { line: 3, message: '"prompt" must not be empty' },
      { line: 4, message: '"candidate_1" is empty, but a later candidate is set' },
      { line: 5, message: "the record has 2 cells, but the header has 3 columns" },
    ]);
    expect(items(got).map((i) => i.line)).toEqual([2, 6]);
  });

  it("stops at a bad header with one issue on line 1", async () => {
    expect(issues(await collect("question,candidate_1\nq,a\n", { format: "csv" }))).toEqual([
      { line: 1, message: 'the header has no "prompt" column (found: question, candidate_1)' },
    ]);
    expect(issues(await collect("prompt,candidate_1,candidate_3\nq,a,b\n", { format: "csv" }))).toEqual([
      {
        line: 1,
        message: 'candidate columns must be numbered candidate_1, candidate_2, … without gaps (missing "candidate_2")',
      },
    ]);
    expect(issues(await collect("prompt,topic,topic\n", { format: "csv" }))).toEqual([
      { line: 1, message: 'column "topic" appears twice in the header' },
    ]);
    expect(issues(await collect("", { format: "csv" }))).toEqual([
      { line: 1, message: "the file is empty: a header row is required" },
    ]);
  });

  it("reports broken quoting where the broken record starts", async () => {
    const got = await collect('prompt\nfine\n"never closed\nmore\n', { format: "csv" });
    expect(items(got).map((i) => i.line)).toEqual([2]);
    const found = issues(got);
    expect(found[0]?.message).toMatch(/^invalid CSV, reading stopped here \(Quote Not Closed.*\)$/);
    expect(found).toEqual([{ line: 3, message: found[0]?.message }]);
  });

  it("keeps every record before a quote error, however many, and counts CRLF lines right", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `"p${i}\r\nx",a`);
    const csv = ["prompt,candidate_1", ...rows, 'bad "quote",a', "after,a"].join("\r\n");
    const got = await collect(csv, { format: "csv" });
    expect(items(got).map((i) => i.line)).toEqual(rows.map((_, i) => 2 + 2 * i));
    const found = issues(got);
    expect(found[0]?.message).toMatch(/^invalid CSV, reading stopped here \(Invalid Opening Quote/);
    expect(found).toEqual([{ line: 82, message: found[0]?.message }]);
    expect(issues(got)[0]?.message).not.toMatch(/at line/);
  });
});
