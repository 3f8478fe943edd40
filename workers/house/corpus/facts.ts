// The facts the corpus is made of, from npm data packages: countries (capital, continent, currency, language)
// from countries-list, short English words from an-array-of-english-words, and small numbers. Pure data.
import { continents, countries, languages } from "countries-list";
import { createRequire } from "node:module";
import { Chooser } from "./random";

export interface TCountry {
  readonly name: string;
  readonly capital: string;
  readonly continent: string;
  /** ISO 4217 code (the package has no currency names). */
  readonly currency: string;
  /** Language names, the main one first. */
  readonly languages: readonly string[];
}

export interface TFacts {
  readonly countries: readonly TCountry[];
  readonly words: readonly string[];
  /** Largest operand of the arithmetic and comparison questions. */
  readonly maxNumber: number;
  /** Every capital, continent, currency and language of the chosen countries (the checker's domains). */
  readonly capitals: readonly string[];
  readonly continents: readonly string[];
  readonly currencies: readonly string[];
  readonly languages: readonly string[];
}

export interface TFactOptions {
  readonly countries: number;
  readonly words: number;
  readonly maxNumber: number;
}

// The package is a bare JSON array without types; require() reads it the same in Node, tsx and vitest.
const words = createRequire(import.meta.url)("an-array-of-english-words") as readonly string[];

const SIMPLE = /^[A-Za-z][A-Za-z .'-]*$/;

/** Countries whose names and capitals are plain ASCII, distinct and not inside one another (so a checker can
 *  tell "Mexico" from "Mexico City"), with one currency; sorted by name. */
function eligibleCountries(): TCountry[] {
  const all: TCountry[] = [];
  for (const c of Object.values(countries)) {
    const langs = c.languages
      .map((l) => languages[l]?.name)
      .filter((n): n is string => n !== undefined && SIMPLE.test(n));
    if (!c.capital || !SIMPLE.test(c.name) || !SIMPLE.test(c.capital) || c.currency.length !== 1 || langs.length === 0)
      continue;
    all.push({
      name: c.name,
      capital: c.capital,
      continent: continents[c.continent],
      currency: c.currency[0] as string,
      languages: langs,
    });
  }
  const names = all.flatMap((c) => [c.name, c.capital]);
  const clash = (s: string) => names.filter((n) => n !== s && (n.includes(s) || s.includes(n))).length > 0;
  const capitalCount = new Map<string, number>();
  for (const c of all) capitalCount.set(c.capital, (capitalCount.get(c.capital) ?? 0) + 1);
  return all
    .filter((c) => !clash(c.name) && !clash(c.capital) && capitalCount.get(c.capital) === 1)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Three- to six-letter lower-case words. */
function eligibleWords(): string[] {
  return words.filter((w) => /^[a-z]{3,6}$/.test(w));
}

export function buildFacts(seed: number, o: TFactOptions): TFacts {
  const pick = Chooser.of(seed, 1);
  const allCountries = eligibleCountries();
  if (o.countries > allCountries.length)
    throw new RangeError(`countries: at most ${allCountries.length} are eligible, asked for ${o.countries}`);
  const chosen = pick
    .fork(1)
    .shuffle(allCountries)
    .slice(0, o.countries)
    .sort((a, b) => a.name.localeCompare(b.name));
  const allWords = eligibleWords();
  const chosenWords = pick.fork(2).shuffle(allWords).slice(0, o.words).sort();
  const uniq = (xs: readonly string[]) => [...new Set(xs)].sort();
  return {
    countries: chosen,
    words: chosenWords,
    maxNumber: o.maxNumber,
    capitals: uniq(chosen.map((c) => c.capital)),
    continents: uniq(chosen.map((c) => c.continent)),
    currencies: uniq(chosen.map((c) => c.currency)),
    languages: uniq(chosen.flatMap((c) => c.languages)),
  };
}

export const ELIGIBLE_COUNTRY_COUNT = eligibleCountries().length;
