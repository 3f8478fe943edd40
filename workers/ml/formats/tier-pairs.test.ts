// Tests of tier-to-pair expansion: ties, margins, order and duplicate ids.
import { describe, expect, it } from "vitest";
import { pairsFromTiers } from "./tier-pairs";

describe("pairsFromTiers", () => {
  it("pairs across tiers only, with tier distance as margin, in a fixed order", () => {
    expect(pairsFromTiers([["a"], ["b", "c"], ["d"]])).toEqual([
      { chosen: "a", rejected: "b", margin: 1 },
      { chosen: "a", rejected: "c", margin: 1 },
      { chosen: "a", rejected: "d", margin: 2 },
      { chosen: "b", rejected: "d", margin: 1 },
      { chosen: "c", rejected: "d", margin: 1 },
    ]);
  });

  it("orders by chosen tier, then rejected tier, then position", () => {
    expect(pairsFromTiers([["a", "b"], ["c"], ["d", "e"]]).map((p) => `${p.chosen}>${p.rejected}:${p.margin}`)).toEqual(
      ["a>c:1", "b>c:1", "a>d:2", "a>e:2", "b>d:2", "b>e:2", "c>d:1", "c>e:1"],
    );
  });

  it("gives nothing for a single tier (all tied) or a single candidate", () => {
    expect(pairsFromTiers([["a", "b", "c"]])).toEqual([]);
    expect(pairsFromTiers([["a"]])).toEqual([]);
  });

  it("refuses a candidate ranked twice", () => {
    expect(() => pairsFromTiers([["a"], ["b", "a"]])).toThrow('candidate "a" appears more than once in the ranking');
  });
});
