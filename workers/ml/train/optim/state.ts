// Saves and restores AdamW state (step, config, m and v by parameter) as optimizer.safetensors + optimizer.json; not model weights.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeFileAtomic } from "../../checkpoint/atomic-write";
import { numel, SafetensorsFile } from "../../checkpoint/safetensors-read";
import { writeSafetensors, type TTensorToWrite } from "../../checkpoint/safetensors-write";
import type { AdamW, AdamWMoments } from "./adamw";

export const OPTIMIZER_TENSORS_FILE = "optimizer.safetensors";
export const OPTIMIZER_META_FILE = "optimizer.json";
const FORMAT = "prefloop-adamw";
const SCHEMA_VERSION = 1;

const ZOptimizerMeta = z.object({
  format: z.literal(FORMAT),
  schemaVersion: z.literal(SCHEMA_VERSION),
  saveId: z.string(),
  step: z.number().int().nonnegative(),
  config: z.object({
    lr: z.number(),
    betas: z.tuple([z.number(), z.number()]),
    eps: z.number(),
    weightDecay: z.number(),
  }),
  parameters: z.array(
    z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), decay: z.boolean() }),
  ),
});
export type TOptimizerMeta = z.infer<typeof ZOptimizerMeta>;

/**
 * Writes the optimiser's state into `dir` (created if needed). Both files go through a temporary name in `dir`
 * and a rename; the JSON is written last and carries a save id that the tensors' metadata repeats, so a save
 * interrupted between the two files is detected on load instead of resuming from mixed states.
 */
export function saveOptimizerState(dir: string, optimizer: AdamW): void {
  fs.mkdirSync(dir, { recursive: true });
  const state = optimizer.exportState();
  const saveId = randomUUID();
  const tensors: TTensorToWrite[] = [];
  const parameters = optimizer.params.map((p) => {
    const shape = [...(p.shape ?? [p.data.length])];
    const s = state.moments.get(p.name);
    if (!s) throw new Error(`saveOptimizerState: no moments for parameter '${p.name}'`);
    tensors.push(
      { name: `m.${p.name}`, dtype: "F32", shape, data: s.m },
      { name: `v.${p.name}`, dtype: "F32", shape, data: s.v },
    );
    return { name: p.name, shape, decay: p.decay };
  });
  writeSafetensors(path.join(dir, OPTIMIZER_TENSORS_FILE), tensors, {
    format: FORMAT,
    saveId,
    step: String(state.step),
  });
  const meta: TOptimizerMeta = {
    format: FORMAT,
    schemaVersion: SCHEMA_VERSION,
    saveId,
    step: state.step,
    config: { ...state.config, betas: [state.config.betas[0], state.config.betas[1]] },
    parameters,
  };
  writeTextAtomic(path.join(dir, OPTIMIZER_META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
}

/** Reads and checks `optimizer.json` alone (format, schema version, fields). */
export function readOptimizerMeta(dir: string): TOptimizerMeta {
  const file = path.join(dir, OPTIMIZER_META_FILE);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: cannot read optimiser state (${(e as Error).message})`);
  }
  const parsed = ZOptimizerMeta.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: not a ${FORMAT} v${SCHEMA_VERSION} file (${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"})`,
    );
  }
  return parsed.data;
}

/**
 * Restores the state saved in `dir` into `optimizer`: the parameter names must be the same set, each with the
 * same number of values and the same decay flag; every difference is named. The saved config replaces the
 * optimiser's, as torch's `load_state_dict` does.
 */
export function loadOptimizerState(dir: string, optimizer: AdamW): void {
  const meta = readOptimizerMeta(dir);
  checkParameters(meta, optimizer);
  const file = path.join(dir, OPTIMIZER_TENSORS_FILE);
  const st = SafetensorsFile.open(file);
  try {
    if (st.metadata.format !== FORMAT || st.metadata.saveId !== meta.saveId || st.metadata.step !== String(meta.step))
      throw new Error(
        `${file}: tensors are not from the save described by ${OPTIMIZER_META_FILE} (an interrupted save?)`,
      );
    const moments = new Map<string, AdamWMoments>();
    for (const p of optimizer.params) {
      const read = (key: string): Float32Array => {
        const e = st.entry(key);
        if (e.dtype !== "F32" || numel(e.shape) !== p.data.length)
          throw new Error(
            `${file}: tensor '${key}' is ${e.dtype} [${e.shape.join(", ")}], expected F32 with ${p.data.length} values`,
          );
        return st.readFloat32(key);
      };
      moments.set(p.name, { m: read(`m.${p.name}`), v: read(`v.${p.name}`) });
    }
    const extra = [...st.entries.keys()].filter((k) => !/^[mv]\./.test(k) || !moments.has(k.slice(2)));
    if (extra.length > 0) throw new Error(`${file}: unexpected tensors ${extra.map((k) => `'${k}'`).join(", ")}`);
    optimizer.loadState({ step: meta.step, config: meta.config, moments });
  } finally {
    st.close();
  }
}

function checkParameters(meta: TOptimizerMeta, optimizer: AdamW): void {
  const saved = new Map(meta.parameters.map((p) => [p.name, p]));
  const current = new Set(optimizer.params.map((p) => p.name));
  const problems: string[] = [];
  const missing = optimizer.params.filter((p) => !saved.has(p.name)).map((p) => `'${p.name}'`);
  const unknown = meta.parameters.filter((p) => !current.has(p.name)).map((p) => `'${p.name}'`);
  if (missing.length > 0) problems.push(`not in the saved state: ${missing.join(", ")}`);
  if (unknown.length > 0) problems.push(`saved but not in the optimiser: ${unknown.join(", ")}`);
  if (saved.size !== meta.parameters.length) problems.push("the saved state lists a parameter twice");
  for (const p of optimizer.params) {
    const s = saved.get(p.name);
    if (!s) continue;
    if (numel(s.shape) !== p.data.length)
      problems.push(
        `'${p.name}' was saved with shape [${s.shape.join(", ")}] (${numel(s.shape)} values), the parameter has ${p.data.length}`,
      );
    if (s.decay !== p.decay)
      problems.push(`'${p.name}' was saved with decay=${s.decay}, the optimiser has decay=${p.decay}`);
  }
  if (problems.length > 0) throw new Error(`loadOptimizerState: parameters do not match: ${problems.join("; ")}`);
}

function writeTextAtomic(file: string, text: string): void {
  writeFileAtomic(file, (fd) => fs.writeFileSync(fd, text));
}
