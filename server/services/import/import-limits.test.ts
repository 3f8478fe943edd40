// Hostile files: caps on decompressed bytes, line length and nesting hold while streaming, with errors
// that name the limit and the line; invalid UTF-8 is refused with its line, never replaced.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseImportFile, type TParsed } from "./parse-import-file";
import { chunked, issues, items } from "./test-support";
import type { TImportLimits } from "./import-limits";

const LIMITS: TImportLimits = { maxBytes: 64 * 1024, maxLineBytes: 1024, maxDepth: 8 };

async function parse(data: Buffer, opts: { filename?: string; limits?: Partial<TImportLimits> } = {}) {
  const out: TParsed[] = [];
  const limits = { ...LIMITS, ...opts.limits };
  for await (const r of parseImportFile(chunked(data, 4096), {
    format: "auto",
    filename: opts.filename ?? "x.jsonl",
    limits,
  }))
    out.push(r);
  return out;
}
const row = (i: number) => JSON.stringify({ prompt: `q${i}`, candidates: ["a", "b"] });

describe("import limits", () => {
  it("stops a gzip bomb at the decompressed-bytes cap, naming the limit", async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x61)); // 50 MiB of "a", no line break, ~50 KB gzipped
    const before = process.memoryUsage().rss;
    const out = await parse(bomb, { limits: { maxLineBytes: 1024 ** 3 } });
    expect(issues(out)).toEqual([
      {
        line: 1,
        message:
          "once decompressed, the file is larger than the import limit of 64 KiB (IMPORT_MAX_BYTES); split the file or raise the limit",
      },
    ]);
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it("keeps the rows before the cap and reports where it stopped", async () => {
    const text = Array.from({ length: 2000 }, (_, i) => row(i)).join("\n");
    const out = await parse(Buffer.from(text));
    expect(items(out).length).toBeGreaterThan(100);
    expect(issues(out)).toHaveLength(1);
    expect(issues(out)[0]!.message).toMatch(/IMPORT_MAX_BYTES/);
    expect(issues(out)[0]!.line).toBe(items(out).length + 1);
  });

  it("refuses a line longer than the cap, without reading it whole", async () => {
    const long = Buffer.concat([Buffer.from(row(1) + "\n"), Buffer.alloc(10_000, 0x61), Buffer.from("\n" + row(3))]);
    const out = await parse(long);
    expect(items(out).map((i) => i.line)).toEqual([1]);
    expect(issues(out)).toEqual([
      { line: 2, message: "line 2 is longer than the limit of 1 KiB (IMPORT_MAX_LINE_BYTES); reading stopped here" },
    ]);
  });

  it("refuses a CSV record or line over the cap", async () => {
    const csv = Buffer.from(`prompt,candidate_1,candidate_2\nhello,a,b\n"${"x".repeat(5000)}",a,b\n`);
    const out = await parse(csv, { filename: "x.csv" });
    expect(items(out)).toHaveLength(1);
    expect(issues(out)[0]?.line).toBe(3);
    expect(issues(out)[0]?.message).toContain("IMPORT_MAX_LINE_BYTES");
  });

  it("refuses invalid UTF-8 with the line number (JSONL: that line; CSV: reading stops there)", async () => {
    const bad = Buffer.concat([
      Buffer.from(row(1) + "\n" + '{"prompt": "caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n' + row(3)),
    ]);
    const out = await parse(bad);
    expect(items(out).map((i) => i.line)).toEqual([1, 3]);
    expect(issues(out)).toEqual([{ line: 2, message: "the line is not valid UTF-8 text (save the file as UTF-8)" }]);
    expect(JSON.stringify(out)).not.toContain("\uFFFD");

    const csv = Buffer.concat([
      Buffer.from("prompt,candidate_1,candidate_2\nok,a,b\nna"),
      Buffer.from([0xff]),
      Buffer.from("ve,a,b\n"),
    ]);
    const csvOut = await parse(csv, { filename: "x.csv" });
    expect(items(csvOut)).toHaveLength(1);
    expect(issues(csvOut)[0]?.line).toBe(3);
    expect(issues(csvOut)[0]?.message).toContain("not valid UTF-8");
  });

  it("refuses metadata nested deeper than the limit with a line-numbered error, not a stack overflow", async () => {
    const deep = JSON.stringify({ prompt: "q", metadata: { a: "[[[[ in a string ]]]]" } });
    const bomb = `{"prompt": "q", "metadata": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const out = await parse(Buffer.from([deep, bomb].join("\n")), {
      limits: { maxLineBytes: 1024 ** 2, maxBytes: 1024 ** 2 },
    });
    expect(items(out).map((i) => i.line)).toEqual([1]);
    expect(issues(out)).toEqual([
      { line: 2, message: "the row is nested 100001 levels deep; at most 8 are allowed (IMPORT_MAX_DEPTH)" },
    ]);
  });
});
