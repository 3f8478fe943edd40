// Checkpoints in BF16 and F16 load (upcast to float32) to the logits of their F32 original within the
// precision's tolerance; a sharded copy loads to identical logits; a mismatched checkpoint is reported by name.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openCheckpoint, saveCheckpoint } from "../checkpoint/checkpoint-dir";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { expectClose } from "../testing";
import { loadModel } from "./causal-lm";
import { copyModelDir, goldenBatch, tempRoot } from "./test-fixtures";

const fixture = loadGoldenFixture();
const tmp = tempRoot("prefloop-model-dtypes-");
afterAll(() => tmp.remove());

/** A copy of `src` with every tensor saved as `dtype` (sharded when maxShardBytes is given). */
function rewrite(src: string, dtype: "F32" | "F16" | "BF16", maxShardBytes?: number): string {
  const dst = tmp.fresh(`${path.basename(src)}-${dtype}`);
  fs.copyFileSync(path.join(src, "config.json"), path.join(dst, "config.json"));
  const ckpt = openCheckpoint(src);
  const tensors = [...ckpt.entries.values()].map((e) => ({
    name: e.name,
    shape: e.shape,
    dtype,
    data: ckpt.readFloat32(e.name),
  }));
  ckpt.close();
  saveCheckpoint(dst, tensors, { maxShardBytes });
  return dst;
}

async function logitsOf(dir: string, c: Parameters<typeof goldenBatch>[0]): Promise<Float32Array> {
  const m = loadModel(dir, { session: { intraOpThreads: 1 } });
  try {
    return (await m.decode(goldenBatch(c), null, "all")).logits.data;
  } finally {
    await m.dispose();
  }
}

/** Largest |a - e| over real (non-pad) positions. */
function maxRealDiff(a: Float32Array, e: Float32Array, mask: number[][], V: number): number {
  let worst = 0;
  mask.flat().forEach((m, i) => {
    if (m !== 1) return;
    for (let v = 0; v < V; v++) worst = Math.max(worst, Math.abs((a[i * V + v] ?? NaN) - (e[i * V + v] ?? NaN)));
  });
  return worst;
}

const report: string[] = [];
afterAll(() =>
  console.info(`reduced-precision checkpoints, max |logit - F32 logit| at real positions:\n${report.join("\n")}`),
);

describe.each(fixture.configs)("checkpoint precision of $name", (g) => {
  const c = g.cases.find((k) => k.name === "batch") ?? g.cases[0];
  if (!c) throw new Error(`${g.name} has no case`);
  const V = c.logitsShape[2];
  let f32: Float32Array;
  const original = async () => (f32 ??= await logitsOf(g.dir, c));

  // NOTE: budget = 20 x the format's unit roundoff (BF16 2^-9, F16 2^-12), relative to max|logit|: every
  // weight is rounded once, and two layers of products amplify it. Measured: BF16 0.7-2.1%, F16 0.08-0.12%.
  it.each([
    { dtype: "BF16" as const, budget: 20 * 2 ** -9 },
    { dtype: "F16" as const, budget: 20 * 2 ** -12 },
  ])("a $dtype copy gives the F32 logits within 20 units of roundoff x max|logit|", async ({ dtype, budget }) => {
    const dir = rewrite(g.dir, dtype);
    const m = loadModel(dir, { session: { intraOpThreads: 1 } });
    expect(m.weights.get("model.norm.weight")?.dtype).toBe("float32");
    await m.dispose();
    const diff = maxRealDiff(await logitsOf(dir, c), await original(), c.attentionMask, V);
    report.push(
      `  ${g.name} ${dtype}: ${diff.toExponential(2)} (${(diff / c.logitsMaxAbs).toExponential(2)} of max|logit|)`,
    );
    expect(diff).toBeGreaterThan(0); // the copy really is rounded
    expect(diff).toBeLessThanOrEqual(budget * c.logitsMaxAbs);
  });

  it("a sharded copy (model.safetensors.index.json) gives identical logits", async () => {
    const dir = rewrite(g.dir, "F32", 16 * 1024);
    expect(fs.readdirSync(dir).filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f)).length).toBeGreaterThan(2);
    expectClose(await logitsOf(dir, c), await original(), { atol: 0, rtol: 0 }, "sharded logits");
  });
});

describe("checkpoint mismatches", () => {
  it("names the missing and unknown tensors", () => {
    const g = fixture.configs[0];
    if (!g) throw new Error("no golden config");
    const dir = copyModelDir(g.dir, tmp.fresh("mismatch"), { num_hidden_layers: 3 });
    expect(() => loadModel(dir)).toThrow(/missing \(\d+\):[\s\S]*model\.layers\.2\.self_attn\.q_proj\.weight/);
    const fewer = copyModelDir(g.dir, tmp.fresh("fewer"), { num_hidden_layers: 1 });
    expect(() => loadModel(fewer)).toThrow(/unknown \(\d+\):[\s\S]*model\.layers\.1\.mlp\.down_proj\.weight/);
  });
});
