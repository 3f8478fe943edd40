// A Hugging Face checkpoint directory: `model.safetensors`, or shards named by `model.safetensors.index.json`.
// Opens and saves the files; matching tensors against a model's expectations lives in load-checkpoint.ts.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DTYPE_BYTES } from "./dtype";
import { SafetensorsFile, numel, type TTensorEntry } from "./safetensors-read";
import { writeSafetensors, type TTensorToWrite } from "./safetensors-write";

export const SINGLE_FILE = "model.safetensors";
export const INDEX_FILE = "model.safetensors.index.json";

const ZIndex = z.object({
  metadata: z.record(z.string(), z.unknown()).optional(),
  weight_map: z.record(z.string(), z.string()),
});

/** Every tensor of a checkpoint directory by name, read on demand from whichever shard holds it. */
export interface TCheckpoint {
  dir: string;
  files: string[];
  entries: ReadonlyMap<string, TTensorEntry>;
  readFloat32(name: string): Float32Array;
  close(): void;
}

function openFiles(dir: string): {
  files: SafetensorsFile[];
  entries: Map<string, TTensorEntry>;
  owner: Map<string, SafetensorsFile>;
} {
  const indexPath = path.join(dir, INDEX_FILE);
  let names: string[];
  let weightMap: Record<string, string> | null = null;
  if (fs.existsSync(indexPath)) {
    const index = ZIndex.safeParse(JSON.parse(fs.readFileSync(indexPath, "utf8")));
    if (!index.success) throw new Error(`${indexPath}: no weight_map of tensor name -> shard file`);
    weightMap = index.data.weight_map;
    names = [...new Set(Object.values(weightMap))].sort();
  } else if (fs.existsSync(path.join(dir, SINGLE_FILE))) {
    names = [SINGLE_FILE];
  } else {
    const present = fs.existsSync(dir) ? fs.readdirSync(dir).join(", ") || "nothing" : "no such directory";
    throw new Error(`${dir}: neither ${SINGLE_FILE} nor ${INDEX_FILE} (found: ${present})`);
  }
  const files: SafetensorsFile[] = [];
  const entries = new Map<string, TTensorEntry>();
  const owner = new Map<string, SafetensorsFile>();
  try {
    for (const name of names) {
      const f = SafetensorsFile.open(path.join(dir, name));
      files.push(f);
      for (const [tensor, entry] of f.entries) {
        if (owner.has(tensor))
          throw new Error(`${dir}: tensor '${tensor}' is in both ${owner.get(tensor)?.path} and ${f.path}`);
        if (weightMap && weightMap[tensor] !== name)
          throw new Error(
            `${indexPath}: tensor '${tensor}' is in ${name} but the index says ${weightMap[tensor] ?? "nothing"}`,
          );
        entries.set(tensor, entry);
        owner.set(tensor, f);
      }
    }
    for (const [tensor, shard] of Object.entries(weightMap ?? {})) {
      if (!owner.has(tensor)) throw new Error(`${indexPath}: tensor '${tensor}' is not in ${shard}`);
    }
  } catch (e) {
    for (const f of files) f.close();
    throw e;
  }
  return { files, entries, owner };
}

export function openCheckpoint(dir: string): TCheckpoint {
  const { files, entries, owner } = openFiles(dir);
  return {
    dir,
    files: files.map((f) => f.path),
    entries,
    readFloat32(name) {
      const f = owner.get(name);
      if (!f) throw new Error(`${dir}: no tensor '${name}'`);
      return f.readFloat32(name);
    },
    close() {
      for (const f of files) f.close();
    },
  };
}

export interface TSaveOptions {
  /** Start a new shard when the next tensor would push the current one past this size. */
  maxShardBytes?: number;
  /** `__metadata__` of every file; `format: "pt"` is added, as Hugging Face writes it. */
  metadata?: Record<string, string>;
}

/** Saves like `save_pretrained`: one file, or `model-0000i-of-0000n.safetensors` shards plus the index. */
export function saveCheckpoint(dir: string, tensors: readonly TTensorToWrite[], options: TSaveOptions = {}): string[] {
  const maxShardBytes = options.maxShardBytes ?? Infinity;
  const metadata = { format: "pt", ...options.metadata };
  const shards: TTensorToWrite[][] = [[]];
  let shardBytes = 0;
  for (const t of tensors) {
    const bytes = numel(t.shape) * DTYPE_BYTES[t.dtype];
    const current = shards[shards.length - 1]!;
    if (current.length > 0 && shardBytes + bytes > maxShardBytes) {
      shards.push([t]);
      shardBytes = bytes;
    } else {
      current.push(t);
      shardBytes += bytes;
    }
  }
  fs.mkdirSync(dir, { recursive: true });
  // A previous save with another sharding would leave files that contradict this one.
  for (const f of fs.readdirSync(dir)) {
    if (f === SINGLE_FILE || f === INDEX_FILE || /^model-\d{5}-of-\d{5}\.safetensors$/.test(f))
      fs.rmSync(path.join(dir, f));
  }
  if (shards.length === 1) {
    writeSafetensors(path.join(dir, SINGLE_FILE), tensors, metadata);
    return [SINGLE_FILE];
  }
  const pad = (i: number) => String(i).padStart(5, "0");
  const names = shards.map((_, i) => `model-${pad(i + 1)}-of-${pad(shards.length)}.safetensors`);
  const weightMap: Record<string, string> = {};
  let totalSize = 0;
  shards.forEach((shard, i) => {
    const name = names[i]!;
    writeSafetensors(path.join(dir, name), shard, metadata);
    for (const t of shard) {
      weightMap[t.name] = name;
      totalSize += numel(t.shape) * DTYPE_BYTES[t.dtype];
    }
  });
  const sortedMap = Object.fromEntries(Object.entries(weightMap).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const index = { metadata: { total_size: totalSize }, weight_map: sortedMap };
  fs.writeFileSync(path.join(dir, INDEX_FILE), `${JSON.stringify(index, null, 2)}\n`);
  return names;
}
