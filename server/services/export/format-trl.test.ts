// Tests of TRL row formatting: auto, standard and conversational shapes, margin, system turns.
import { describe, expect, it } from "vitest";
import type { TMessage } from "../../domain";
import { renderHhTranscript } from "./format-hh";
import { trlRow } from "./format-trl";

const single: TMessage[] = [{ role: "user", content: "The sky is" }];
const multi: TMessage[] = [
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello" },
  { role: "user", content: "Sky colour?" },
];

describe("trlRow", () => {
  it("auto: standard strings for one user turn", () => {
    expect(trlRow({ messages: single, chosen: " blue.", rejected: " green.", shape: "auto" })).toEqual({
      prompt: "The sky is",
      chosen: " blue.",
      rejected: " green.",
    });
  });

  it("auto: conversational for a multi-turn prompt, with margin when given", () => {
    expect(trlRow({ messages: multi, chosen: "Blue", rejected: "Green", shape: "auto", margin: 2 })).toEqual({
      prompt: multi,
      chosen: [{ role: "assistant", content: "Blue" }],
      rejected: [{ role: "assistant", content: "Green" }],
      margin: 2,
    });
  });

  it("conversational even for a single turn when asked", () => {
    expect(trlRow({ messages: single, chosen: "x", rejected: "y", shape: "conversational" })).toEqual({
      prompt: [{ role: "user", content: "The sky is" }],
      chosen: [{ role: "assistant", content: "x" }],
      rejected: [{ role: "assistant", content: "y" }],
    });
  });

  it("standard for a multi-turn prompt: HH transcript ending in the Assistant tag, replies after its space", () => {
    const row = trlRow({ messages: multi, chosen: "Blue", rejected: "Green", shape: "standard" });
    expect(row).toEqual({
      prompt: "\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Sky colour?\n\nAssistant:",
      chosen: " Blue",
      rejected: " Green",
    });
    expect(`${row.prompt as string}${row.chosen as string}`).toBe(renderHhTranscript(multi, "Blue"));
    expect("margin" in row).toBe(false);
  });

  it("standard cannot write a system turn", () => {
    const messages: TMessage[] = [{ role: "system", content: "S" }, ...single];
    expect(() => trlRow({ messages, chosen: "x", rejected: "y", shape: "standard" })).toThrow(/system turn/);
    expect(trlRow({ messages, chosen: "x", rejected: "y", shape: "auto" }).prompt).toEqual(messages);
  });
});
