// Sessions: typed feeds and fetches, configuration errors, the CUDA install message, and the session cache.
import { describe, expect, it, vi, type Mock } from "vitest";
import { fromNumbers, GraphBuilder, toNumbers, type Tensor } from "../ir";
import { serializeModel } from "../onnx";
import * as op from "../ops";
import { resolveSessionConfig } from "./config";
import { executionProviders } from "./providers";
import { createSession, type Session } from "./session";
import { SessionCache } from "./session-cache";

function model(): Uint8Array {
  const b = new GraphBuilder();
  const ids = b.input("input_ids", "int64", ["batch", "seq"]);
  const h = b.input("h", "float16", [2]);
  b.output(op.add(b, ids, op.int64s(b, [10])), "shifted");
  b.output(op.mul(b, h, h), "h2");
  return serializeModel(b.build()).model;
}

function must(out: Record<string, Tensor>, name: string): Tensor {
  const t = out[name];
  if (!t) throw new Error(`output ${name} missing`);
  return t;
}

const feeds = { input_ids: fromNumbers("int64", [1, 3], [1, 2, 3]), h: fromNumbers("float16", [2], [1.5, -2]) };

describe("Session", () => {
  it("runs with int64 (BigInt64Array) and float16 tensors", async () => {
    const s = await createSession(model(), { intraOpThreads: 1, optimizationLevel: "basic" });
    expect(s.inputNames).toEqual(["input_ids", "h"]);
    const out = await s.run(feeds);
    expect(must(out, "shifted").data).toBeInstanceOf(BigInt64Array);
    expect(toNumbers(must(out, "shifted"))).toEqual([11, 12, 13]);
    expect(must(out, "h2").dtype).toBe("float16");
    expect(toNumbers(must(out, "h2"))).toEqual([2.25, 4]);
    expect(Object.keys(await s.run(feeds, ["h2"]))).toEqual(["h2"]);
    await s.dispose();
    await expect(s.run(feeds)).rejects.toThrow("session is disposed");
  });

  it("names missing, unknown and unsupported feeds", async () => {
    const s = await createSession(model());
    await expect(s.run({ input_ids: feeds.input_ids })).rejects.toThrow(/missing h; expected input_ids, h/);
    await expect(s.run({ ...feeds, extra: feeds.h })).rejects.toThrow(/unknown extra/);
    await expect(s.run(feeds, ["nope"])).rejects.toThrow(/unknown outputs nope/);
    await expect(s.run({ ...feeds, h: fromNumbers("bfloat16", [2], [1, 2]) })).rejects.toThrow(
      /bfloat16 tensors cannot cross/,
    );
    await s.dispose();
  });

  it("reports a model onnxruntime cannot load", async () => {
    await expect(createSession(new Uint8Array([1, 2, 3]))).rejects.toThrow(/onnxruntime could not load the model/);
  });

  it("validates its configuration", () => {
    expect(resolveSessionConfig()).toEqual({
      provider: "cpu",
      deviceId: 0,
      intraOpThreads: 0,
      interOpThreads: 0,
      optimizationLevel: "all",
      allowSpinning: false,
      memoryArena: true,
      memoryPattern: true,
    });
    expect(() => resolveSessionConfig({ provider: "tpu" as never })).toThrow(/unknown execution provider "tpu"/);
    expect(() => resolveSessionConfig({ allowSpinning: "yes" as never })).toThrow(/allowSpinning must be a boolean/);
    expect(() => resolveSessionConfig({ intraOpThreads: -1 })).toThrow(/intraOpThreads must be a non-negative integer/);
    expect(() => resolveSessionConfig({ optimizationLevel: "max" as never })).toThrow(
      /unknown graph optimization level/,
    );
  });

  it("asks for cuda with a clear install step when the provider is missing", async () => {
    const cuda = resolveSessionConfig({ provider: "cuda", deviceId: 1 });
    expect(() => executionProviders(cuda, () => false)).toThrow(
      "ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node",
    );
    expect(executionProviders(cuda, () => true)).toEqual([{ name: "cuda", deviceId: 1 }, "cpu"]);
    // This machine has no CUDA provider installed: a real request fails with the same message.
    await expect(createSession(model(), { provider: "cuda" })).rejects.toThrow(
      /ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node/,
    );
  });
});

describe("SessionCache", () => {
  const key = (graphKind: string, modelId = "m1") => ({ modelId, graphKind, shapeClass: "default" });
  const fake = () => ({ dispose: vi.fn(async () => {}) }) as unknown as Session;
  /** The dispose mock of a fake session (a property, so reading it alone is safe). */
  const disposeOf = (s: Session) => (s as unknown as { dispose: Mock<() => Promise<void>> }).dispose;

  it("creates once per key, even for concurrent callers", async () => {
    const cache = new SessionCache();
    const create = vi.fn(() => Promise.resolve(fake()));
    const [a, b] = await Promise.all([cache.get(key("decode"), create), cache.get(key("decode"), create)]);
    expect(a).toBe(b);
    expect(create).toHaveBeenCalledTimes(1);
    expect(await cache.get(key("score"), create)).not.toBe(a);
    expect(cache.size).toBe(2);
  });

  it("disposes by key, by model and on eviction (least recently used first)", async () => {
    const cache = new SessionCache(2);
    const s1 = await cache.get(key("decode"), () => Promise.resolve(fake()));
    const s2 = await cache.get(key("score"), () => Promise.resolve(fake()));
    await cache.get(key("decode"), () => Promise.resolve(fake())); // touch: score is now the oldest
    const s3 = await cache.get(key("reward"), () => Promise.resolve(fake()));
    expect(disposeOf(s2)).toHaveBeenCalledTimes(1);
    expect(cache.has(key("score"))).toBe(false);
    await cache.dispose(key("decode"));
    expect(disposeOf(s1)).toHaveBeenCalledTimes(1);
    const other = await cache.get(key("decode", "m2"), () => Promise.resolve(fake()));
    await cache.disposeModel("m1");
    expect(disposeOf(s3)).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(1);
    await cache.disposeAll();
    expect(disposeOf(other)).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(0);
  });

  it("forgets a failed creation so the next call retries", async () => {
    const cache = new SessionCache();
    await expect(cache.get(key("decode"), () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await Promise.resolve();
    expect(cache.has(key("decode"))).toBe(false);
  });

  it("caches real sessions", async () => {
    const cache = new SessionCache();
    const s = await cache.get(key("decode"), () => createSession(model()));
    expect(toNumbers(must(await s.run(feeds), "shifted"))).toEqual([11, 12, 13]);
    await cache.disposeAll();
    expect(s.isDisposed).toBe(true);
  });
});
