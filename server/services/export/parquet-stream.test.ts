// Parquet output read back with an independent reader (hyparquet): values, nulls, JSON columns, row groups,
// and a clear error for a value that does not fit its column.
import { describe, expect, it } from "vitest";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { parquetChunks } from "./parquet-stream";
import type { TColumn } from "./export-columns";

function from<T>(xs: T[]): AsyncIterable<T> {
  return (async function* () {
    await Promise.resolve();
    yield* xs;
  })();
}

async function bytesOf(chunks: AsyncIterable<Uint8Array>): Promise<{ buf: ArrayBuffer; pieces: number }> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  const all = Buffer.concat(parts);
  return { buf: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength), pieces: parts.length };
}

const columns: TColumn[] = [
  { name: "s", kind: "text", doc: "" },
  { name: "n", kind: "text", nullable: true, doc: "" },
  { name: "j", kind: "json", doc: "" },
  { name: "b", kind: "bool", doc: "" },
  { name: "i", kind: "int", doc: "" },
  { name: "d", kind: "double", doc: "" },
];

describe("parquetChunks", () => {
  it("writes rows in bounded row groups that hyparquet reads back unchanged", async () => {
    const rows = Array.from({ length: 25 }, (_, k) => ({
      s: `row ${k} ✓`,
      n: k % 3 === 0 ? null : `n${k}`,
      j: k % 2 ? [{ role: "user", content: `q${k}` }] : `plain ${k}`,
      b: k % 2 === 0,
      i: k,
      d: k / 4,
    }));
    const { buf, pieces } = await bytesOf(parquetChunks(from(rows), columns, { rowGroupSize: 10 }));
    expect(pieces).toBe(3); // two full row groups streamed as they fill, then the last one with the footer
    const meta = parquetMetadata(buf);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([10, 10, 5]);
    const back = await parquetReadObjects({ file: buf });
    expect(back).toEqual(rows);
  });

  it("writes a readable file with no rows", async () => {
    const { buf } = await bytesOf(parquetChunks(from([]), columns));
    expect(await parquetReadObjects({ file: buf })).toEqual([]);
    expect(parquetMetadata(buf).schema.map((s) => s.name)).toEqual(["root", "s", "n", "j", "b", "i", "d"]);
  });

  it("names the row and column of a value that does not fit", async () => {
    const rows = [
      { s: "x", n: null, j: 1, b: true, i: 1, d: 1 },
      { s: "y", n: null, j: 1, b: "yes", i: 1, d: 1 },
    ];
    await expect(bytesOf(parquetChunks(from(rows), columns))).rejects.toThrow(
      'row 2: column "b" must be true or false, got "yes"',
    );
    await expect(bytesOf(parquetChunks(from([{ s: null }]), columns))).rejects.toThrow(
      'row 1: column "s" must be present',
    );
  });
});
