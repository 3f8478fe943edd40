// An example preference plug-in for `--oracle workers/house/labellers/examples/prefer-chatty.mjs`:
// right answers first, and among them the longest (the chattiest) first; wrong answers in one last tier.
// prompt: { id, type, messages, truth, isCorrect(text) }; candidates: strings; returns tiers of indices.
export function rank(prompt, candidates) {
  const right = candidates.map((_, i) => i).filter((i) => prompt.isCorrect(candidates[i]));
  const wrong = candidates.map((_, i) => i).filter((i) => !prompt.isCorrect(candidates[i]));
  const tiers = right.sort((a, b) => candidates[b].length - candidates[a].length).map((i) => [i]);
  if (wrong.length > 0) tiers.push(wrong);
  return tiers;
}
