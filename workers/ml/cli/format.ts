// Text output of `npm run generate`: each candidate with its text, finish reason and log-probabilities.
import type { TGenerateResult } from "../generate/generate";
import type { TextTokenizer } from "../tokenizer/tokenizer";

const lp = (x: number): string => x.toFixed(4);

export function formatResult(result: TGenerateResult, tokenizer: TextTokenizer | null): string {
  const lines: string[] = [];
  const perPrompt = new Map<number, number>();
  for (const c of result.candidates) perPrompt.set(c.prompt, (perPrompt.get(c.prompt) ?? 0) + 1);
  result.promptTokenIds.forEach((ids, p) => {
    const cut = result.truncatedTokens[p] ?? 0;
    lines.push(
      `prompt ${p + 1}: ${ids.length} tokens${cut > 0 ? ` (first ${cut} tokens truncated to fit the context window)` : ""}`,
    );
  });
  for (const c of result.candidates) {
    const stop = c.stopString !== undefined ? ` (${JSON.stringify(c.stopString)})` : "";
    lines.push("");
    lines.push(
      `candidate ${c.candidate + 1}/${perPrompt.get(c.prompt) ?? 0} of prompt ${c.prompt + 1}: finish=${c.finishReason}${stop} tokens=${c.tokenIds.length} sum_logprob=${lp(c.sumLogprob)}`,
    );
    if (c.text !== null) lines.push(`  text: ${JSON.stringify(c.text)}`);
    const tokens = c.tokenIds.map((id, i) => {
      const piece = tokenizer?.idToToken(id);
      return `${id}${piece !== undefined ? `(${JSON.stringify(piece)})` : ""}:${lp(c.tokenLogprobs[i] ?? NaN)}`;
    });
    lines.push(`  token_logprobs: ${tokens.join(" ")}`);
  }
  const s = result.stats;
  const rate = (tokens: number, ms: number) => (ms > 0 ? `${((tokens / ms) * 1000).toFixed(1)} tok/s` : "-");
  lines.push("");
  lines.push(
    `prefill: ${s.promptTokens} tokens in ${s.prefillMs.toFixed(1)} ms (${rate(s.promptTokens, s.prefillMs)}); decode: ${s.newTokens} tokens in ${s.decodeMs.toFixed(1)} ms (${rate(s.newTokens, s.decodeMs)})`,
  );
  return lines.join("\n");
}
