// Renders a model's Jinja chat template with `@huggingface/jinja`, with the variables transformers passes.
import { Template } from "@huggingface/jinja";
import type { TChatTemplates, TSpecialTokens } from "./tokenizer-config";

export interface TChatMessage {
  role: string;
  content: string;
  /** Fields some templates read (e.g. `reasoning_content`, `tool_calls`). */
  [field: string]: unknown;
}

export interface TChatTemplateOptions {
  /** Append the header that opens the assistant's turn (transformers' `add_generation_prompt`). */
  addGenerationPrompt?: boolean;
  /** A named template; otherwise "tool_use" when tools are given and it exists, else "default". */
  templateName?: string;
  tools?: readonly unknown[];
  documents?: readonly unknown[];
  /** Extra template variables (transformers' `**kwargs`), e.g. `enable_thinking` for Qwen3. */
  variables?: Record<string, unknown>;
}

export class ChatTemplateError extends Error {
  override name = "ChatTemplateError";
}

export class ChatTemplates {
  private readonly compiled = new Map<string, Template>();

  constructor(
    private readonly templates: TChatTemplates,
    private readonly special: TSpecialTokens,
  ) {}

  get names(): string[] {
    return [...this.templates.keys()];
  }

  private select(options: TChatTemplateOptions): string {
    const names = this.names;
    if (names.length === 0)
      throw new ChatTemplateError("this tokenizer has no chat template (tokenizer_config.json or chat_template.jinja)");
    const name =
      options.templateName ??
      (options.tools?.length && this.templates.has("tool_use")
        ? "tool_use"
        : this.templates.has("default")
          ? "default"
          : undefined);
    if (name === undefined || !this.templates.has(name)) {
      throw new ChatTemplateError(`no chat template named '${name ?? "default"}' (templates: ${names.join(", ")})`);
    }
    return name;
  }

  render(messages: readonly TChatMessage[], options: TChatTemplateOptions = {}): string {
    const name = this.select(options);
    // transformers passes the special tokens that are set (as text), then the caller's kwargs.
    const tokens = Object.fromEntries(
      Object.entries({
        bos_token: this.special.bos,
        eos_token: this.special.eos,
        pad_token: this.special.pad,
        unk_token: this.special.unk,
      }).filter(([, v]) => v !== null),
    );
    try {
      let template = this.compiled.get(name);
      if (!template) {
        template = new Template(this.templates.get(name) ?? "");
        this.compiled.set(name, template);
      }
      return template.render({
        ...tokens,
        additional_special_tokens: this.special.additional,
        ...options.variables,
        messages,
        tools: options.tools ?? null, // None, not undefined, as transformers passes them
        documents: options.documents ?? null,
        add_generation_prompt: options.addGenerationPrompt ?? false,
      });
    } catch (e) {
      // Includes the template's own `raise_exception(message)`, which @huggingface/jinja defines.
      throw new ChatTemplateError(`chat template '${name}': ${(e as Error).message}`, { cause: e });
    }
  }
}
