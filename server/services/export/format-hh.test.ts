// Tests of HH-RLHF rendering, and that import parses it back to the same conversation.
import { describe, expect, it } from "vitest";
import type { TMessage } from "../../domain";
import { collect, items } from "../import/test-support";
import { hhRow, renderHhTranscript } from "./format-hh";

const messages: TMessage[] = [
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello" },
  { role: "user", content: "Bye" },
];

describe("HH-RLHF rendering", () => {
  it("writes each turn after its speaker tag and the reply after a final Assistant tag", () => {
    expect(renderHhTranscript(messages, "See you")).toBe(
      "\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Bye\n\nAssistant: See you",
    );
    expect(renderHhTranscript(messages, "")).toBe("\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Bye\n\nAssistant: ");
  });

  it("refuses system turns", () => {
    expect(() => renderHhTranscript([{ role: "system", content: "S" }, ...messages], "x")).toThrow(
      "messages[0] is a system turn, and HH-RLHF transcripts have no way to write one",
    );
  });

  it("is the inverse of the HH import", async () => {
    const row = hhRow(messages, "Ciao", "");
    const [item] = items(await collect(JSON.stringify(row), { format: "hh" }));
    expect(item).toEqual({
      line: 1,
      messages,
      candidates: ["Ciao", ""],
      candidateMetadata: [{ hh: "chosen" }, { hh: "rejected" }],
    });
  });
});
