// A model version's download, read back: the .tar the download route streams holds the version's checkpoint
// files under a folder named after it, and the engine loads the extracted folder to the same outputs as the
// original. Folders outside PREFLOOP_MODELS_DIR (directly, by `..` or through a symbolic link) are refused, links
// inside one are left out, and the built-in model is not offered.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDb } from "../../server/test/test-db";
import { getVersionArchive } from "../../server/services/models/version-archive";
import { tarChunks } from "../../server/services/models/tar-stream";
import { leftPadBatch, loadModel } from "../ml/model";
import { policyDir } from "../generation/generate-job";

const t = useTestDb();
const modelsDir = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-archive-"));
const outside = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-outside-"));
beforeAll(() => void (process.env.PREFLOOP_MODELS_DIR = modelsDir));
afterAll(() => {
  fs.rmSync(modelsDir, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

/** A ustar reader written from the format's definition (checksum checked), independent of the writer. */
function untar(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let at = 0;
  for (;;) {
    const h = buf.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const field = (o: number, n: number) =>
      h
        .subarray(o, o + n)
        .toString("ascii")
        .replace(/\0.*$/s, "");
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
    expect(parseInt(field(148, 8).trim(), 8), `checksum of the header at ${at}`).toBe(sum);
    expect(field(257, 6)).toBe("ustar");
    expect(field(156, 1)).toBe("0");
    const size = parseInt(field(124, 12), 8);
    files.set(field(0, 100), buf.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  expect(buf.length - at).toBe(1024); // the end: two zero blocks
  return files;
}

async function archiveOf(versionId: string): Promise<Map<string, Buffer>> {
  const chunks: Buffer[] = [];
  for await (const c of tarChunks((await getVersionArchive({ versionId })).entries)) chunks.push(Buffer.from(c));
  return untar(Buffer.concat(chunks));
}

const makeVersion = (name: string, p: string, kind = "policy") =>
  t.db().modelVersion.create({ data: { name, kind, path: p } });

describe("model version download", () => {
  it("streams the checkpoint folder as a tar that the engine loads to the same outputs", async () => {
    const src = policyDir("builtin:house");
    const dir = path.join(modelsDir, "house-copy", "model");
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(src)) fs.copyFileSync(path.join(src, f), path.join(dir, f));
    fs.mkdirSync(path.join(dir, "checkpoint-1")); // not part of the checkpoint
    fs.writeFileSync(path.join(outside, "secret.txt"), "not for download");
    fs.symlinkSync(path.join(outside, "secret.txt"), path.join(dir, "special_tokens_map.json"));
    const v = await makeVersion("proj-round-1", dir);
    const files = await archiveOf(v.id);
    expect([...files.keys()].sort()).toEqual(
      ["config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"].map(
        (f) => `proj-round-1/${f}`,
      ),
    );
    const back = fs.mkdtempSync(path.join(outside, "back-"));
    for (const [name, bytes] of files) {
      fs.mkdirSync(path.dirname(path.join(back, name)), { recursive: true });
      fs.writeFileSync(path.join(back, name), bytes);
    }
    const original = loadModel(src, { session: { intraOpThreads: 1 } });
    const loaded = loadModel(path.join(back, "proj-round-1"), { session: { intraOpThreads: 1 } });
    try {
      expect(loaded.tokenizer?.encode("What is 3 plus 4?")).toEqual(original.tokenizer?.encode("What is 3 plus 4?"));
      const ids = original.tokenizer!.encode("What is 3 plus 4?");
      const batch = leftPadBatch([ids], 0);
      expect(Array.from(await loaded.reward(batch))).toEqual(Array.from(await original.reward(batch)));
      const out = await loaded.decode(batch, null);
      const want = await original.decode(batch, null);
      expect(Buffer.from(out.logits.data.buffer).equals(Buffer.from(want.logits.data.buffer))).toBe(true);
    } finally {
      await loaded.dispose();
      await original.dispose();
    }
  });

  it("streams a PEFT adapter folder as adapter_config.json and adapter_model.safetensors", async () => {
    const dir = path.join(modelsDir, "adapter-run");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "adapter_config.json"), JSON.stringify({ peft_type: "LORA", r: 2 }));
    fs.writeFileSync(path.join(dir, "adapter_model.safetensors"), Buffer.alloc(1000, 7));
    fs.writeFileSync(path.join(dir, "metrics.jsonl"), "{}\n");
    const v = await makeVersion("proj-round-2", dir);
    const files = await archiveOf(v.id);
    expect([...files.keys()].sort()).toEqual([
      "proj-round-2/adapter_config.json",
      "proj-round-2/adapter_model.safetensors",
    ]);
    expect(files.get("proj-round-2/adapter_model.safetensors")).toEqual(Buffer.alloc(1000, 7));
  });

  it("refuses folders outside PREFLOOP_MODELS_DIR, by path, by .. or through a link, and the built-in model", async () => {
    fs.writeFileSync(path.join(outside, "config.json"), "{}");
    fs.writeFileSync(path.join(outside, "model.safetensors"), "x");
    fs.symlinkSync(outside, path.join(modelsDir, "linked"));
    for (const [i, p] of [
      outside,
      path.join(modelsDir, "..", path.basename(outside)),
      path.join(modelsDir, "linked"),
      modelsDir,
    ].entries()) {
      const v = await makeVersion(`outside-${i}`, p);
      await expect(getVersionArchive({ versionId: v.id }), p).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const builtin = await makeVersion("house-builtin", "builtin:house");
    await expect(getVersionArchive({ versionId: builtin.id })).rejects.toMatchObject({ code: "CONFLICT" });
    const gone = await makeVersion("gone", path.join(modelsDir, "missing"));
    await expect(getVersionArchive({ versionId: gone.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(getVersionArchive({ versionId: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
