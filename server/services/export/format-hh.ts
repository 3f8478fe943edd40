// Renders conversations as HH-RLHF transcripts ("\n\nHuman: …\n\nAssistant: …"); the import side parses them back.
import type { TMessage } from "../../domain";

/** Speaker tags exactly as the HH-RLHF files write them: two newlines, the speaker, a colon and one space. */
export const HH_TAGS = { user: "\n\nHuman: ", assistant: "\n\nAssistant: " } as const;

export function renderHhTranscript(messages: TMessage[], reply: string): string {
  let out = "";
  messages.forEach((m, i) => {
    if (m.role === "system") {
      throw new Error(`messages[${i}] is a system turn, and HH-RLHF transcripts have no way to write one`);
    }
    out += HH_TAGS[m.role] + m.content;
  });
  return out + HH_TAGS.assistant + reply;
}

/** One HH-RLHF row: the same conversation twice, differing only in the final Assistant reply. */
export function hhRow(messages: TMessage[], chosen: string, rejected: string): { chosen: string; rejected: string } {
  return { chosen: renderHhTranscript(messages, chosen), rejected: renderHhTranscript(messages, rejected) };
}
