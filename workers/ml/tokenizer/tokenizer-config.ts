// The fields of a Hugging Face `tokenizer_config.json` this engine uses, validated and normalised; no tokenizing.
import { z } from "zod";

// A special token is written either as its text or as a serialised AddedToken object.
const ZToken = z.union([z.string(), z.looseObject({ content: z.string() })]).nullish();
const ZNamedTemplate = z.object({ name: z.string(), template: z.string() });

export const ZTokenizerConfig = z.looseObject({
  bos_token: ZToken,
  eos_token: ZToken,
  pad_token: ZToken,
  unk_token: ZToken,
  additional_special_tokens: z.array(z.union([z.string(), z.looseObject({ content: z.string() })])).nullish(),
  add_bos_token: z.boolean().nullish(),
  add_eos_token: z.boolean().nullish(),
  chat_template: z.union([z.string(), z.array(ZNamedTemplate)]).nullish(),
});
export type TTokenizerConfig = z.infer<typeof ZTokenizerConfig>;

export interface TSpecialTokens {
  bos: string | null;
  eos: string | null;
  pad: string | null;
  unk: string | null;
  additional: string[];
}

/** Templates by name; a single string template is named "default", as transformers names it. */
export type TChatTemplates = ReadonlyMap<string, string>;

const contentOf = (t: string | { content: string } | null | undefined): string | null =>
  t == null ? null : typeof t === "string" ? t : t.content;

export function parseTokenizerConfig(json: unknown, source = "tokenizer_config.json"): TTokenizerConfig {
  const parsed = ZTokenizerConfig.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export function specialTokensOf(c: TTokenizerConfig): TSpecialTokens {
  return {
    bos: contentOf(c.bos_token),
    eos: contentOf(c.eos_token),
    pad: contentOf(c.pad_token),
    unk: contentOf(c.unk_token),
    additional: (c.additional_special_tokens ?? []).map((t) => contentOf(t) ?? ""),
  };
}

export function chatTemplatesOf(c: TTokenizerConfig, fallback: string | null): TChatTemplates {
  const t = c.chat_template ?? fallback;
  if (t == null) return new Map();
  if (typeof t === "string") return new Map([["default", t]]);
  return new Map(t.map((named) => [named.name, named.template]));
}

/** The config as `@huggingface/tokenizers` reads it: special tokens as plain strings. */
export function libraryConfigOf(c: TTokenizerConfig, special: TSpecialTokens): Record<string, unknown> {
  return {
    ...c,
    bos_token: special.bos ?? undefined,
    eos_token: special.eos ?? undefined,
    pad_token: special.pad ?? undefined,
    unk_token: special.unk ?? undefined,
    additional_special_tokens: special.additional,
  };
}
