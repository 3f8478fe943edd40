// Matches a checkpoint directory against the tensors a model expects and reads them lazily by expected name.
// Every missing, unknown or misshapen tensor is reported by name in one error; nothing is read before that.
import { openCheckpoint } from "./checkpoint-dir";
import type { TSafetensorsDtype } from "./dtype";
import type { TTensorEntry } from "./safetensors-read";

export interface TExpectedTensor {
  name: string;
  shape: readonly number[];
}

export interface TLoadOptions {
  /** Checkpoint tensors that may be present without being expected (e.g. a tied `lm_head.weight`). */
  ignore?: readonly (string | RegExp)[];
}

export interface TLoadedCheckpoint {
  /** The checkpoint's dtype of an expected tensor. */
  dtypeOf(name: string): TSafetensorsDtype;
  readFloat32(name: string): Float32Array;
  close(): void;
}

// Buffers some Hugging Face checkpoints carry that are recomputed, never learned.
const ALWAYS_IGNORED = [/(^|\.)rotary_emb\.inv_freq$/];
const LIST_LIMIT = 50;

export class CheckpointMismatchError extends Error {
  constructor(
    readonly dir: string,
    readonly missing: string[],
    readonly unknown: string[],
    readonly misshapen: string[],
  ) {
    const list = (title: string, items: string[]) =>
      items.length === 0
        ? []
        : [
            `${title} (${items.length}):`,
            ...items.slice(0, LIST_LIMIT).map((s) => `  ${s}`),
            ...(items.length > LIST_LIMIT ? [`  ... and ${items.length - LIST_LIMIT} more`] : []),
          ];
    super(
      [
        `checkpoint ${dir} does not match the model:`,
        ...list("missing", missing),
        ...list("unknown", unknown),
        ...list("shape mismatch", misshapen),
      ].join("\n"),
    );
    this.name = "CheckpointMismatchError";
  }
}

/** The checkpoint key for an expected name: exact, or without the `model.` prefix (a bare base-model save). */
function findKey(name: string, available: ReadonlyMap<string, unknown>): string | undefined {
  if (available.has(name)) return name;
  if (name.startsWith("model.") && available.has(name.slice(6))) return name.slice(6);
  return undefined;
}

/** Opens `dir` and checks it against `expected`; the caller reads tensors and closes it. */
export function loadCheckpoint(
  dir: string,
  expected: readonly TExpectedTensor[],
  options: TLoadOptions = {},
): TLoadedCheckpoint {
  const ckpt = openCheckpoint(dir);
  const ignore = [...ALWAYS_IGNORED, ...(options.ignore ?? [])];
  const entryOf = new Map<string, TTensorEntry>();
  const missing: string[] = [];
  const misshapen: string[] = [];
  for (const { name, shape } of expected) {
    const key = findKey(name, ckpt.entries);
    const entry = key === undefined ? undefined : ckpt.entries.get(key);
    if (key === undefined || !entry) {
      missing.push(name);
      continue;
    }
    entryOf.set(name, entry);
    if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
      misshapen.push(`${key}: expected [${shape.join(", ")}], found [${entry.shape.join(", ")}]`);
    }
  }
  const used = new Set([...entryOf.values()].map((e) => e.name));
  const unknown = [...ckpt.entries.keys()]
    .filter(
      (k) => !used.has(k) && !ignore.some((p) => (typeof p === "string" ? p === k || `model.${k}` === p : p.test(k))),
    )
    .sort();
  if (missing.length + unknown.length + misshapen.length > 0) {
    ckpt.close();
    throw new CheckpointMismatchError(dir, missing, unknown, misshapen);
  }
  const entryFor = (name: string): TTensorEntry => {
    const entry = entryOf.get(name);
    if (!entry) throw new Error(`tensor '${name}' is not among the expected tensors of ${dir}`);
    return entry;
  };
  return {
    dtypeOf: (name) => entryFor(name).dtype,
    readFloat32: (name) => ckpt.readFloat32(entryFor(name).name),
    close: () => ckpt.close(),
  };
}
