// Tests of chat templates: the real Qwen3 and Llama 3 templates rendered exactly, named templates, raise_exception.
import { describe, expect, it } from "vitest";
import { ChatTemplateError, ChatTemplates, type TChatMessage } from "./chat-template";
import { LLAMA3_DIR, QWEN3_DIR } from "./test-fixtures";
import { loadTokenizer } from "./tokenizer";

const qwen3 = loadTokenizer(QWEN3_DIR);
const llama3 = loadTokenizer(LLAMA3_DIR);

const conversation: TChatMessage[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Name a prime." },
  { role: "assistant", content: "Seven." },
  { role: "user", content: "Another, in 中文?" },
];

describe("Qwen3's template", () => {
  const turns =
    "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nName a prime.<|im_end|>\n" +
    "<|im_start|>assistant\nSeven.<|im_end|>\n<|im_start|>user\nAnother, in 中文?<|im_end|>\n";
  it("renders a two-turn conversation and opens the assistant's turn", () => {
    expect(qwen3.applyChatTemplate(conversation, { addGenerationPrompt: true })).toBe(
      `${turns}<|im_start|>assistant\n`,
    );
  });
  it("without the generation prompt, ends after the last user turn", () => {
    expect(qwen3.applyChatTemplate(conversation)).toBe(turns);
  });
  it("passes template variables through (enable_thinking)", () => {
    expect(
      qwen3.applyChatTemplate(conversation, { addGenerationPrompt: true, variables: { enable_thinking: false } }),
    ).toBe(`${turns}<|im_start|>assistant\n<think>\n\n</think>\n\n`);
  });
  it("tokenizes to the role markers' own ids", () => {
    const ids = qwen3.encodeChat(conversation.slice(1, 2), { addGenerationPrompt: true });
    expect(ids).toEqual([
      151644,
      872,
      198,
      ...qwen3.encode("Name a prime.", { addSpecialTokens: false }),
      151645,
      198,
      151644,
      77091,
      198,
    ]);
    expect(qwen3.idToToken(77091)).toBe("assistant");
  });
});

describe("Llama 3's template", () => {
  it("renders a two-turn conversation with BOS and headers", () => {
    expect(llama3.applyChatTemplate(conversation, { addGenerationPrompt: true })).toBe(
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\nName a prime.<|eot_id|>" +
        "<|start_header_id|>assistant<|end_header_id|>\n\nSeven.<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\nAnother, in 中文?<|eot_id|>" +
        "<|start_header_id|>assistant<|end_header_id|>\n\n",
    );
  });
  it("encodes the rendered text without adding a second BOS", () => {
    const ids = llama3.encodeChat(conversation, { addGenerationPrompt: true });
    expect(ids.slice(0, 2)).toEqual([128000, 128006]);
    expect(ids.filter((id) => id === 128000)).toHaveLength(1);
  });
});

describe("ChatTemplates", () => {
  const special = { bos: "<s>", eos: "</s>", pad: null, unk: null, additional: [] };
  const templates = new ChatTemplates(
    new Map([
      [
        "default",
        "{{ bos_token }}{% for m in messages %}{% if m.role == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}{{ m.content }}{{ eos_token }}{% endfor %}{% if add_generation_prompt %}>{% endif %}",
      ],
      [
        "tool_use",
        "{{ tools | length }} tools{% if documents is none %}, no documents{% endif %}{% if pad_token is defined %}, pad{% endif %}",
      ],
    ]),
    special,
  );
  it("selects 'default', or 'tool_use' when tools are given, or a named template", () => {
    expect(templates.render([{ role: "user", content: "hi" }], { addGenerationPrompt: true })).toBe("<s>hi</s>>");
    expect(templates.render([], { tools: [{ name: "f" }, { name: "g" }] })).toBe("2 tools, no documents");
    expect(templates.render([], { templateName: "tool_use", tools: [] })).toBe("0 tools, no documents");
  });
  it("surfaces raise_exception as a ChatTemplateError with the template's message", () => {
    expect(() => templates.render([{ role: "system", content: "x" }])).toThrow(
      new ChatTemplateError("chat template 'default': System role not supported"),
    );
  });
  it("names the available templates when the asked one is absent, or when there is none", () => {
    expect(() => templates.render([], { templateName: "rag" })).toThrow(
      "no chat template named 'rag' (templates: default, tool_use)",
    );
    expect(() => new ChatTemplates(new Map(), special).render([])).toThrow("this tokenizer has no chat template");
  });
  it("reports a template syntax error as a ChatTemplateError", () => {
    expect(() => new ChatTemplates(new Map([["default", "{% for %}"]]), special).render([])).toThrow(ChatTemplateError);
  });
});
