// Strength of preference at submit: one strength per pair of adjacent tiers when the project asks for it, none
// when it does not. Pure; submit-judgment.ts calls it with the project's current setting.
import { AppError } from "../../errors";
import type { TStrengths, TTiers } from "../../domain";

/** The strengths to store (null: the project does not ask), or a BAD_INPUT that says what is wrong. */
export function checkStrengths(asks: boolean, tiers: TTiers, strengths: TStrengths | undefined): TStrengths | null {
  const expected = tiers.length - 1;
  if (!asks) {
    if (strengths === undefined) return null;
    throw new AppError(
      "BAD_INPUT",
      "strengths: this project does not ask how much better each tier is than the next; send no strengths (reload the page if it asked before).",
    );
  }
  if (strengths === undefined)
    throw new AppError(
      "BAD_INPUT",
      `strengths: this project asks how much better each tier is than the next: ${expected} needed (one per pair of adjacent tiers), none sent (reload the page if it did not ask before).`,
    );
  if (strengths.length !== expected)
    throw new AppError(
      "BAD_INPUT",
      `strengths: ${strengths.length} sent for ${tiers.length} tiers; one per pair of adjacent tiers is ${expected}.`,
    );
  return [...strengths];
}
