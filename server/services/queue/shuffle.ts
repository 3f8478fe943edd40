// Unbiased shuffle (Fisher-Yates over crypto randomness) for the order candidates are shown in.
import { randomInt } from "node:crypto";

export function shuffled<T>(items: readonly T[], random: (n: number) => number = randomInt): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
