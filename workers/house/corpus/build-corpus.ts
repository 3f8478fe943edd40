// The whole corpus from one seed: pre-training documents, SFT conversations (styles mixed, a share of wrong
// answers, multi-turn follow-ups, declines), the pool of prompts for ranking rounds, and the fixed held-out
// questions (entity x phrasing) that none of the others contains. Every item carries its truth.
import { buildFacts, type TFactOptions, type TFacts } from "./facts";
import { pretrainTexts } from "./pretrain-text";
import { Chooser, hashString } from "./random";
import { buildTasks, COUNTRY_TYPES, fill, render, STYLES, type TEntity, type TStyle, type TTask } from "./tasks";
import type { TQuestionType, TTruth } from "./truth";

export interface TChatMessage {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/** A question the model can be asked, with everything an oracle needs to judge an answer to it. */
export interface TItem {
  /** `type|entity|phrasing`; follow-ups: `type|entity|f<phrasing>`. */
  readonly id: string;
  readonly type: TQuestionType;
  readonly entity: string;
  /** The conversation up to the question (the last message is the user's). */
  readonly messages: readonly TChatMessage[];
  readonly truth: TTruth;
  readonly followUp: boolean;
}

export interface TSftExample {
  readonly item: TItem;
  readonly style: TStyle;
  readonly correct: boolean;
  readonly answer: string;
}

export interface TCorpusOptions extends TFactOptions {
  readonly seed: number;
  /** Share of (entity, phrasing) questions held out, decided by a hash of the question, not by the seed. */
  readonly heldOutShare: number;
  readonly sftExamples: number;
  /** Share of SFT answers that state a wrong value. */
  readonly wrongShare: number;
  /** Share of SFT conversations that are a follow-up after a first question. */
  readonly followUpShare: number;
  /** Passes of the pre-training text over every fact. */
  readonly pretrainRepeats: number;
}

export const DEFAULT_CORPUS_OPTIONS: TCorpusOptions = {
  seed: 1,
  countries: 120,
  words: 150,
  maxNumber: 20,
  heldOutShare: 0.15,
  sftExamples: 12000,
  wrongShare: 0.15,
  followUpShare: 0.15,
  pretrainRepeats: 8,
};

export interface TCorpus {
  readonly options: TCorpusOptions;
  readonly facts: TFacts;
  readonly pretrain: readonly string[];
  readonly sft: readonly TSftExample[];
  /** Questions for ranking and training rounds: every item that is not held out. */
  readonly pool: readonly TItem[];
  readonly heldOut: readonly TItem[];
}

const FOLLOW_UPS: Readonly<Partial<Record<TQuestionType, readonly string[]>>> = {
  capital: ["And what is its capital?", "What about its capital city?", "Which city is its capital?"],
  continent: ["And which continent is it in?", "What continent is that on?", "Where is it: which continent?"],
  currency: ["And what currency does it use?", "What about its currency?", "Which money do they use there?"],
  language: ["And what language do they speak there?", "What about its language?", "Which language is spoken there?"],
};

/** Declines are a few requests among many questions: a fifth of one type's share. */
const DECLINE_WEIGHT = 0.2;

export function isHeldOutId(id: string, share: number): boolean {
  return hashString(id) % 10_000 < share * 10_000;
}

function single(task: TTask, e: TEntity, phrasing: number): TItem {
  return {
    id: `${task.type}|${e.key}|${phrasing}`,
    type: task.type,
    entity: e.key,
    messages: [{ role: "user", content: fill(task.phrasings[phrasing] as string, e.slots) }],
    truth: e.truth,
    followUp: false,
  };
}

/** Every follow-up conversation: a first question (phrasing 0 of another country type, answered right in
 *  a full sentence) then the follow-up about the same country. */
function followUps(tasks: readonly TTask[]): TItem[] {
  const byType = new Map(tasks.map((t) => [t.type, t]));
  const out: TItem[] = [];
  for (const type of COUNTRY_TYPES) {
    const task = byType.get(type) as TTask;
    const first = byType.get(
      COUNTRY_TYPES[(COUNTRY_TYPES.indexOf(type) + 1) % COUNTRY_TYPES.length] as TQuestionType,
    ) as TTask;
    (FOLLOW_UPS[type] ?? []).forEach((q, i) =>
      task.entities.forEach((e, k) => {
        const opener = first.entities[k] as TEntity;
        out.push({
          id: `${type}|${e.key}|f${i}`,
          type,
          entity: e.key,
          messages: [
            { role: "user", content: fill(first.phrasings[0] as string, opener.slots) },
            { role: "assistant", content: opener.say(opener.truth.answers[0] as string, "sentence") },
            { role: "user", content: q },
          ],
          truth: e.truth,
          followUp: true,
        });
      }),
    );
  }
  return out;
}

export function buildCorpus(options: Partial<TCorpusOptions> = {}): TCorpus {
  const o = { ...DEFAULT_CORPUS_OPTIONS, ...options };
  const facts = buildFacts(o.seed, o);
  const tasks = buildTasks(facts);
  const entityOf = new Map<string, TEntity>();
  const singles: TItem[] = [];
  for (const t of tasks) {
    // Per type, not per entity: a decline phrasing without a slot reads the same for every place, and one
    // question must have one id (or a held-out one could reach SFT under another).
    const seen = new Set<string>();
    for (const e of t.entities) {
      entityOf.set(`${t.type}|${e.key}`, e);
      t.phrasings.forEach((_, i) => {
        const item = single(t, e, i);
        const text = item.messages[0]?.content ?? "";
        if (seen.has(text)) return;
        seen.add(text);
        singles.push(item);
      });
    }
  }
  const all = [...singles, ...followUps(tasks)];
  const heldOut = all.filter((it) => isHeldOutId(it.id, o.heldOutShare));
  const pool = all.filter((it) => !isHeldOutId(it.id, o.heldOutShare));
  const poolFollow = pool.filter((it) => it.followUp);
  // Types are drawn evenly (declines rarely), not items: arithmetic has far more entities than the rest.
  const byType = new Map<TQuestionType, TItem[]>();
  for (const it of pool) if (!it.followUp) byType.set(it.type, [...(byType.get(it.type) ?? []), it]);
  const types = [...byType.keys()];
  const weights = types.map((t) => (t === "decline" ? DECLINE_WEIGHT : 1));
  const drawType = (q: Chooser): TQuestionType => {
    let x = q.float() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < types.length; i++) if ((x -= weights[i] as number) < 0) return types[i] as TQuestionType;
    return types.at(-1) as TQuestionType;
  };

  const p = Chooser.of(o.seed, 2);
  const sft: TSftExample[] = [];
  for (let i = 0; i < o.sftExamples; i++) {
    const q = p.fork(i);
    const item =
      q.chance(o.followUpShare) && poolFollow.length > 0 ? q.pick(poolFollow) : q.pick(byType.get(drawType(q)) ?? []);
    const entity = entityOf.get(`${item.type}|${item.entity}`) as TEntity;
    const style = q.pick(STYLES);
    const correct = !q.chance(o.wrongShare);
    const value = correct ? q.pick(item.truth.answers) : entity.wrong(q);
    sft.push({ item, style, correct, answer: render(entity, value, style, q) });
  }
  return {
    options: o,
    facts,
    pretrain: pretrainTexts(facts, o.pretrainRepeats, Chooser.of(o.seed, 3)),
    sft,
    pool,
    heldOut,
  };
}

/** The entity behind an item, to render answers to it in any style (the labellers' and benchmarks' use). */
export function answerIn(corpus: TCorpus, item: TItem, style: TStyle, correct: boolean, seed: number): string {
  const task = buildTasks(corpus.facts).find((t) => t.type === item.type);
  const e = task?.entities.find((x) => x.key === item.entity);
  if (!e) throw new Error(`no entity ${item.entity} of type ${item.type}`);
  const q = Chooser.of(seed);
  return render(e, correct ? (item.truth.answers[0] as string) : e.wrong(q), style, q);
}
