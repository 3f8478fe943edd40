// Tests of StopChecker: EOS ids, stop strings across token boundaries, max_new_tokens, precedence, streaming.
import { describe, expect, it } from "vitest";
import { StopChecker, type TFinish } from "./stop";

/** Feeds tokens with their text pieces; returns the finish and after how many tokens it came. */
function run(
  checker: StopChecker,
  steps: readonly (readonly [number, string])[],
): { finish: TFinish | null; at: number } {
  let text = "";
  for (const [i, [token, piece]] of steps.entries()) {
    text += piece;
    const finish = checker.push(token, text);
    if (finish) return { finish, at: i + 1 };
  }
  return { finish: null, at: steps.length };
}

describe("StopChecker", () => {
  it("stops on any of several EOS ids with reason eos and the text so far", () => {
    const checker = new StopChecker({ eosTokenIds: [2, 151645], maxNewTokens: 10 });
    expect(
      run(checker, [
        [5, "Hi"],
        [6, " there"],
        [151645, ""],
        [7, "never"],
      ]),
    ).toEqual({
      finish: { reason: "eos", text: "Hi there" },
      at: 3,
    });
    expect(checker.newTokens).toBe(3);
  });

  it("finds a stop string spanning three tokens and cuts the text before it", () => {
    const checker = new StopChecker({ stopStrings: ["\nUser:"], maxNewTokens: 10 });
    expect(
      run(checker, [
        [1, "Sure."],
        [2, "\nUs"],
        [3, "e"],
        [4, "r: more"],
        [5, "x"],
      ]),
    ).toEqual({
      finish: { reason: "stop", text: "Sure.", stopString: "\nUser:" },
      at: 4,
    });
  });

  it("cuts at the earliest of several stop strings completed by the same token", () => {
    const checker = new StopChecker({ stopStrings: ["END", "###"], maxNewTokens: 10 });
    expect(
      run(checker, [
        [1, "a #"],
        [2, "##b END"],
      ]).finish,
    ).toEqual({ reason: "stop", text: "a ", stopString: "###" });
  });

  it("finds a stop string inside a single token and at the very start", () => {
    expect(run(new StopChecker({ stopStrings: ["</s>"], maxNewTokens: 5 }), [[1, "ok</s>tail"]]).finish?.text).toBe(
      "ok",
    );
    expect(
      run(new StopChecker({ stopStrings: ["Q:"], maxNewTokens: 5 }), [
        [1, "Q"],
        [2, ":"],
      ]).finish?.text,
    ).toBe("");
  });

  it("sees a stop string made of a character whose bytes were split across tokens once decoding settles", () => {
    // A byte-level decoder shows U+FFFD until the second byte of "é" arrives, then rewrites that character.
    const checker = new StopChecker({ stopStrings: ["é"], maxNewTokens: 5 });
    expect(checker.push(1, "caf\uFFFD")).toBeNull();
    expect(checker.push(2, "café")).toEqual({ reason: "stop", text: "caf", stopString: "é" });
  });

  it("ends with reason length after max_new_tokens, counting every token", () => {
    const checker = new StopChecker({ eosTokenIds: [0], stopStrings: ["zzz"], maxNewTokens: 3 });
    expect(
      run(checker, [
        [1, "a"],
        [2, "b"],
        [3, "c"],
        [4, "d"],
      ]),
    ).toEqual({ finish: { reason: "length", text: "abc" }, at: 3 });
    expect(checker.finish).toEqual({ reason: "length", text: "abc" });
  });

  it("prefers eos, then stop, then length when they coincide on the last allowed token", () => {
    expect(
      run(new StopChecker({ eosTokenIds: [9], stopStrings: ["!"], maxNewTokens: 1 }), [[9, "!"]]).finish?.reason,
    ).toBe("eos");
    expect(
      run(new StopChecker({ eosTokenIds: [9], stopStrings: ["!"], maxNewTokens: 1 }), [[1, "!"]]).finish?.reason,
    ).toBe("stop");
  });

  it("refuses a token after the sequence finished", () => {
    const checker = new StopChecker({ maxNewTokens: 1 });
    checker.push(1, "a");
    expect(() => checker.push(2, "ab")).toThrow(/already finished/);
  });

  it("holds back a tail that could begin a stop string, for streaming", () => {
    const checker = new StopChecker({ stopStrings: ["\nUser:", "###"], maxNewTokens: 5 });
    expect(checker.pendingLength("Hello\nUs")).toBe(3);
    expect(checker.pendingLength("Hello ##")).toBe(2);
    expect(checker.pendingLength("Hello")).toBe(0);
    expect(checker.pendingLength("")).toBe(0);
  });

  it("validates its options", () => {
    expect(() => new StopChecker({ maxNewTokens: 0 })).toThrow("stop: max_new_tokens must be an integer >= 1, got 0");
    expect(() => new StopChecker({ maxNewTokens: 1.5 })).toThrow(/max_new_tokens/);
    expect(() => new StopChecker({ maxNewTokens: 4, stopStrings: [""] })).toThrow(/non-empty/);
    expect(() => new StopChecker({ maxNewTokens: 4, eosTokenIds: [-1] })).toThrow(/EOS token id -1/);
  });
});
