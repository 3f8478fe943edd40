// The block quantizer and one MatMulNBits layer in onnxruntime: the kernel must compute x @ dequant(W)^T, the
// float32 matrix the quantizer's own dequantization gives (the reference), for 4 and 8 bits.
import { describe, expect, it } from "vitest";
import { GraphBuilder, tensor } from "../ir";
import { serializeModel } from "../onnx";
import { createSession } from "../runtime";
import { expectClose, Rng } from "../testing";
import { loadGoldenFixture } from "../reference/golden/golden-fixture";
import { loadModel } from "./causal-lm";
import { dequantizeMatrix, quantizeMatrix } from "./quantize";
import { goldenBatch } from "./test-fixtures";
import { matMulNBits } from "./quantized-linear";

function randomMatrix(rng: Rng, n: number, k: number, std: number): Float32Array {
  return Float32Array.from({ length: n * k }, () => std * rng.normal());
}

/** x [m, k] @ w[n, k]^T in float64. */
function matMulT(x: Float32Array, w: Float32Array, m: number, n: number, k: number): Float64Array {
  const y = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += (x[i * k + c] as number) * (w[j * k + c] as number);
      y[i * n + j] = s;
    }
  return y;
}

describe("quantizeMatrix", () => {
  // 8 bits: half a step; 4 bits: a step (Q4_0's range [-8, 7] * scale clamps the side opposite the largest value).
  it.each([4, 8] as const)("%i bits: dequantization error stays within its block's step", (bits) => {
    const rng = new Rng(3);
    const [n, k] = [8, 100]; // 100: the last block is padded
    const w = randomMatrix(rng, n, k, 0.02);
    const q = quantizeMatrix(w, n, k, bits, 32);
    expect(q.nBlocks).toBe(4);
    expect(q.packed.length).toBe(n * 4 * ((32 * bits) / 8));
    const d = dequantizeMatrix(q);
    for (let r = 0; r < n; r++)
      for (let c = 0; c < k; c++) {
        const scale = Math.abs(q.scales[r * q.nBlocks + Math.floor(c / 32)] as number);
        expect(Math.abs((d[r * k + c] as number) - (w[r * k + c] as number))).toBeLessThanOrEqual(
          scale * (bits === 4 ? 1 : 0.5) + 1e-9,
        );
      }
  });

  it("keeps a zero block exact and maps the largest magnitude of a 4-bit block to q = 0", () => {
    const w = new Float32Array(64);
    for (let i = 32; i < 64; i++) w[i] = (i - 40) / 100; // largest magnitude 0.23 at i = 63
    const q = quantizeMatrix(w, 1, 64, 4, 32);
    expect(q.scales[0]).toBe(0);
    expect(Array.from(dequantizeMatrix(q).slice(0, 32))).toEqual(new Array(32).fill(0));
    expect(q.scales[1]).toBeCloseTo(0.23 / -8, 7);
    expect((q.packed[16 + 15] as number) >> 4).toBe(0); // element 63: high nibble of the block's last byte
  });
});

describe("MatMulNBits (onnxruntime CPU)", () => {
  it.each([
    [4, 0],
    [8, 0],
    [4, 4],
    [8, 4],
  ] as const)("bits %i, accuracy_level %i: equals x @ dequant(W)^T", async (bits, level) => {
    const rng = new Rng(11 + bits);
    const [m, n, k] = [5, 48, 96];
    const w = randomMatrix(rng, n, k, 0.05);
    const x = randomMatrix(rng, m, k, 1);
    const q = quantizeMatrix(w, n, k, bits, 32);
    const b = new GraphBuilder("nbits");
    const xv = b.input("x", "float32", ["batch", k]);
    b.output(matMulNBits(b, xv, q, level), "y");
    const session = await createSession(serializeModel(b.build()).model, { provider: "cpu", intraOpThreads: 1 });
    try {
      const { y } = await session.run({ x: tensor("float32", [m, k], x) });
      const expected = matMulT(x, dequantizeMatrix(q), m, n, k);
      // accuracy_level 4 quantizes x to int8 per block inside the kernel: a looser tolerance.
      const tol = level === 4 ? { atol: 2e-2, rtol: 2e-2 } : { atol: 1e-5, rtol: 1e-5 };
      expectClose(y?.data as Float32Array, expected, tol, `y (bits ${bits})`);
      // And the quantized product is not the float32 one: the test would notice a kernel that ignored B.
      const exact = matMulT(x, w, m, n, k);
      let diff = 0;
      for (let i = 0; i < exact.length; i++)
        diff = Math.max(diff, Math.abs((exact[i] as number) - (expected[i] as number)));
      expect(diff).toBeGreaterThan(1e-5);
    } finally {
      await session.dispose();
    }
  });
});

describe("a quantized model from loadModel", () => {
  it("drops the float32 copies of the packed layers before its first session, and keeps serving every graph", async () => {
    const g = loadGoldenFixture().configs.find((c) => c.name === "llama-gqa"); // untied LM head
    if (!g) throw new Error("golden llama-gqa missing");
    const model = loadModel(g.dir, { session: { intraOpThreads: 1 }, quantize: "q4" });
    try {
      expect(model.quantize).toBe("q4");
      expect(model.weights.has("model.layers.0.self_attn.q_proj.weight")).toBe(true);
      const c = g.cases[0];
      if (!c) throw new Error("no case");
      const first = await model.decode(goldenBatch(c), null, "last");
      for (const name of [
        "model.layers.0.self_attn.q_proj.weight",
        "model.layers.1.mlp.down_proj.weight",
        "lm_head.weight",
      ])
        expect(model.weights.has(name), name).toBe(false);
      expect(model.weights.has("model.embed_tokens.weight")).toBe(true);
      expect(model.weights.has("model.layers.0.input_layernorm.weight")).toBe(true);
      // Other graphs of the same model still build from the packed cache.
      const all = await model.decode(goldenBatch(c), null, "all");
      const [B, T, V] = all.logits.shape as [number, number, number];
      for (let b = 0; b < B; b++)
        expectClose(
          first.logits.data.subarray(b * V, (b + 1) * V),
          all.logits.data.subarray((b * T + T - 1) * V, (b * T + T) * V),
          { atol: 1e-4, rtol: 1e-4 },
          `row ${b}`,
        );
    } finally {
      await model.dispose();
    }
  });
});
