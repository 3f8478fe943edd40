// Sessions cached per (model id, graph kind, shape class), least recently used evicted and disposed; no loading.
import type { Session } from "./session";

export interface SessionKey {
  readonly modelId: string;
  /** decode, score, reward, train-*. */
  readonly graphKind: string;
  /** Which static-shape variant (e.g. "dynamic", "b8"); "default" when there is one. */
  readonly shapeClass: string;
}

interface Entry {
  readonly key: SessionKey;
  readonly session: Promise<Session>;
}

function keyText(k: SessionKey): string {
  return JSON.stringify([k.modelId, k.graphKind, k.shapeClass]);
}

export class SessionCache {
  readonly #entries = new Map<string, Entry>();

  constructor(readonly maxEntries = 16) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The cached session for `key`, created once by `create` (concurrent callers share the creation). */
  async get(key: SessionKey, create: () => Promise<Session>): Promise<Session> {
    const k = keyText(key);
    const hit = this.#entries.get(k);
    if (hit) {
      this.#entries.delete(k); // re-insert: Map order is the recency order
      this.#entries.set(k, hit);
      return hit.session;
    }
    const session = create();
    this.#entries.set(k, { key, session });
    session.catch(() => this.#entries.get(k)?.session === session && this.#entries.delete(k));
    await this.#evict();
    return session;
  }

  has(key: SessionKey): boolean {
    return this.#entries.has(keyText(key));
  }

  async dispose(key: SessionKey): Promise<void> {
    await this.#drop((e) => keyText(e.key) === keyText(key));
  }

  /** Disposes every session of one model (after its weights change). */
  async disposeModel(modelId: string): Promise<void> {
    await this.#drop((e) => e.key.modelId === modelId);
  }

  async disposeAll(): Promise<void> {
    await this.#drop(() => true);
  }

  async #evict(): Promise<void> {
    const excess = [...this.#entries.values()].slice(0, Math.max(0, this.#entries.size - this.maxEntries));
    await this.#drop((e) => excess.includes(e));
  }

  async #drop(match: (e: Entry) => boolean): Promise<void> {
    const gone = [...this.#entries].filter(([, e]) => match(e));
    for (const [k] of gone) this.#entries.delete(k);
    await Promise.all(gone.map(async ([, e]) => (await e.session.catch(() => null))?.dispose()));
  }
}
