// Splits a JSON export into its records without holding the file in memory: a JSON array of objects (Label
// Studio's and Argilla's exports) or objects one after the other (JSONL). Each record's bytes come with its
// 1-based number and the line it starts on; no parsing of the records' content.
import { formatBytes, ImportLimitError } from "./import-limits";

export type TJsonRecord = { index: number; line: number; bytes: Buffer };

const NL = 0x0a;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const BOM = [0xef, 0xbb, 0xbf];

/**
 * `what` names a record in messages ("task", "record"). A structural problem (not an array of objects, a record
 * cut off, one longer than `maxRecordBytes`) stops reading with an ImportLimitError at its line.
 */
export async function* jsonRecords(
  bytes: AsyncIterable<Buffer>,
  opts: { maxRecordBytes: number; what: string },
): AsyncGenerator<TJsonRecord> {
  const { what } = opts;
  let line = 1;
  let offset = 0; // bytes seen, for the byte-order mark
  let mode: "start" | "array" | "stream" | "end" = "start";
  let expectComma = false;
  let inRecord = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let index = 0;
  let recordLine = 0;
  const stop = (message: string): never => {
    throw new ImportLimitError(message, line);
  };
  const tooLong = () =>
    stop(
      `${what} ${index} is longer than the limit of ${formatBytes(opts.maxRecordBytes)} (IMPORT_MAX_LINE_BYTES); reading stopped here`,
    );
  for await (const chunk of bytes) {
    let start = inRecord ? 0 : -1;
    for (let i = 0; i < chunk.length; i++, offset++) {
      const c = chunk[i]!;
      if (c === NL) line++;
      if (inRecord) {
        if (inString) {
          if (escaped) escaped = false;
          else if (c === 0x5c) escaped = true;
          else if (c === 0x22) inString = false;
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if ((c === 0x7d || c === 0x5d) && --depth === 0) {
          const tail = chunk.subarray(start, i + 1);
          if (partBytes + tail.length > opts.maxRecordBytes) tooLong();
          yield { index, line: recordLine, bytes: parts.length ? Buffer.concat([...parts, tail]) : tail };
          parts = [];
          partBytes = 0;
          inRecord = false;
          start = -1;
          if (mode === "array") expectComma = true;
        }
        continue;
      }
      if (isSpace(c) || (offset < 3 && c === BOM[offset])) continue;
      const begin = () => {
        inRecord = true;
        depth = 1;
        inString = false;
        escaped = false;
        index++;
        recordLine = line;
        start = i;
      };
      if (mode === "start") {
        if (c === 0x5b) mode = "array";
        else if (c === 0x7b) {
          mode = "stream";
          begin();
        } else stop(`the file must be a JSON array of ${what}s, or one ${what} object per line`);
      } else if (mode === "array") {
        if (expectComma) {
          if (c === 0x2c) expectComma = false;
          else if (c === 0x5d) mode = "end";
          else stop(`expected "," or "]" after ${what} ${index}`);
        } else if (c === 0x7b) begin();
        else if (c === 0x5d && index === 0) mode = "end";
        else stop(`${what} ${index + 1} must be a JSON object`);
      } else if (mode === "stream") {
        if (c === 0x7b) begin();
        else stop(`expected a JSON object (one ${what} per line) after ${what} ${index}`);
      } else stop(`unexpected text after the array's closing "]"`);
    }
    if (inRecord) {
      const rest = chunk.subarray(start);
      partBytes += rest.length;
      if (partBytes > opts.maxRecordBytes) tooLong();
      parts.push(rest);
    }
  }
  if (inRecord) stop(`${what} ${index} is cut off: the file ends inside it`);
  if (mode === "array") stop(`the file ends before the array's closing "]"`);
}
