// What a model version's download holds: the files of its Hugging Face checkpoint directory (config, tokenizer,
// safetensors) or of its PEFT adapter (adapter_config.json + adapter_model.safetensors), named by an allow-list.
// The directory must be a real directory inside PREFLOOP_MODELS_DIR; symbolic links are never followed.
import fs from "node:fs";
import path from "node:path";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import type { TTarEntry } from "./tar-stream";

const FILES = new Set([
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
  "chat_template.jinja",
  "model.safetensors",
  "model.safetensors.index.json",
  "adapter_config.json",
  "adapter_model.safetensors",
]);
const SHARD = /^model-\d{5}-of-\d{5}\.safetensors$/;

export const modelsRoot = () => path.resolve(process.env.PREFLOOP_MODELS_DIR ?? "data/models");

/** The archive's entries for `versionId`, each under a folder named after the version. */
export async function getVersionArchive(o: { versionId: string }): Promise<{ name: string; entries: TTarEntry[] }> {
  const version = await getDb().modelVersion.findUnique({ where: { id: o.versionId } });
  if (!version) throw new AppError("NOT_FOUND", "No such model version.");
  if (version.path.startsWith("builtin:"))
    throw new AppError("CONFLICT", `${version.name} is the built-in model: it ships with the code (workers/house).`);
  const root = fs.realpathSync(modelsRoot());
  let dir: string;
  try {
    dir = fs.realpathSync(path.resolve(version.path));
  } catch {
    throw new AppError("NOT_FOUND", `The files of ${version.name} are missing (restore PREFLOOP_MODELS_DIR).`);
  }
  const rel = path.relative(root, dir);
  if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel))
    throw new AppError("FORBIDDEN", `The files of ${version.name} are outside PREFLOOP_MODELS_DIR.`);
  if (!/^[A-Za-z0-9._-]{1,90}$/.test(version.name))
    throw new AppError("CONFLICT", `The version name ${version.name} cannot name a folder in an archive.`);
  const entries: TTarEntry[] = [];
  for (const d of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!d.isFile() || !(FILES.has(d.name) || SHARD.test(d.name))) continue; // links and directories are skipped
    const p = path.join(dir, d.name);
    const st = fs.lstatSync(p);
    entries.push({ name: `${version.name}/${d.name}`, path: p, size: st.size, mtime: st.mtime });
  }
  const names = new Set(entries.map((e) => path.basename(e.name)));
  const isCheckpoint = names.has("config.json") && [...names].some((n) => n.endsWith(".safetensors"));
  const isAdapter = names.has("adapter_config.json") && names.has("adapter_model.safetensors");
  if (!isCheckpoint && !isAdapter)
    throw new AppError("NOT_FOUND", `${version.name} has neither a checkpoint nor an adapter in its folder.`);
  return { name: version.name, entries };
}
