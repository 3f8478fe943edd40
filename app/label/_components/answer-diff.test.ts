// The diff view's pure parts: the similarity ratio, who is paired with whom, and the segments marked.
import { describe, expect, it } from "vitest";
import { SIMILARITY_THRESHOLD, diffSegments, similarCandidates, similarity } from "./answer-diff";

const joined = (segments: { kind: string; text: string }[]) =>
  segments
    .filter((s) => s.kind !== "removed")
    .map((s) => s.text)
    .join("");

describe("similarity", () => {
  it("is the share of unchanged words of both texts", () => {
    expect(similarity("The sky is blue today.", "The sky is blue today.")).toBe(1);
    // 6 tokens each (5 words and the full stop), 5 unchanged: 2 × 5 / 12.
    expect(similarity("The sky is green today.", "The sky is blue today.")).toBeCloseTo(10 / 12);
    expect(similarity("", "")).toBe(0);
  });
  it("gives 0 to texts too different to be near the threshold, without diffing them in full", () => {
    expect(similarity("Paris is the capital of France.", "Bananas are yellow when ripe, mostly.")).toBe(0);
    const long = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(" ");
    const other = Array.from({ length: 3000 }, (_, i) => `v${i}`).join(" ");
    expect(similarity(long, other)).toBe(0);
  });
  it("uses a threshold between 0.6 and 0.8", () => {
    expect(SIMILARITY_THRESHOLD).toBeGreaterThanOrEqual(0.6);
    expect(SIMILARITY_THRESHOLD).toBeLessThanOrEqual(0.8);
  });
});

describe("diffSegments", () => {
  it("marks the one changed word, with the partner's word in its place", () => {
    expect(diffSegments("The sky is green today.", "The sky is blue today.")).toEqual([
      { kind: "same", text: "The sky is " },
      { kind: "removed", text: "green" },
      { kind: "added", text: "blue" },
      { kind: "same", text: " today." },
    ]);
  });
  it("keeps the text exactly (whitespace, newlines, markdown) and marks words only", () => {
    const cases: [string, string][] = [
      ["Hello  world\n\nfoo", "Hello world\nbar"],
      ["a b c d e", "a  b\tX d e  "],
      ["- item one\n- item two\n\n```js\nx = 1\n```", "- item one\n- item 2\n\n```js\nx = 2\n```"],
      ["  lead a b", "lead a c  "],
    ];
    for (const [partner, text] of cases) {
      const segments = diffSegments(partner, text);
      expect(joined(segments)).toBe(text);
      for (const s of segments.filter((s) => s.kind !== "same")) expect(s.text).toBe(s.text.trim());
    }
  });
  it("has nothing to mark in identical texts", () => {
    expect(diffSegments("Same words.", "Same words.")).toEqual([{ kind: "same", text: "Same words." }]);
  });
});

describe("similarCandidates", () => {
  const a = { id: "a", text: "The capital of France is Paris, a city on the Seine." };
  const b = { id: "b", text: "The capital of France is Lyon, a city on the Seine." };
  const c = { id: "c", text: "The capital of France is Lyon, a town on the Rhône." };
  const d = { id: "d", text: "I would rather not answer questions about geography." };

  it("pairs each similar candidate with its most similar other one and leaves the others out", () => {
    const diffs = similarCandidates([a, b, c, d]);
    expect([...diffs.keys()].sort()).toEqual(["a", "b", "c"]);
    expect(diffs.get("a")?.partnerId).toBe("b");
    expect(diffs.get("b")?.partnerId).toBe("a"); // a and c are both one/three words away: a is closer
    expect(diffs.get("c")?.partnerId).toBe("b");
    expect(diffs.get("a")?.segments.filter((s) => s.kind === "added")).toEqual([{ kind: "added", text: "Paris" }]);
    expect(diffs.get("a")?.similarity).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD);
  });
  it("takes the first shown of equally similar partners, and finds nothing among different answers", () => {
    const b2 = { id: "b2", text: b.text };
    expect(similarCandidates([a, b, b2]).get("a")?.partnerId).toBe("b");
    expect(similarCandidates([a, d]).size).toBe(0);
    expect(similarCandidates([a]).size).toBe(0);
  });
  it("honours a stricter threshold", () => {
    expect(similarCandidates([a, c], 0.95).size).toBe(0);
    expect(similarCandidates([a, c], 0.6).size).toBe(2);
  });
});
