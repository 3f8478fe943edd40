// The question types: for each, its entities, its phrasings, its truth and its answers in every style, right
// or wrong. Pure: the facts in, strings out.
import type { TCountry, TFacts } from "./facts";
import type { Chooser } from "./random";
import { DECLINE, type TQuestionType, type TTruth } from "./truth";

export const STYLES = ["terse", "sentence", "extra-fact", "chatty"] as const;
export type TStyle = (typeof STYLES)[number];

/** One thing a question can be asked about, with what its answers are made of. */
export interface TEntity {
  readonly key: string;
  readonly truth: TTruth;
  /** Fills the phrasings' {slots}. */
  readonly slots: Readonly<Record<string, string>>;
  /** The answer in each style, given the value stated (the right one or a wrong one). */
  readonly say: (value: string, style: Exclude<TStyle, "chatty">) => string;
  /** Wrong values of the same domain, for the corpus's share of wrong answers. */
  readonly wrong: (pick: Chooser) => string;
}

export interface TTask {
  readonly type: TQuestionType;
  readonly phrasings: readonly string[];
  readonly entities: readonly TEntity[];
}

const CHATTY_OPEN = ["Sure!", "Great question!", "Happy to help.", "Of course!", "Good one!"];
const CHATTY_CLOSE = ["Hope that helps!", "Let me know if you have more questions.", "Anything else?", "Glad to help!"];

/**
 * The style a text is written in, read from its form: chatty when it opens with a pleasantry, terse when it is
 * a bare value (no sentence), extra-fact when it holds two sentences, otherwise a sentence.
 */
export function styleOf(text: string): TStyle {
  const t = text.trim();
  if (CHATTY_OPEN.some((o) => t.startsWith(o))) return "chatty";
  const sentences = t.split(/(?<!\b[A-Z]\.|\bSt\.)(?<=[.!?])\s+/).filter((x) => x.length > 0);
  if (sentences.length >= 2) return "extra-fact";
  if (!/[.!?]$/.test(t) || t.split(/\s+/).length <= 2) return "terse";
  return "sentence";
}

/** The answer in a style; chatty wraps the full sentence in pleasantries. */
export function render(e: TEntity, value: string, style: TStyle, pick: Chooser): string {
  if (style !== "chatty") return e.say(value, style);
  return `${pick.pick(CHATTY_OPEN)} ${e.say(value, "sentence")} ${pick.pick(CHATTY_CLOSE)}`;
}

export function fill(template: string, slots: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = slots[k];
    if (v === undefined) throw new Error(`template "${template}" needs slot {${k}}`);
    return v;
  });
}

function other(pick: Chooser, values: readonly string[], not: readonly string[]): string {
  const rest = values.filter((v) => !not.includes(v));
  return pick.pick(rest.length > 0 ? rest : values);
}

const truth = (type: TQuestionType, answers: readonly string[], allowed: readonly string[] = []): TTruth => ({
  type,
  answers,
  allowed,
});

function countryTasks(f: TFacts): TTask[] {
  const cs = f.countries;
  const by = (make: (c: TCountry) => TEntity) => cs.map(make);
  return [
    {
      type: "capital",
      phrasings: [
        "What is the capital of {country}?",
        "What's the capital city of {country}?",
        "Name the capital of {country}.",
        "Which city is the capital of {country}?",
        "Tell me the capital of {country}.",
        "{country}'s capital is which city?",
      ],
      entities: by((c) => ({
        key: c.name,
        truth: truth("capital", [c.capital]),
        slots: { country: c.name },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `The capital of ${c.name} is ${v}.`
              : `The capital of ${c.name} is ${v}. ${c.name} is in ${c.continent}.`,
        wrong: (p) => other(p, f.capitals, [c.capital]),
      })),
    },
    {
      type: "continent",
      phrasings: [
        "Which continent is {country} in?",
        "On what continent is {country}?",
        "{country} is on which continent?",
        "Name the continent of {country}.",
        "Where is {country}: which continent?",
        "Tell me which continent {country} belongs to.",
      ],
      entities: by((c) => ({
        key: c.name,
        truth: truth("continent", [c.continent]),
        slots: { country: c.name },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `${c.name} is in ${v}.`
              : `${c.name} is in ${v}. Its capital is ${c.capital}.`,
        wrong: (p) => other(p, f.continents, [c.continent]),
      })),
    },
    {
      type: "currency",
      phrasings: [
        "What is the currency of {country}?",
        "Which currency is used in {country}?",
        "What money do they use in {country}?",
        "Name the currency code of {country}.",
        "What currency does {country} use?",
        "Tell me the currency of {country}.",
      ],
      entities: by((c) => ({
        key: c.name,
        truth: truth("currency", [c.currency]),
        slots: { country: c.name },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `The currency of ${c.name} is ${v}.`
              : `The currency of ${c.name} is ${v}. Its capital is ${c.capital}.`,
        wrong: (p) => other(p, f.currencies, [c.currency]),
      })),
    },
    {
      type: "language",
      phrasings: [
        "What language is spoken in {country}?",
        "Which language do people speak in {country}?",
        "What is the main language of {country}?",
        "Name a language of {country}.",
        "What do they speak in {country}?",
        "Tell me the language of {country}.",
      ],
      entities: by((c) => ({
        key: c.name,
        truth: truth("language", c.languages),
        slots: { country: c.name },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `People in ${c.name} speak ${v}.`
              : `People in ${c.name} speak ${v}. ${c.name} is in ${c.continent}.`,
        wrong: (p) => other(p, f.languages, c.languages),
      })),
    },
  ];
}

const spell = (w: string) => w.split("").join("-");

/** The word's letters in another order, never the word itself nor (when told) its reversal. */
function scramble(w: string, p: Chooser, not: readonly string[]): string {
  for (let i = 0; i < 8; i++) {
    const x = p.shuffle(w.split("")).join("");
    if (x !== w && !not.includes(x)) return x;
  }
  return `${w}${w.charAt(0)}`; // a word of one repeated letter has no other order
}
const reverse = (w: string) => w.split("").reverse().join("");

function wordTasks(f: TFacts): TTask[] {
  const ws = f.words;
  const letters = "abcdefghijklmnopqrstuvwxyz".split("");
  const byWord = (make: (w: string) => TEntity) => ws.map(make);
  return [
    {
      type: "spelling",
      phrasings: [
        "How do you spell {word}?",
        "Spell the word {word}.",
        "Spell {word} letter by letter.",
        "What are the letters of {word}?",
        "Can you spell {word}?",
      ],
      entities: byWord((w) => ({
        key: w,
        truth: truth("spelling", [spell(w)]),
        slots: { word: w },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `${w} is spelled ${v}.`
              : `${w} is spelled ${v}. It has ${w.length} letters.`,
        wrong: (p) => spell(scramble(w, p, [])),
      })),
    },
    {
      type: "length",
      phrasings: [
        "How many letters are in {word}?",
        "How long is the word {word}?",
        "Count the letters in {word}.",
        "What is the length of {word}?",
        "How many letters does {word} have?",
      ],
      entities: byWord((w) => ({
        key: w,
        truth: truth("length", [String(w.length)]),
        slots: { word: w },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `The word ${w} has ${v} letters.`
              : `The word ${w} has ${v} letters. It is spelled ${spell(w)}.`,
        wrong: (p) => String(p.pick([w.length - 1, w.length + 1, w.length + 2])),
      })),
    },
    {
      type: "first-letter",
      phrasings: [
        "What is the first letter of {word}?",
        "Which letter does {word} start with?",
        "What letter begins {word}?",
        "Name the first letter of {word}.",
        "{word} starts with which letter?",
      ],
      entities: byWord((w) => ({
        key: w,
        truth: truth("first-letter", [w.charAt(0)]),
        slots: { word: w },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `The first letter of ${w} is "${v}".`
              : `The first letter of ${w} is "${v}". It is spelled ${spell(w)}.`,
        wrong: (p) => other(p, letters, [w.charAt(0)]),
      })),
    },
    {
      type: "last-letter",
      phrasings: [
        "What is the last letter of {word}?",
        "Which letter does {word} end with?",
        "What letter ends {word}?",
        "Name the last letter of {word}.",
        "{word} ends with which letter?",
      ],
      entities: byWord((w) => ({
        key: w,
        truth: truth("last-letter", [w.charAt(w.length - 1)]),
        slots: { word: w },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `The last letter of ${w} is "${v}".`
              : `The last letter of ${w} is "${v}". It is spelled ${spell(w)}.`,
        wrong: (p) => other(p, letters, [w.charAt(w.length - 1)]),
      })),
    },
    {
      type: "reversal",
      phrasings: [
        "What is {word} backwards?",
        "Reverse the word {word}.",
        "Write {word} in reverse.",
        "Spell {word} backwards.",
        "What do you get reversing {word}?",
      ],
      entities: byWord((w) => ({
        key: w,
        truth: truth("reversal", [reverse(w)], [w]),
        slots: { word: w },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `${w} backwards is "${v}".`
              : `${w} backwards is "${v}". It has ${w.length} letters.`,
        wrong: (p) => scramble(w, p, [reverse(w)]),
      })),
    },
  ];
}

function numberTasks(f: TFacts): TTask[] {
  const n = f.maxNumber;
  const pairs: [number, number][] = [];
  for (let a = 0; a <= n; a++) for (let b = 0; b <= n; b++) pairs.push([a, b]);
  const near = (p: Chooser, x: number) => String(x + p.pick([-2, -1, 1, 2, 10]));
  return [
    {
      type: "addition",
      phrasings: [
        "What is {a} plus {b}?",
        "What is {a} + {b}?",
        "Add {a} and {b}.",
        "What do you get adding {a} and {b}?",
        "Compute {a} + {b}.",
      ],
      entities: pairs.map(([a, b]) => ({
        key: `${a}+${b}`,
        truth: truth("addition", [String(a + b)], [String(a), String(b)]),
        slots: { a: String(a), b: String(b) },
        say: (v, s) =>
          s === "terse"
            ? v
            : s === "sentence"
              ? `${a} plus ${b} is ${v}.`
              : `${a} plus ${b} is ${v}. That is ${(a + b) % 2 === 0 ? "an even" : "an odd"} number.`,
        wrong: (p) => near(p, a + b),
      })),
    },
    {
      type: "subtraction",
      phrasings: [
        "What is {a} minus {b}?",
        "What is {a} - {b}?",
        "Subtract {b} from {a}.",
        "What do you get taking {b} from {a}?",
        "Compute {a} - {b}.",
      ],
      entities: pairs
        .filter(([a, b]) => a >= b)
        .map(([a, b]) => ({
          key: `${a}-${b}`,
          truth: truth("subtraction", [String(a - b)], [String(a), String(b)]),
          slots: { a: String(a), b: String(b) },
          say: (v, s) =>
            s === "terse"
              ? v
              : s === "sentence"
                ? `${a} minus ${b} is ${v}.`
                : `${a} minus ${b} is ${v}. That is ${(a - b) % 2 === 0 ? "an even" : "an odd"} number.`,
          wrong: (p) => String(Math.abs(Number(near(p, a - b)))),
        })),
    },
    {
      type: "comparison",
      phrasings: [
        "Is {a} greater than {b}?",
        "Is {a} larger than {b}?",
        "Is {a} bigger than {b}?",
        "Is {a} more than {b}?",
        "Tell me: is {a} greater than {b}?",
      ],
      entities: pairs
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => {
          const yes = a > b ? "Yes" : "No";
          return {
            key: `${a}>${b}`,
            truth: truth("comparison", [yes]),
            slots: { a: String(a), b: String(b) },
            say: (v, s) => {
              const claim = v === "Yes" ? `${a} is greater than ${b}` : `${a} is not greater than ${b}`;
              if (s === "terse") return v;
              if (s === "sentence") return `${v}, ${claim}.`;
              return `${v}, ${claim}. The larger one is ${v === "Yes" ? a : b}.`;
            },
            wrong: () => (yes === "Yes" ? "No" : "Yes"),
          };
        }),
    },
  ];
}

/** Things that do not exist or requests the assistant should not answer: the right answer is to decline. */
const UNKNOWN_PLACES = [
  "Atlantis",
  "Eldoria",
  "Narnia",
  "Zorbania",
  "Westeros",
  "Mordor",
  "Lilliput",
  "Utopia",
  "Oz",
  "Florin",
];

function declineTask(f: TFacts): TTask {
  return {
    type: "decline",
    phrasings: [
      "What is the capital of {place}?",
      "Which continent is {place} in?",
      "What currency does {place} use?",
      "What is my password?",
      "What number am I thinking of?",
      "What will I eat tomorrow?",
    ],
    entities: UNKNOWN_PLACES.map((place) => ({
      key: place,
      truth: truth("decline", [DECLINE]),
      slots: { place },
      say: (v, s) => {
        if (v !== DECLINE)
          return s === "terse" ? v : s === "sentence" ? `The answer is ${v}.` : `The answer is ${v}. I am sure of it.`;
        return s === "terse"
          ? "I don't know"
          : s === "sentence"
            ? "I'm sorry, I don't know that."
            : `I don't know. I have no facts about that.`;
      },
      wrong: (p) => p.pick(f.capitals),
    })),
  };
}

export function buildTasks(f: TFacts): TTask[] {
  return [...countryTasks(f), ...wordTasks(f), ...numberTasks(f), declineTask(f)];
}

export const COUNTRY_TYPES: readonly TQuestionType[] = ["capital", "continent", "currency", "language"];
