// Tests of the .safetensors reader and writer: hand-built bytes, round trips of every dtype, malformed files.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SafetensorsFile } from "./safetensors-read";
import { writeSafetensors } from "./safetensors-write";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-st-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A file from raw parts, as another writer would make it. */
function handBuilt(name: string, header: unknown, data: number[], pad = ""): string {
  const json = Buffer.from(JSON.stringify(header) + pad, "utf8");
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([len, json, Buffer.from(data)]));
  return file;
}

function withFile<T>(file: string, fn: (f: SafetensorsFile) => T): T {
  const f = SafetensorsFile.open(file);
  try {
    return fn(f);
  } finally {
    f.close();
  }
}

describe("SafetensorsFile reads another writer's bytes", () => {
  const file = handBuilt(
    "hand.safetensors",
    {
      __metadata__: { format: "pt" },
      half: { dtype: "F16", shape: [2], data_offsets: [0, 4] },
      brain: { dtype: "BF16", shape: [1, 2], data_offsets: [4, 8] },
      ids: { dtype: "I64", shape: [1], data_offsets: [8, 16] },
      f: { dtype: "F32", shape: [], data_offsets: [16, 20] },
      i: { dtype: "I32", shape: [1], data_offsets: [20, 24] },
      empty: { dtype: "F32", shape: [0, 3], data_offsets: [24, 24] },
    },
    [
      0x00, 0x3c, 0x00, 0xc0, 0x80, 0x3f, 0x49, 0x40, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x20,
      0x41, 0x07, 0x00, 0x00, 0x00,
    ],
    "   ",
  );
  it("parses shapes, dtypes, metadata and absolute offsets", () => {
    withFile(file, (f) => {
      expect(f.metadata).toEqual({ format: "pt" });
      expect([...f.entries.keys()]).toEqual(["half", "brain", "ids", "f", "i", "empty"]);
      const headerEnd = fs.statSync(file).size - 24; // the data section is the last 24 bytes
      expect(f.entry("brain")).toMatchObject({
        dtype: "BF16",
        shape: [1, 2],
        begin: headerEnd + 4,
        end: headerEnd + 8,
      });
    });
  });
  it("converts each dtype", () => {
    withFile(file, (f) => {
      expect([...f.readFloat32("half")]).toEqual([1, -2]);
      expect([...f.readFloat32("brain")]).toEqual([1, 3.140625]);
      expect([...f.readInt("ids")]).toEqual([-2n]);
      expect([...f.readFloat32("f")]).toEqual([10]);
      expect([...f.readInt("i")]).toEqual([7]);
      expect(f.readFloat32("empty")).toHaveLength(0);
      expect([...f.readBytes("half")]).toEqual([0x00, 0x3c, 0x00, 0xc0]);
    });
  });
  it("refuses to read a tensor as the wrong kind, an unknown name, or after close", () => {
    const f = SafetensorsFile.open(file);
    expect(() => f.readFloat32("ids")).toThrow("tensor 'ids' is I64, not a float tensor");
    expect(() => f.readInt("half")).toThrow("tensor 'half' is F16, not I32 or I64");
    expect(() => f.readFloat32("nope")).toThrow("no tensor 'nope'");
    f.close();
    expect(() => f.readFloat32("half")).toThrow("file is closed");
  });
});

describe("writeSafetensors", () => {
  const values = new Float32Array([0, -0, 1.5, -3.25, 65504, 1e-3, 3.140625, -7]);
  it("round-trips F32, F16, BF16 (exactly representable values), I32, I64 and metadata", () => {
    const file = path.join(dir, "round.safetensors");
    writeSafetensors(
      file,
      [
        { name: "w32", dtype: "F32", shape: [2, 4], data: values },
        {
          name: "w16",
          dtype: "F16",
          shape: [4, 2],
          data: new Float32Array([0, -0, 1.5, -3.25, 65504, 0.5, 2 ** -24, -7]),
        },
        {
          name: "wbf",
          dtype: "BF16",
          shape: [8],
          data: new Float32Array([0, -0, 1.5, -3.25, 65536, 3.140625, 1e30, -7]),
        },
        { name: "i32", dtype: "I32", shape: [3], data: new Int32Array([-1, 0, 2 ** 31 - 1]) },
        { name: "i64", dtype: "I64", shape: [2], data: new BigInt64Array([-(2n ** 63n), 2n ** 40n]) },
        { name: "scalar", dtype: "F32", shape: [], data: new Float32Array([Infinity]) },
      ],
      { format: "pt", step: "12" },
    );
    withFile(file, (f) => {
      expect(f.metadata).toEqual({ format: "pt", step: "12" });
      expect([...f.readFloat32("w32")]).toEqual([...values]);
      expect([...f.readFloat32("w16")]).toEqual([0, -0, 1.5, -3.25, 65504, 0.5, 2 ** -24, -7]);
      expect(Object.is(f.readFloat32("w16")[1], -0)).toBe(true);
      expect([...f.readFloat32("wbf")]).toEqual([0, -0, 1.5, -3.25, 65536, 3.140625, 1.0002555517425873e30, -7]);
      expect([...f.readInt("i32")]).toEqual([-1, 0, 2 ** 31 - 1]);
      expect([...f.readInt("i64")]).toEqual([-(2n ** 63n), 2n ** 40n]);
      expect([...f.readFloat32("scalar")]).toEqual([Infinity]);
      expect(f.entry("w16").shape).toEqual([4, 2]);
    });
  });
  it("lays the file out as the format says: u64 LE length, space-padded JSON, data 8-byte aligned, larger items first", () => {
    const file = path.join(dir, "layout.safetensors");
    writeSafetensors(file, [
      { name: "b", dtype: "BF16", shape: [1], data: new Float32Array([1]) },
      { name: "a", dtype: "F32", shape: [1], data: new Float32Array([1]) },
    ]);
    const bytes = fs.readFileSync(file);
    const n = Number(bytes.readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const header = bytes.subarray(8, 8 + n).toString("utf8");
    expect(header.trimEnd()).toBe(
      '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}',
    );
    expect([...bytes.subarray(8 + n)]).toEqual([0x00, 0x00, 0x80, 0x3f, 0x80, 0x3f]);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".tmp-"))).toEqual([]);
  });
  it("rejects a data length that does not match the shape, and duplicate names", () => {
    const file = path.join(dir, "bad.safetensors");
    expect(() =>
      writeSafetensors(file, [{ name: "x", dtype: "F32", shape: [2, 2], data: new Float32Array(3) }]),
    ).toThrow("tensor 'x' has 3 values for shape [2, 2]");
    const t = { name: "x", dtype: "F32", shape: [1], data: new Float32Array(1) } as const;
    expect(() => writeSafetensors(file, [t, t])).toThrow("duplicate or reserved tensor name 'x'");
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe("SafetensorsFile rejects malformed files", () => {
  const entry = (dtype: string, shape: number[], offsets: [number, number]) => ({
    dtype,
    shape,
    data_offsets: offsets,
  });
  it.each<[string, unknown, number[], string]>([
    [
      "a gap between tensors",
      { a: entry("F32", [1], [0, 4]), b: entry("F32", [1], [8, 12]) },
      new Array(12).fill(0),
      "tensor 'b' starts at byte",
    ],
    [
      "overlapping tensors",
      { a: entry("F32", [2], [0, 8]), b: entry("F32", [1], [4, 8]) },
      new Array(8).fill(0),
      "gap or overlap",
    ],
    ["trailing bytes", { a: entry("F32", [1], [0, 4]) }, new Array(6).fill(0), "tensors end at byte"],
    ["a truncated data section", { a: entry("F32", [4], [0, 16]) }, new Array(8).fill(0), "tensors end at byte"],
    [
      "a size that disagrees with the shape",
      { a: entry("F32", [3], [0, 8]) },
      new Array(8).fill(0),
      "tensor 'a' (F32 [3]) spans 8 bytes",
    ],
    ["an unknown dtype", { a: entry("F7", [1], [0, 1]) }, [0], "tensor 'a' has unknown dtype 'F7'"],
    ["a negative dimension", { a: entry("F32", [-1], [0, 0]) }, [], "bad header entry for 'a'"],
    ["non-string metadata", { __metadata__: { step: 3 } }, [], "__metadata__ must map strings to strings"],
    ["a header that is not an object", [1, 2], [], "header is not a JSON object"],
  ])("%s", (label, header, data, message) => {
    const file = handBuilt(`bad-${label.replaceAll(" ", "-")}.safetensors`, header, data);
    expect(() => SafetensorsFile.open(file)).toThrow(message);
  });
  it("a header length past the end of the file, and a file too short to have one", () => {
    const file = path.join(dir, "short.safetensors");
    fs.writeFileSync(file, Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0x7b, 0x7d]));
    expect(() => SafetensorsFile.open(file)).toThrow("header length 255 does not fit a file of 10 bytes");
    fs.writeFileSync(file, Buffer.from([1, 2]));
    expect(() => SafetensorsFile.open(file)).toThrow("not a safetensors file (2 bytes)");
  });
  it("a header that is not JSON", () => {
    const file = path.join(dir, "notjson.safetensors");
    fs.writeFileSync(file, Buffer.concat([Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]), Buffer.from("{x}")]));
    expect(() => SafetensorsFile.open(file)).toThrow("header is not UTF-8 JSON");
  });
});
