// A model's tokenizer: `tokenizer.json` through `@huggingface/tokenizers`, special tokens and chat template
// from `tokenizer_config.json`. Text <-> ids only; streaming detokenization is in incremental-detokenizer.ts.
import fs from "node:fs";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { ChatTemplates, type TChatMessage, type TChatTemplateOptions } from "./chat-template";
import {
  chatTemplatesOf,
  libraryConfigOf,
  parseTokenizerConfig,
  specialTokensOf,
  type TSpecialTokens,
} from "./tokenizer-config";

export interface TEncodeOptions {
  /** Add what the model adds around a text (e.g. BOS); default true, as in transformers. */
  addSpecialTokens?: boolean;
}

export interface TDecodeOptions {
  skipSpecialTokens?: boolean;
  /**
   * transformers' `clean_up_tokenization_spaces` (" ," -> "," and similar). Default false, whatever the
   * config says: generated text is shown as the model produced it, and decode(encode(text)) is text.
   */
  cleanUpTokenizationSpaces?: boolean;
}

export interface TTokenizerFiles {
  tokenizerJson: unknown;
  tokenizerConfig?: unknown;
  /** `chat_template.jinja`, which newer transformers saves beside the config instead of inside it. */
  chatTemplateJinja?: string | null;
  /** `eos_token_id` of `generation_config.json` (a number or a list): more ids that end generation. */
  generationEosTokenId?: unknown;
}

export class TextTokenizer {
  readonly special: TSpecialTokens;
  readonly bosTokenId: number | null;
  /** Every id that ends generation: the config's eos token first, then generation_config.json's. */
  readonly eosTokenIds: number[];
  readonly padTokenId: number | null;
  /** One past the largest id the tokenizer knows; a model's embedding may have more rows. */
  readonly vocabSize: number;
  readonly chatTemplates: ChatTemplates;
  private readonly tok: Tokenizer;
  private readonly addBos: boolean | null;
  private readonly addEos: boolean | null;

  constructor(files: TTokenizerFiles) {
    const config = parseTokenizerConfig(files.tokenizerConfig ?? {});
    this.special = specialTokensOf(config);
    this.tok = new Tokenizer(files.tokenizerJson as object, libraryConfigOf(config, this.special));
    let maxId = -1;
    for (const id of this.tok.get_vocab(true).values()) maxId = Math.max(maxId, id);
    this.vocabSize = maxId + 1;
    this.bosTokenId = this.idOfSpecial("bos_token", this.special.bos);
    this.padTokenId = this.idOfSpecial("pad_token", this.special.pad);
    const eos = this.idOfSpecial("eos_token", this.special.eos);
    const extra = files.generationEosTokenId;
    const more = (Array.isArray(extra) ? extra : extra == null ? [] : [extra]).filter((x): x is number =>
      Number.isInteger(x),
    );
    this.eosTokenIds = [...new Set([...(eos === null ? [] : [eos]), ...more])];
    this.addBos = config.add_bos_token ?? null;
    this.addEos = config.add_eos_token ?? null;
    this.chatTemplates = new ChatTemplates(chatTemplatesOf(config, files.chatTemplateJinja ?? null), this.special);
  }

  private idOfSpecial(field: string, token: string | null): number | null {
    if (token === null) return null;
    const id = this.tok.token_to_id(token);
    if (id === undefined) throw new Error(`tokenizer_config.json: ${field} '${token}' is not in the vocabulary`);
    return id;
  }

  /**
   * Ids of `text`. With special tokens, tokenizer.json's post-processor decides, except where the config
   * sets `add_bos_token`/`add_eos_token`, which win (as transformers' Llama tokenizers rebuild it).
   */
  encode(text: string, options: TEncodeOptions = {}): number[] {
    const add = options.addSpecialTokens ?? true;
    const ids = this.tok.encode(text, { add_special_tokens: add }).ids;
    if (!add || (this.addBos === null && this.addEos === null)) return ids;
    // Only what the post-processor added around the text is replaced: a special token written in the text
    // itself (a trailing "</s>", a leading "<s>") is the text's and stays.
    const plain = this.tok.encode(text, { add_special_tokens: false }).ids;
    const at = aroundOf(ids, plain);
    const prefix = ids.slice(0, at);
    const suffix = ids.slice(at + plain.length);
    const bos = this.bosTokenId;
    if (bos !== null && this.addBos !== null) {
      const i = prefix.indexOf(bos);
      if (this.addBos && i < 0) prefix.unshift(bos);
      if (!this.addBos && i >= 0) prefix.splice(i, 1);
    }
    const eos = this.special.eos === null ? undefined : this.eosTokenIds[0];
    if (eos !== undefined && this.addEos !== null) {
      const i = suffix.lastIndexOf(eos);
      if (this.addEos && i < 0) suffix.push(eos);
      if (!this.addEos && i >= 0) suffix.splice(i, 1);
    }
    return [...prefix, ...plain, ...suffix];
  }

  decode(ids: readonly number[], options: TDecodeOptions = {}): string {
    if (ids.length === 0) return "";
    for (const id of ids) {
      if (!Number.isInteger(id) || this.tok.id_to_token(id) === undefined) {
        throw new RangeError(`token id ${id} is not in the tokenizer's vocabulary (size ${this.vocabSize})`);
      }
    }
    return this.tok.decode([...ids], {
      skip_special_tokens: options.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: options.cleanUpTokenizationSpaces ?? false,
    });
  }

  tokenToId(token: string): number | undefined {
    return this.tok.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.tok.id_to_token(id);
  }

  /** The conversation as the model's chat template writes it (text; encode it without special tokens). */
  applyChatTemplate(messages: readonly TChatMessage[], options: TChatTemplateOptions = {}): string {
    return this.chatTemplates.render(messages, options);
  }

  /** Ids of the rendered conversation; the template already holds its special tokens, as in transformers. */
  encodeChat(messages: readonly TChatMessage[], options: TChatTemplateOptions = {}): number[] {
    return this.encode(this.applyChatTemplate(messages, options), { addSpecialTokens: false });
  }
}

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, "utf8"));

/** Loads the tokenizer of a model directory (tokenizer.json required; the other files when present). */
export function loadTokenizer(dir: string): TextTokenizer {
  const file = (name: string) => path.join(dir, name);
  if (!fs.existsSync(file("tokenizer.json"))) throw new Error(`no tokenizer.json in ${dir}`);
  const optional = <T>(name: string, read: (f: string) => T): T | null =>
    fs.existsSync(file(name)) ? read(file(name)) : null;
  const generation = optional("generation_config.json", readJson) as { eos_token_id?: unknown } | null;
  return new TextTokenizer({
    tokenizerJson: readJson(file("tokenizer.json")),
    tokenizerConfig: optional("tokenizer_config.json", readJson) ?? {},
    chatTemplateJinja: optional("chat_template.jinja", (f) => fs.readFileSync(f, "utf8")),
    generationEosTokenId: generation?.eos_token_id,
  });
}

/** Where `inner` (the text's ids) starts inside `outer` (the same with the post-processor's tokens around it). */
function aroundOf(outer: readonly number[], inner: readonly number[]): number {
  for (let k = 0; k + inner.length <= outer.length; k++) if (inner.every((id, j) => outer[k + j] === id)) return k;
  throw new Error(
    "tokenizer.json's post-processor changed the text's own ids; add_bos_token / add_eos_token cannot apply",
  );
}
