// Pre-training documents: every fact the questions ask about, stated in plain prose several ways, so that a
// held-out question asks about something the model has read (only the question's phrasing is new to it).
import type { TCountry, TFacts } from "./facts";
import type { Chooser } from "./random";

function countrySentences(c: TCountry, p: Chooser): string[] {
  const lang = c.languages.join(" and ");
  return [
    p.pick([
      `The capital of ${c.name} is ${c.capital}.`,
      `${c.capital} is the capital of ${c.name}.`,
      `${c.name} has its capital in ${c.capital}.`,
    ]),
    p.pick([
      `${c.name} is in ${c.continent}.`,
      `${c.name} is a country in ${c.continent}.`,
      `${c.name} lies in ${c.continent}.`,
    ]),
    p.pick([
      `The currency of ${c.name} is ${c.currency}.`,
      `In ${c.name} people pay with ${c.currency}.`,
      `${c.name} uses the currency ${c.currency}.`,
    ]),
    p.pick([
      `People in ${c.name} speak ${lang}.`,
      `The language of ${c.name} is ${lang}.`,
      `In ${c.name} they speak ${lang}.`,
    ]),
  ];
}

function wordSentences(w: string, p: Chooser): string[] {
  const spelled = w.split("").join("-");
  const rev = w.split("").reverse().join("");
  return [
    p.pick([`The word ${w} is spelled ${spelled}.`, `${w} is spelled ${spelled}.`]),
    p.pick([`The word ${w} has ${w.length} letters.`, `${w} is ${w.length} letters long.`]),
    p.pick([`The first letter of ${w} is "${w.charAt(0)}".`, `${w} starts with "${w.charAt(0)}".`]),
    p.pick([`The last letter of ${w} is "${w.charAt(w.length - 1)}".`, `${w} ends with "${w.charAt(w.length - 1)}".`]),
    p.pick([`${w} backwards is "${rev}".`, `Reversed, ${w} is "${rev}".`]),
  ];
}

/** Every sum, difference (a >= b) and comparison (a != b) the questions can ask, each worded one way. */
function arithmeticSentences(n: number, p: Chooser): string[] {
  const out: string[] = [];
  for (let a = 0; a <= n; a++)
    for (let b = 0; b <= n; b++) {
      out.push(p.pick([`${a} plus ${b} is ${a + b}.`, `${a} + ${b} = ${a + b}.`]));
      if (a >= b) out.push(p.pick([`${a} minus ${b} is ${a - b}.`, `${a} - ${b} = ${a - b}.`]));
      if (a !== b) out.push(a > b ? `${a} is greater than ${b}.` : `${a} is not greater than ${b}.`);
    }
  return out;
}

/** `repeats` passes over every fact, each a fresh shuffle and wording; documents of a few sentences. */
export function pretrainTexts(f: TFacts, repeats: number, p: Chooser): string[] {
  const docs: string[] = [];
  for (let r = 0; r < repeats; r++) {
    const q = p.fork(r);
    for (const c of f.countries) docs.push(q.shuffle(countrySentences(c, q)).join(" "));
    for (const w of f.words) docs.push(q.shuffle(wordSentences(w, q)).join(" "));
    const sums = q.shuffle(arithmeticSentences(f.maxNumber, q));
    for (let i = 0; i < sums.length; i += 8) docs.push(sums.slice(i, i + 8).join(" "));
  }
  return p.fork(1_000_003).shuffle(docs);
}
