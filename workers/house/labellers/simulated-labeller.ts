// A simulated labeller who knows the truth: correct answers before wrong ones, then its style preference,
// with a configurable share of noisy judgments (a random order), of ties (two neighbouring tiers merged) and
// of skipped prompts. Deterministic: the same labeller gives the same judgment to the same prompt and
// candidates, whatever else it has judged.
import { Chooser, hashString } from "../corpus/random";
import { STYLES, styleOf, type TStyle } from "../corpus/tasks";
import type { TOracle, TOraclePrompt } from "./oracle";

export interface TLabellerOptions {
  readonly name: string;
  /** Styles best first; styles not listed come after, in STYLES order. */
  readonly styleOrder: readonly TStyle[];
  /** Share of judgments that are a random order of the candidates (still with ties and skips). */
  readonly noise: number;
  /** Share of judgments in which two neighbouring tiers are merged (the labeller could not decide). */
  readonly tieRate: number;
  /** Share of prompts skipped (no judgment). */
  readonly skipRate: number;
  readonly seed: number;
}

function checkShare(name: string, x: number): void {
  if (!(x >= 0 && x <= 1)) throw new RangeError(`labeller option ${name} must be a share in [0, 1], got ${x}`);
}

/** A labeller answers at once: its rank() is synchronous. */
export interface TSimulatedLabeller extends TOracle {
  readonly rank: (prompt: TOraclePrompt, candidates: readonly string[]) => number[][] | null;
}

export function simulatedLabeller(o: TLabellerOptions): TSimulatedLabeller {
  checkShare("noise", o.noise);
  checkShare("tieRate", o.tieRate);
  checkShare("skipRate", o.skipRate);
  const order = [...o.styleOrder, ...STYLES.filter((s) => !o.styleOrder.includes(s))];
  return {
    name: o.name,
    rank(prompt: TOraclePrompt, candidates: readonly string[]) {
      const pick = Chooser.of(o.seed, hashString(`${prompt.id}\u0000${candidates.join("\u0000")}`));
      if (pick.chance(o.skipRate)) return null;
      // Key: wrong answers after every right one, then the style's place in the preference.
      const key = candidates.map((c) => (prompt.isCorrect(c) ? 0 : order.length) + order.indexOf(styleOf(c)));
      let tiers: number[][];
      if (pick.chance(o.noise)) {
        tiers = pick.shuffle(candidates.map((_, i) => i)).map((i) => [i]);
      } else {
        const keys = [...new Set(key)].sort((a, b) => a - b);
        tiers = keys.map((k) => key.flatMap((x, i) => (x === k ? [i] : [])));
      }
      if (tiers.length >= 2 && pick.chance(o.tieRate)) {
        const t = pick.int(0, tiers.length - 2);
        tiers = [...tiers.slice(0, t), [...(tiers[t] ?? []), ...(tiers[t + 1] ?? [])], ...tiers.slice(t + 2)];
      }
      return tiers;
    },
  };
}
