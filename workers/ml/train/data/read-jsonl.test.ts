// Tests of the JSONL reader: line numbers, blank lines, CRLF and BOM, gzip, invalid JSON, early stop, zod issues.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { JsonlError, parseJsonlText, parseRow, readJsonl, streamJsonl } from "./read-jsonl";
import { tempFiles } from "./test-helpers";

const tmp = tempFiles("prefloop-jsonl-");
afterAll(() => tmp.remove());

describe("readJsonl", () => {
  it("numbers rows by their 1-based line, skipping blank lines but counting them", async () => {
    const file = tmp.write("a.jsonl", '{"a":1}\n\n   \n{"a":2}\n[3]\n');
    expect(await readJsonl(file)).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
      { line: 5, value: [3] },
    ]);
  });

  it("reads CRLF line ends, a byte order mark and a last line without newline", async () => {
    const file = tmp.write("crlf.jsonl", '\uFEFF{"a":"x"}\r\n\r\n{"a":"y"}');
    expect(await readJsonl(file)).toEqual([
      { line: 1, value: { a: "x" } },
      { line: 3, value: { a: "y" } },
    ]);
  });

  it("reads gzip when the name ends in .gz", async () => {
    const file = tmp.write("z.jsonl.gz", [{ text: "a" }, { text: "b" }]);
    expect(await readJsonl(file)).toEqual([
      { line: 1, value: { text: "a" } },
      { line: 2, value: { text: "b" } },
    ]);
  });

  it("names the file and line of invalid JSON", async () => {
    const file = tmp.write("bad.jsonl", '{"a":1}\n\n{"a":\n');
    const err = await readJsonl(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JsonlError);
    expect((err as JsonlError).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: invalid JSON \\(`));
    expect([(err as JsonlError).file, (err as JsonlError).line]).toEqual([file, 3]);
  });

  it("fails on a missing file and on a corrupt gzip file", async () => {
    await expect(readJsonl(`${tmp.dir}/none.jsonl`)).rejects.toThrow(/none\.jsonl: cannot read/);
    const corrupt = path.join(tmp.dir, "corrupt.jsonl.gz");
    fs.writeFileSync(corrupt, "this is not gzip\n"); // tmp.write would gzip it
    await expect(readJsonl(corrupt)).rejects.toThrow(/corrupt\.jsonl\.gz: .*(header|gzip)/i);
  });

  it("streams: a consumer may stop early", async () => {
    const file = tmp.write("many.jsonl", Array.from({ length: 1000 }, (_, i) => ({ i })));
    const seen: number[] = [];
    for await (const row of streamJsonl(file)) {
      seen.push(row.line);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe("parseJsonlText and parseRow", () => {
  it("parses text in memory with the same line rules", () => {
    expect(parseJsonlText('1\r\n\n"x"\n')).toEqual([
      { line: 1, value: 1 },
      { line: 3, value: "x" },
    ]);
    expect(() => parseJsonlText("1\n{", "mem.jsonl")).toThrow(/^mem\.jsonl:2: invalid JSON/);
  });

  it("checks a row against a zod schema and names every issue with its path", () => {
    const ZRow = z.object({ prompt: z.string(), n: z.number() });
    expect(parseRow(ZRow, { line: 4, value: { prompt: "p", n: 1 } }, "f.jsonl")).toEqual({ prompt: "p", n: 1 });
    expect(() => parseRow(ZRow, { line: 12, value: { prompt: 3 } }, "f.jsonl")).toThrow(
      /^f\.jsonl:12: prompt: Invalid input: expected string, received number; n: Invalid input: expected number, received undefined$/,
    );
  });
});
