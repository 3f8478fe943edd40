// The draft in local storage keeps the strengths chosen; a foreign strength value is dropped, not the draft.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clearDraft, loadDraft, saveDraft } from "./task-draft";
import { initialBoardState } from "./board-state";

const store = new Map<string, string>();
const fakeStorage = {
  getItem: (k: string) => store.get(k) ?? null,
  setItem: (k: string, v: string) => void store.set(k, v),
  removeItem: (k: string) => void store.delete(k),
};

beforeAll(() => {
  (globalThis as { window?: unknown }).window = { localStorage: fakeStorage };
});
afterAll(() => {
  delete (globalThis as { window?: unknown }).window;
});

describe("task draft", () => {
  it("keeps the strengths chosen", () => {
    const state = { ...initialBoardState(["a", "b"]), strengths: { "a>b": "much_better" as const } };
    saveDraft("as-1", state);
    expect(loadDraft("as-1")).toEqual(state);
    clearDraft("as-1");
    expect(loadDraft("as-1")).toBeNull();
  });

  it("drops strengths it does not know and keeps the rest of the draft", () => {
    const state = initialBoardState(["a", "b"]);
    store.set("prefloop:draft:as-2", JSON.stringify({ savedAt: 1, state: { ...state, strengths: { "a>b": "huge" } } }));
    expect(loadDraft("as-2")).toEqual({ ...state, strengths: {} });
    store.set("prefloop:draft:as-3", JSON.stringify({ savedAt: 1, state: { ...state, strengths: ["better"] } }));
    expect(loadDraft("as-3")).toEqual(state);
  });
});
