// Exact-tier tests of the ranking board's pure transitions.
import { describe, expect, it } from "vitest";
import {
  boundaryFor,
  boundaryKey,
  initialBoardState,
  keepStrengths,
  missingStrengths,
  setStrength,
  strengthsOf,
  submissionOf,
  isShownOrder,
  letterFor,
  missingFlagNotes,
  moveDown,
  moveToTier,
  moveUp,
  normalizeTiers,
  reorder,
  setFlagNote,
  tieWithAbove,
  toggleFlag,
  untie,
} from "./board-state";
import type { TStrengthChoices } from "./board-state";

const abcd = () => [["A"], ["B"], ["C"], ["D"]];

describe("initialBoardState", () => {
  it("puts each candidate in its own tier, in shown order", () => {
    expect(initialBoardState(["x", "y", "z"])).toEqual({
      tiers: [["x"], ["y"], ["z"]],
      flags: {},
      noneAcceptable: false,
      rationale: "",
    });
  });
});

describe("moveUp / moveDown", () => {
  it("swaps single tiers", () => {
    expect(moveUp(abcd(), "C")).toEqual([["A"], ["C"], ["B"], ["D"]]);
    expect(moveDown(abcd(), "A")).toEqual([["B"], ["A"], ["C"], ["D"]]);
  });
  it("is a no-op at the ends or for unknown ids", () => {
    expect(moveUp(abcd(), "A")).toEqual(abcd());
    expect(moveDown(abcd(), "D")).toEqual(abcd());
    expect(moveUp(abcd(), "Z")).toEqual(abcd());
  });
  it("passes a whole tie group in one step", () => {
    expect(moveUp([["A"], ["B", "C"], ["D"]], "D")).toEqual([["A"], ["D"], ["B", "C"]]);
    expect(moveDown([["A"], ["B", "C"], ["D"]], "A")).toEqual([["B", "C"], ["A"], ["D"]]);
  });
  it("leaves a tie to just above or below its mates", () => {
    expect(moveUp([["A"], ["B", "C", "D"]], "C")).toEqual([["A"], ["C"], ["B", "D"]]);
    expect(moveDown([["A", "B"], ["C"]], "A")).toEqual([["B"], ["A"], ["C"]]);
    expect(moveUp([["A", "B"]], "B")).toEqual([["B"], ["A"]]);
    expect(moveDown([["A", "B"]], "A")).toEqual([["B"], ["A"]]);
  });
});

describe("tieWithAbove / untie", () => {
  it("merges into the tier above", () => {
    expect(tieWithAbove(abcd(), "C")).toEqual([["A"], ["B", "C"], ["D"]]);
    expect(tieWithAbove([["A", "B"], ["C"]], "C")).toEqual([["A", "B", "C"]]);
  });
  it("takes only the candidate out of its own tie", () => {
    expect(tieWithAbove([["A"], ["B", "C"]], "C")).toEqual([["A", "C"], ["B"]]);
  });
  it("does nothing in the top tier", () => {
    expect(tieWithAbove(abcd(), "A")).toEqual(abcd());
  });
  it("unties into its own tier just below", () => {
    expect(untie([["A", "B", "C"], ["D"]], "A")).toEqual([["B", "C"], ["A"], ["D"]]);
    expect(untie(abcd(), "B")).toEqual(abcd());
  });
});

describe("moveToTier", () => {
  it("makes the candidate rank n in its own tier", () => {
    expect(moveToTier(abcd(), "D", 1)).toEqual([["D"], ["A"], ["B"], ["C"]]);
    expect(moveToTier(abcd(), "A", 3)).toEqual([["B"], ["C"], ["A"], ["D"]]);
    expect(moveToTier([["A", "B"], ["C"]], "B", 1)).toEqual([["B"], ["A"], ["C"]]);
  });
  it("clamps n to the available ranks", () => {
    expect(moveToTier(abcd(), "A", 9)).toEqual([["B"], ["C"], ["D"], ["A"]]);
    expect(moveToTier(abcd(), "C", 0)).toEqual([["C"], ["A"], ["B"], ["D"]]);
  });
});

describe("reorder (drag and drop)", () => {
  it("moves like a flat list between single tiers", () => {
    expect(reorder(abcd(), "A", "C")).toEqual([["B"], ["C"], ["A"], ["D"]]);
    expect(reorder(abcd(), "D", "B")).toEqual([["A"], ["D"], ["B"], ["C"]]);
    expect(reorder(abcd(), "B", "B")).toEqual(abcd());
  });
  it("places the dropped card in its own tier next to the target's tier", () => {
    expect(reorder([["A"], ["B", "C"], ["D"]], "A", "B")).toEqual([["B", "C"], ["A"], ["D"]]);
    expect(reorder([["A"], ["B", "C"], ["D"]], "D", "C")).toEqual([["A"], ["D"], ["B", "C"]]);
    expect(reorder([["A", "B"], ["C"]], "A", "C")).toEqual([["B"], ["C"], ["A"]]);
  });
});

describe("normalizeTiers / isShownOrder / letterFor", () => {
  it("drops unknown and duplicate ids, appends missing ones", () => {
    expect(normalizeTiers([["A", "X"], ["A"], [], ["C"]], ["A", "B", "C"])).toEqual([["A"], ["C"], ["B"]]);
  });
  it("detects the untouched shown order", () => {
    expect(isShownOrder(abcd(), ["A", "B", "C", "D"])).toBe(true);
    expect(isShownOrder(moveUp(abcd(), "B"), ["A", "B", "C", "D"])).toBe(false);
    expect(isShownOrder([["A", "B"], ["C"], ["D"]], ["A", "B", "C", "D"])).toBe(false);
  });
  it("labels positions A..Z then AA", () => {
    expect([0, 1, 25, 26, 27].map(letterFor)).toEqual(["A", "B", "Z", "AA", "AB"]);
  });
});

describe("flags", () => {
  it("toggles kinds and removes empty entries", () => {
    const on = toggleFlag({}, "A", "harmful");
    expect(on).toEqual({ A: { kinds: ["harmful"], note: "" } });
    expect(toggleFlag(toggleFlag(on, "A", "off_task"), "A", "harmful")).toEqual({
      A: { kinds: ["off_task"], note: "" },
    });
    expect(toggleFlag(on, "A", "harmful")).toEqual({});
  });
  it("keeps the note with 'other' and clears it when 'other' goes", () => {
    let flags = toggleFlag(toggleFlag({}, "B", "other"), "B", "low_quality");
    flags = setFlagNote(flags, "B", "rambles");
    expect(flags).toEqual({ B: { kinds: ["other", "low_quality"], note: "rambles" } });
    expect(toggleFlag(flags, "B", "other")).toEqual({ B: { kinds: ["low_quality"], note: "" } });
  });
  it("ignores notes for unflagged candidates and reports missing 'other' notes", () => {
    expect(setFlagNote({}, "A", "x")).toEqual({});
    const flags = { A: { kinds: ["other" as const], note: " " }, B: { kinds: ["other" as const], note: "ok" } };
    expect(missingFlagNotes(flags)).toEqual(["A"]);
  });
});

describe("strength of preference between adjacent tiers", () => {
  it("is chosen per boundary and read back best pair first, null where not chosen", () => {
    let choices: TStrengthChoices = setStrength({}, abcd(), 0, "much_better");
    choices = setStrength(choices, abcd(), 2, "slightly_better");
    expect(strengthsOf(abcd(), choices)).toEqual(["much_better", null, "slightly_better"]);
    expect(missingStrengths(abcd(), choices)).toEqual([1]);
    expect(setStrength(choices, abcd(), 3, "better")).toBe(choices); // no boundary below the last tier
    expect(strengthsOf([["A", "B", "C", "D"]], choices)).toEqual([]);
  });

  it("ignores the order inside a tie", () => {
    expect(boundaryKey(["B", "A"], ["C"])).toBe(boundaryKey(["A", "B"], ["C"]));
    const choices = setStrength({}, [["A", "B"], ["C"]], 0, "better");
    expect(strengthsOf([["B", "A"], ["C"]], choices)).toEqual(["better"]);
  });

  it("keeps the boundaries whose two tiers are unchanged and asks again for the changed ones", () => {
    let choices: TStrengthChoices = {};
    ["much_better", "better", "slightly_better"].forEach((s, i) => {
      choices = setStrength(choices, abcd(), i, s as "better");
    });
    // D moves above C: A>B is untouched, B>C becomes B>D (new), C>D becomes D>C (new).
    const moved = moveUp(abcd(), "D");
    expect(strengthsOf(moved, keepStrengths(choices, moved))).toEqual(["much_better", null, null]);
    // C joins B's tier: A>B changed (B is no longer alone), B>C is gone, C>D becomes {B,C}>D.
    const tied = tieWithAbove(abcd(), "C");
    expect(strengthsOf(tied, keepStrengths(choices, tied))).toEqual([null, null]);
    // Pruned: moving back does not resurrect the old choices that were dropped.
    const back = moveDown(moved, "D");
    expect(strengthsOf(back, keepStrengths(keepStrengths(choices, moved), back))).toEqual(["much_better", null, null]);
  });

  it("applies a strength key below the selected answer's tier, or above it for the last tier", () => {
    expect(boundaryFor(abcd(), "A")).toBe(0);
    expect(boundaryFor(abcd(), "C")).toBe(2);
    expect(boundaryFor(abcd(), "D")).toBe(2);
    expect(boundaryFor([["A", "B"]], "A")).toBeNull();
    expect(boundaryFor(abcd(), "Z")).toBeNull();
  });

  it("submits strengths only where the project asks, one per boundary", () => {
    const state = {
      ...initialBoardState(["A", "B", "C"]),
      strengths: setStrength({}, [["A"], ["B"], ["C"]], 1, "better"),
    };
    expect(submissionOf(state, false)).toEqual({
      tiers: [["A"], ["B"], ["C"]],
      flags: {},
      noneAcceptable: false,
      rationale: "",
    });
    const full = { ...state, strengths: setStrength(state.strengths, state.tiers, 0, "much_better") };
    expect(submissionOf(full, true).strengths).toEqual(["much_better", "better"]);
  });
});
