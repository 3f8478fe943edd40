// The built-in oracles: a panel of labellers who agree on what is right and prefer full sentences but differ
// in noise, and a second panel that prefers terse answers (to check that a loop learns the preference it is
// given). A panel member is chosen per prompt, as a labelling queue assigns prompts to people.
import { hashString } from "../corpus/random";
import type { TStyle } from "../corpus/tasks";
import type { TOracle, TOraclePrompt } from "./oracle";
import { simulatedLabeller } from "./simulated-labeller";

export function panel(name: string, members: readonly TOracle[]): TOracle {
  if (members.length === 0) throw new RangeError("a panel needs at least one labeller");
  return {
    name,
    rank: (prompt: TOraclePrompt, candidates: readonly string[]) =>
      (members[hashString(prompt.id) % members.length] as TOracle).rank(prompt, candidates),
  };
}

function styledPanel(name: string, styleOrder: readonly TStyle[], seed: number): TOracle {
  const base = { styleOrder, skipRate: 0.03 };
  return panel(name, [
    simulatedLabeller({ ...base, name: `${name}/careful`, noise: 0.05, tieRate: 0.05, seed: seed + 1 }),
    simulatedLabeller({ ...base, name: `${name}/average`, noise: 0.15, tieRate: 0.1, seed: seed + 2 }),
    simulatedLabeller({ ...base, name: `${name}/hasty`, noise: 0.3, tieRate: 0.15, seed: seed + 3 }),
  ]);
}

export const BUILTIN_ORACLES = {
  /** Prefers a full sentence, then the sentence with an extra fact, then terse, then chatty. */
  sentence: () => styledPanel("sentence", ["sentence", "extra-fact", "terse", "chatty"], 100),
  /** Prefers terse answers, then a sentence, then the extra fact, then chatty. */
  terse: () => styledPanel("terse", ["terse", "sentence", "extra-fact", "chatty"], 200),
} as const;
/** The same preferences without noise, ties or skips: what a built-in panel means, to evaluate against. */
export const EXACT_ORACLES: Readonly<Record<TBuiltinOracle, () => TOracle>> = {
  sentence: () => exact("sentence", ["sentence", "extra-fact", "terse", "chatty"]),
  terse: () => exact("terse", ["terse", "sentence", "extra-fact", "chatty"]),
};

function exact(name: string, styleOrder: readonly TStyle[]): TOracle {
  return simulatedLabeller({ name: `${name}/exact`, styleOrder, noise: 0, tieRate: 0, skipRate: 0, seed: 0 });
}

export type TBuiltinOracle = keyof typeof BUILTIN_ORACLES;
