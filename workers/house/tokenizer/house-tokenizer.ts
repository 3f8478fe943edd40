// The built-in model's tokenizer files: a byte-level BPE trained on the corpus, its special tokens and its
// chat template, written as a Hugging Face checkpoint writes them (tokenizer.json, tokenizer_config.json).
import fs from "node:fs";
import path from "node:path";
import { tokenizerJson, trainBpe, type TBpe } from "./train-bpe";

export const PAD_TOKEN = "<|endoftext|>";
export const USER_TOKEN = "<|user|>";
export const ASSISTANT_TOKEN = "<|assistant|>";
/** Ends every turn; the model's EOS, so generation stops at the end of its answer. */
export const END_TOKEN = "<|end|>";
export const SPECIAL_TOKENS = [PAD_TOKEN, USER_TOKEN, ASSISTANT_TOKEN, END_TOKEN] as const;

/** One turn: `<|role|>\n` + content + `<|end|>`; the generation prompt opens an assistant turn. */
export const CHAT_TEMPLATE =
  "{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";

/** The texts the tokenizer learns from: as the model will see them, chat turns rendered by the template. */
export function renderChat(messages: readonly { role: string; content: string }[]): string {
  return messages.map((m) => `<|${m.role}|>\n${m.content}${END_TOKEN}`).join("");
}

export function trainHouseTokenizer(texts: Iterable<string>, vocabSize: number): TBpe {
  return trainBpe(texts, vocabSize, SPECIAL_TOKENS);
}

export function writeTokenizerFiles(dir: string, bpe: TBpe): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "tokenizer.json"), `${JSON.stringify(tokenizerJson(bpe))}\n`);
  const config = {
    tokenizer_class: "PreTrainedTokenizerFast",
    bos_token: null,
    eos_token: END_TOKEN,
    pad_token: PAD_TOKEN,
    unk_token: null,
    additional_special_tokens: [USER_TOKEN, ASSISTANT_TOKEN],
    // No add_bos_token / add_eos_token: tokenizer.json has no post-processor, so nothing is added, and the
    // engine reads add_eos_token: false as "drop a trailing EOS", which would eat an <|end|> the text holds.
    clean_up_tokenization_spaces: false,
    model_max_length: 256,
    chat_template: CHAT_TEMPLATE,
  };
  fs.writeFileSync(path.join(dir, "tokenizer_config.json"), `${JSON.stringify(config, null, 2)}\n`);
}
