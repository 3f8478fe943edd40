// Writes a serialized model (and its external-data side file) to disk; not serialization itself.
import { open, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Graph } from "../ir";
import { serializeModel, type SerializeOptions } from "./serialize";

export interface WrittenModel {
  readonly modelPath: string;
  /** Set when weights went to an external-data file beside the model. */
  readonly dataPath?: string;
  readonly modelBytes: number;
}

export async function writeModel(g: Graph, modelPath: string, o: SerializeOptions = {}): Promise<WrittenModel> {
  const s = serializeModel(g, { externalDataLocation: `${basename(modelPath)}.data`, ...o });
  await writeFile(modelPath, s.model);
  if (!s.external) return { modelPath, modelBytes: s.model.length };
  const dataPath = join(dirname(modelPath), s.external.location);
  const fh = await open(dataPath, "w");
  try {
    for (const c of s.external.chunks) await fh.write(c.bytes, 0, c.bytes.byteLength, c.offset);
    await fh.truncate(s.external.size);
  } finally {
    await fh.close();
  }
  return { modelPath, dataPath, modelBytes: s.model.length };
}
