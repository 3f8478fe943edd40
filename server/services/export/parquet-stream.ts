// Writes rows (objects) as a Parquet file, streamed: rows are gathered into bounded row groups, and each row
// group's bytes are handed on as soon as it is encoded, so memory holds one row group, never the file.
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import type { SchemaElement } from "hyparquet";
import type { TColumn } from "./export-columns";

export const PARQUET_ROW_GROUP = 5000;

function schemaOf(columns: TColumn[]): SchemaElement[] {
  const leaf = (c: TColumn): SchemaElement => {
    const repetition_type = c.nullable ? "OPTIONAL" : "REQUIRED";
    switch (c.kind) {
      case "text":
        return { name: c.name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type };
      case "json":
        return { name: c.name, type: "BYTE_ARRAY", converted_type: "JSON", repetition_type };
      case "bool":
        return { name: c.name, type: "BOOLEAN", repetition_type };
      case "int":
        return { name: c.name, type: "INT32", repetition_type };
      case "double":
        return { name: c.name, type: "DOUBLE", repetition_type };
    }
  };
  return [{ name: "root", num_children: columns.length }, ...columns.map(leaf)];
}

/** Checks each value against its column, so a wrong row fails with its number and column, not inside the writer. */
function cell(c: TColumn, row: Record<string, unknown>, n: number): unknown {
  const v = row[c.name];
  const bad = (want: string) => new Error(`row ${n}: column "${c.name}" must be ${want}, got ${JSON.stringify(v)}`);
  if (v === null || v === undefined) {
    if (c.nullable) return null;
    throw bad("present");
  }
  if (c.kind === "text" && typeof v !== "string") throw bad("a string");
  if (c.kind === "bool" && typeof v !== "boolean") throw bad("true or false");
  if (c.kind === "int" && !Number.isInteger(v)) throw bad("an integer");
  if (c.kind === "double" && typeof v !== "number") throw bad("a number");
  return v;
}

export async function* parquetChunks(
  rows: AsyncIterable<Record<string, unknown>>,
  columns: TColumn[],
  opts: { rowGroupSize?: number; kvMetadata?: { key: string; value: string }[] } = {},
): AsyncGenerator<Uint8Array> {
  const size = opts.rowGroupSize ?? PARQUET_ROW_GROUP;
  const writer = new ByteWriter();
  const pq = new ParquetWriter({
    writer,
    schema: schemaOf(columns),
    kvMetadata: opts.kvMetadata,
    createdBy: "prefloop",
  });
  const take = () => {
    const bytes = writer.getBytes().slice();
    writer.index = 0; // offsets inside the file are counted by writer.offset, which keeps running
    return bytes;
  };
  let batch: unknown[][] = columns.map(() => []);
  let count = 0;
  let n = 0;
  const flush = async () => {
    await pq.write({ columnData: columns.map((c, i) => ({ name: c.name, data: batch[i]! })), rowGroupSize: size });
    batch = columns.map(() => []);
    count = 0;
  };
  for await (const row of rows) {
    n++;
    columns.forEach((c, i) => batch[i]!.push(cell(c, row, n)));
    if (++count >= size) {
      await flush();
      yield take();
    }
  }
  if (count > 0) await flush();
  await pq.finish();
  yield take();
}
