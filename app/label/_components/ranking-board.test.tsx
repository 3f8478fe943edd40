// Server-render smoke test of the ranking board: structure, test ids and tie/flag display.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RankingBoard, initialBoardState } from "./ranking-board";
import type { TBoardState } from "./ranking-board";
import { AnswerColumns } from "./answer-columns";
import { similarCandidates } from "./answer-diff";

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

describe("RankingBoard: strength of preference and the diff view (server render)", () => {
  const similar = [
    { id: "s1", text: "The sky is **green** today." },
    { id: "s2", text: "The sky is **blue** today." },
  ];
  const renderWith = (props: { candidates?: typeof candidates; state: TBoardState; asksStrength?: boolean }) =>
    renderToStaticMarkup(
      <RankingBoard
        candidates={props.candidates ?? candidates}
        state={props.state}
        asksStrength={props.asksStrength}
        onChange={noop}
        onSubmit={noop}
        onSkip={noop}
      />,
    );

  it("asks between each two adjacent tiers, in a radio group named after both, when the project asks", () => {
    const state = { ...initialBoardState(["c1", "c2", "c3"]), tiers: [["c1"], ["c2", "c3"]] };
    const html = renderWith({ state, asksStrength: true });
    expect(html).toContain('data-testid="strength-1"');
    expect(html).not.toContain('data-testid="strength-2"');
    expect(html).toMatch(/role="radiogroup" aria-label="How much better is rank 1 \(A\) than rank 2 \(B, C\)\?"/);
    for (const s of ["much_better", "better", "slightly_better"]) expect(html).toContain(`strength-1-${s}`);
    expect(html).not.toMatch(/type="radio"[^>]*checked=""/); // nothing preselected
    expect(renderWith({ state })).not.toContain("strength-1");
  });

  it("shows the chosen strength of a boundary whose tiers are as they were", () => {
    const html = renderWith({
      state: { ...initialBoardState(["c1", "c2", "c3"]), strengths: { "c1>c2": "much_better", "c3>c1": "better" } },
      asksStrength: true,
    });
    expect(html).toMatch(/data-testid="strength-1" data-strength="much_better"/);
    expect(html).toMatch(/data-testid="strength-2" data-strength=""/);
    expect(html).toMatch(/data-testid="strength-1-much_better"[^>]*checked=""/);
  });

  it("offers the diff toggle only for similar answers, and renders markdown as before while it is off", () => {
    const html = renderWith({ candidates: similar, state: initialBoardState(["s1", "s2"]) });
    expect(html).toContain('data-testid="diff-toggle"');
    expect(html).toContain('aria-pressed="false"');
    expect(html).toContain("<strong>green</strong>");
    expect(html).not.toContain("<ins");
    expect(renderWith({ state: initialBoardState(["c1", "c2", "c3"]) })).not.toContain("diff-toggle");
  });
});

describe("DiffText in the answer columns", () => {
  it("marks exactly the changed word with <ins>, the other's word with <del>, each with words for screen readers", () => {
    const candidates = [
      { id: "s1", text: "The sky is green today." },
      { id: "s2", text: "The sky is blue today." },
    ];
    const html = renderToStaticMarkup(
      <AnswerColumns
        candidates={candidates}
        letters={
          new Map([
            ["s1", "A"],
            ["s2", "B"],
          ])
        }
        rankOf={new Map()}
        flags={{}}
        selectedId={null}
        onSelect={noop}
        diffs={similarCandidates(candidates)}
      />,
    );
    const columnB = html.slice(html.indexOf('data-testid="answer-column-B"'));
    expect([...columnB.matchAll(/<ins[^>]*>([^<]*)<\/ins>/g)].map((m) => m[1])).toEqual(["underlined", "blue"]);
    expect([...columnB.matchAll(/<del[^>]*>([^<]*)<\/del>/g)].map((m) => m[1])).toEqual(["struck-through", "green"]);
    expect(columnB).toContain('<span class="sr-only">(added: </span>');
    expect(columnB).toContain("Compared with answer A");
  });
});
