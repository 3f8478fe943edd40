// Server-render smoke test of the ranking board: structure, test ids and tie/flag display.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RankingBoard, initialBoardState } from "./ranking-board";
import type { TBoardState } from "./ranking-board";

const candidates = [
  { id: "c1", text: "First **answer**" },
  { id: "c2", text: "# Second\nwith a heading" },
  { id: "c3", text: "Third <script>alert(1)</script>" },
];
const noop = () => {};
const render = (state: TBoardState) =>
  renderToStaticMarkup(
    <RankingBoard candidates={candidates} state={state} onChange={noop} onSubmit={noop} onSkip={noop} />,
  );

/** The markup of the element carrying `data-testid`, up to the next tier (good enough to check membership). */
function tierSlice(html: string, n: number): string {
  const start = html.indexOf(`data-testid="tier-${n}"`);
  const end = html.indexOf(`data-testid="tier-${n + 1}"`);
  return html.slice(start, end < 0 ? undefined : end);
}

describe("RankingBoard (server render)", () => {
  it("renders one tier per candidate in shown order, with all controls", () => {
    const html = render(initialBoardState(candidates.map((c) => c.id)));
    for (const [n, letter] of [
      [1, "A"],
      [2, "B"],
      [3, "C"],
    ] as const) {
      expect(tierSlice(html, n)).toContain(`data-testid="candidate-card-${letter}"`);
      for (const id of ["move-up", "move-down", "tie", "flag-button"])
        expect(html).toContain(`data-testid="${id}-${letter}"`);
      expect(html).toContain(`data-testid="answer-column-${letter}"`);
    }
    for (const id of ["submit-button", "skip-button", "keyboard-help", "none-acceptable", "rationale"]) {
      expect(html).toContain(`data-testid="${id}"`);
    }
    expect(html).not.toContain("<script");
    expect(html).not.toContain("tier-4");
  });

  it("groups ties, shows flags, and reflects the verdict fields", () => {
    const html = render({
      tiers: [["c3"], ["c1", "c2"]],
      flags: { c2: { kinds: ["harmful"], note: "" } },
      noneAcceptable: true,
      rationale: "C is clearer",
    });
    expect(tierSlice(html, 1)).toContain('data-testid="candidate-card-C"');
    const tie = tierSlice(html, 2);
    expect(tie).toContain('data-testid="candidate-card-A"');
    expect(tie).toContain('data-testid="candidate-card-B"');
    expect(tie).toContain("Untie");
    expect(html).toContain("Flagged: Harmful");
    expect(html).toMatch(/data-testid="none-acceptable"[^>]*checked=""/);
    expect(html).toContain("C is clearer");
  });

  it("repairs a stale state: unknown ids dropped, missing ones appended", () => {
    const html = render({ tiers: [["zz"], ["c2"]], flags: {}, noneAcceptable: false, rationale: "" });
    expect(tierSlice(html, 1)).toContain('data-testid="candidate-card-B"');
    expect(html).toContain('data-testid="tier-3"');
  });
});
