// The corpus as the engine's trainer reads it: TRL-format JSONL files (pre-training `{text}` rows,
// conversational SFT `{prompt, completion}` rows).
import fs from "node:fs";
import type { TCorpus } from "../corpus/build-corpus";

export function writeJsonl(file: string, rows: readonly unknown[]): void {
  fs.writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
}

export function pretrainRows(c: TCorpus): { text: string }[] {
  return c.pretrain.map((text) => ({ text }));
}

export function sftRows(
  c: TCorpus,
): { prompt: { role: string; content: string }[]; completion: { role: string; content: string }[] }[] {
  return c.sft.map((s) => ({
    prompt: s.item.messages.map((m) => ({ role: m.role, content: m.content })),
    completion: [{ role: "assistant", content: s.answer }],
  }));
}
