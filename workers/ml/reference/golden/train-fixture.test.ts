// Tests of the committed training golden fixture (train.bin, peft-keys.json) and its reader: format checks,
// gradients for exactly the tensors each case trains with the shapes of the checkpoint / LoRA, finite values,
// consistent inputs, and each loss recomputed here from the stored intermediate values (the contract's
// formulas, independently of the Python). The engine comparison tests live elsewhere.
// On a magic/version error: regenerate with `/usr/bin/python3 workers/ml/reference/golden/make_train_golden.py`.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GOLDEN_DIR, type TGoldenHfConfig } from "./golden-fixture";
import {
  TRAIN_CASE_NAMES,
  TRAIN_VERSION,
  decodeTrainFile,
  loadPeftKeys,
  loadTrainFixture,
  trainCase,
  trainGradient,
  type TrainCase,
  type TrainTensor,
} from "./train-fixture";

const fixture = loadTrainFixture();
const peftKeys = loadPeftKeys();
const trainBytes = fs.readFileSync(path.join(GOLDEN_DIR, "train.bin"));
const TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

/** Checkpoint names and shapes implied by a config (derived here, independently of the Python). */
function checkpointShapes(c: TGoldenHfConfig): Map<string, number[]> {
  const C = c.hidden_size;
  const HS = c.head_dim ?? C / c.num_attention_heads;
  const Q = c.num_attention_heads * HS;
  const KV = c.num_key_value_heads * HS;
  const I = c.intermediate_size;
  const out = new Map<string, number[]>([
    ["model.embed_tokens.weight", [c.vocab_size, C]],
    ["model.norm.weight", [C]],
  ]);
  if (!c.tie_word_embeddings) out.set("lm_head.weight", [c.vocab_size, C]);
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `model.layers.${l}.`;
    out.set(`${p}input_layernorm.weight`, [C]).set(`${p}post_attention_layernorm.weight`, [C]);
    out.set(`${p}self_attn.q_proj.weight`, [Q, C]).set(`${p}self_attn.k_proj.weight`, [KV, C]);
    out.set(`${p}self_attn.v_proj.weight`, [KV, C]).set(`${p}self_attn.o_proj.weight`, [C, Q]);
    if (c.model_type === "qwen2") {
      out
        .set(`${p}self_attn.q_proj.bias`, [Q])
        .set(`${p}self_attn.k_proj.bias`, [KV])
        .set(`${p}self_attn.v_proj.bias`, [KV]);
    }
    if (c.model_type === "qwen3") out.set(`${p}self_attn.q_norm.weight`, [HS]).set(`${p}self_attn.k_norm.weight`, [HS]);
    out
      .set(`${p}mlp.gate_proj.weight`, [I, C])
      .set(`${p}mlp.up_proj.weight`, [I, C])
      .set(`${p}mlp.down_proj.weight`, [C, I]);
  }
  return out;
}

/** Engine LoRA names: `<module>.lora_A.weight` [r, in] and `<module>.lora_B.weight` [out, r], all 7 targets. */
function loraShapes(c: TGoldenHfConfig, r: number): Map<string, number[]> {
  const ckpt = checkpointShapes(c);
  const out = new Map<string, number[]>();
  for (let l = 0; l < c.num_hidden_layers; l++) {
    for (const m of TARGETS) {
      const module = `model.layers.${l}.${["gate_proj", "up_proj", "down_proj"].includes(m) ? "mlp" : "self_attn"}.${m}`;
      const [outF, inF] = ckpt.get(`${module}.weight`) ?? [];
      if (outF === undefined || inF === undefined) throw new Error(`no ${module}`);
      out.set(`${module}.lora_A.weight`, [r, inF]).set(`${module}.lora_B.weight`, [outF, r]);
    }
  }
  return out;
}

function trainedShapes(c: TGoldenHfConfig, k: TrainCase, r: number): Map<string, number[]> {
  if (k.trainable === "full") return checkpointShapes(c);
  const out = loraShapes(c, r);
  if (k.trainable === "lora+score") out.set("score.weight", [1, c.hidden_size]);
  return out;
}

function maxAbs(t: TrainTensor): number {
  let m = 0;
  for (const v of t.data) m = Math.max(m, Math.abs(v));
  return m;
}

function withUint32(bytes: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}

const logsigmoid = (x: number): number => Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: number[]): number => sum(xs) / xs.length;
const row = <T>(m: T[][], b: number): T[] => m[b] ?? [];
const at = (xs: number[], i: number): number => {
  const v = xs[i];
  if (v === undefined) throw new RangeError(`index ${i} outside ${xs.length}`);
  return v;
};
/** Sum of a row's values where the mask is 1. */
const maskedSum = (values: number[][], mask: number[][], b: number): number =>
  sum(row(values, b).filter((_, t) => row(mask, b)[t] === 1));

describe("train golden fixture file", () => {
  it("has the current version, the two configs and every case", () => {
    expect(fixture.version).toBe(TRAIN_VERSION);
    expect(fixture.configs.map((c) => c.name)).toEqual(["llama-gqa", "qwen2-bias"]);
    for (const c of fixture.configs) expect(c.cases.map((k) => k.name)).toEqual([...TRAIN_CASE_NAMES]);
    expect(fixture.lora).toMatchObject({ r: 4, alpha: 8, scaling: 2, dropout: 0, targetModules: TARGETS });
    expect(trainBytes.byteLength).toBeLessThan(1_500_000);
  });

  it("references every tensor of its table exactly once", () => {
    const headerBytes = trainBytes.readUInt32LE(12);
    const header = JSON.parse(trainBytes.subarray(16, 16 + headerBytes).toString("utf8")) as {
      tensors: Record<string, unknown>;
      configs: {
        loraTensors: Record<string, string>;
        scoreHead: string;
        cases: { gradients: Record<string, string>; finalParams?: Record<string, string> }[];
      }[];
    };
    const refs: string[] = [];
    for (const c of header.configs) {
      refs.push(...Object.values(c.loraTensors), c.scoreHead);
      for (const k of c.cases) refs.push(...Object.values(k.gradients), ...Object.values(k.finalParams ?? {}));
    }
    expect(refs.slice().sort()).toEqual(Object.keys(header.tensors).sort());
    expect(new Set(refs).size).toBe(refs.length);
  });

  it("rejects a wrong magic, a wrong version and a truncated file, naming the regenerate command", () => {
    const badMagic = Uint8Array.from(trainBytes);
    badMagic[0] = 0x58;
    expect(() => decodeTrainFile(badMagic)).toThrow(/bad magic.*make_train_golden\.py/);
    expect(() => decodeTrainFile(withUint32(trainBytes, 8, TRAIN_VERSION + 1))).toThrow(
      /version 2.*make_train_golden\.py/,
    );
    expect(() => decodeTrainFile(trainBytes.subarray(0, trainBytes.byteLength - 8))).toThrow(
      /size.*make_train_golden\.py/,
    );
    expect(() => decodeTrainFile(trainBytes.subarray(0, 10))).toThrow(/too short/);
  });

  it("has peft-keys.json from a real PEFT run, whose keys are the fixture's LoRA names under base_model.model.", () => {
    expect(peftKeys.source).toBe("peft 0.21.0 run");
    expect(peftKeys.versions.peft).toBe("0.21.0");
    for (const c of fixture.configs) {
      const entry = peftKeys.configs[c.name];
      expect(entry, c.name).toBeDefined();
      if (!entry) continue;
      const lora = [...c.loraTensors.keys()].map((n) => `base_model.model.${n}`);
      expect(entry.causalLm.keys).toEqual(lora.slice().sort());
      expect(entry.sequenceClassification.keys).toEqual([...lora, "base_model.model.score.weight"].sort());
      for (const [key, shape] of Object.entries(entry.sequenceClassification.shapes)) {
        const name = key.replace(/^base_model\.model\./, "");
        expect(shape, key).toEqual(name === "score.weight" ? c.scoreHead.shape : c.loraTensors.get(name)?.shape);
      }
      expect(Object.values(entry.sequenceClassification.dtypes).every((d) => d === "F32")).toBe(true);
    }
  });
});

describe.each(fixture.configs.map((c) => [c.name, c] as const))("train golden config %s", (_name, entry) => {
  const { config } = entry;
  const r = fixture.lora.r;

  it("lists the checkpoint's tensors and holds LoRA A/B and the score head with the right shapes", () => {
    const ckpt = checkpointShapes(config);
    expect(entry.tensorNames).toEqual([...ckpt.keys()].sort());
    const lora = loraShapes(config, r);
    expect([...entry.loraTensors.keys()].sort()).toEqual([...lora.keys()].sort());
    for (const [name, t] of entry.loraTensors) {
      expect(t.shape, name).toEqual(lora.get(name));
      expect(t.data.every(Number.isFinite)).toBe(true);
      expect(maxAbs(t), name).toBeGreaterThan(0); // A and B both random: every LoRA gradient is non-zero
      const bound = 1 / Math.sqrt(at(t.shape, 1));
      if (name.endsWith("lora_A.weight")) expect(maxAbs(t), name).toBeLessThanOrEqual(bound);
    }
    expect(entry.scoreHead.shape).toEqual([1, config.hidden_size]);
  });

  it.each(entry.cases.map((k) => [k.name, k] as const))(
    "case %s has finite gradients for exactly what it trains",
    (_case, k) => {
      const expected = k.name === "adamw" ? new Map<string, number[]>() : trainedShapes(config, k, r);
      expect([...k.gradients.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, shape] of expected) {
        const g = trainGradient(k, name);
        expect(g.shape, name).toEqual(shape);
        expect(g.data.length).toBe(shape.reduce((a, b) => a * b, 1));
        expect(g.data.every(Number.isFinite), `${name} finite`).toBe(true);
        expect(maxAbs(g), `${name} non-zero`).toBeGreaterThan(0);
      }
      expect(Number.isFinite(k.loss)).toBe(true);
      for (const [m, v] of Object.entries(k.metrics)) expect(Number.isFinite(v), m).toBe(true);
      for (const v of Object.values(k.fp32)) expect(v).toBeLessThan(k.name === "adamw" ? 1e-3 : 1e-5);
    },
  );

  it.each(entry.cases.map((k) => [k.name, k] as const))("case %s has right-padded, consistent inputs", (_case, k) => {
    const { inputIds, attentionMask, positionIds, lengths } = k.inputs;
    const B = inputIds.length;
    const T = row(inputIds, 0).length;
    for (const m of [attentionMask, positionIds]) {
      expect(m).toHaveLength(B);
      for (const x of m) expect(x).toHaveLength(T);
    }
    expect(lengths).toHaveLength(B);
    for (let b = 0; b < B; b++) {
      const n = at(lengths, b);
      expect(row(attentionMask, b)).toEqual(Array.from({ length: T }, (_, t) => (t < n ? 1 : 0)));
      expect(row(positionIds, b)).toEqual(Array.from({ length: T }, (_, t) => (t < n ? t : 1)));
      for (let t = 0; t < T; t++) {
        const id = at(row(inputIds, b), t);
        if (t < n) expect(id >= 3 && id < config.vocab_size, `id ${id}`).toBe(true);
        else expect(id).toBe(fixture.padTokenId);
      }
    }
    expect(Math.max(...lengths)).toBe(T);
    if ("completionMask" in k.inputs) {
      const { completionMask, promptLengths } = k.inputs;
      for (let b = 0; b < B; b++) {
        const p = at(promptLengths, b);
        expect(row(completionMask, b)).toEqual(
          Array.from({ length: T }, (_, t) => (t >= p && t < at(lengths, b) ? 1 : 0)),
        );
        expect(p).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it("pretrain and sft: loss is the mean -logp over the scored tokens", () => {
    const pre = trainCase(entry, "pretrain");
    const scored = pre.inputs.attentionMask.map((m) => m.map((v, t) => (t > 0 && v === 1 && m[t - 1] === 1 ? 1 : 0)));
    expect(pre.count).toBe(sum(pre.inputs.lengths.map((n) => n - 1)));
    const lp = pre.outputs.tokenLogps ?? [];
    expect(-sum(lp.map((_, b) => maskedSum(lp, scored, b))) / pre.count).toBeCloseTo(pre.loss, 12);
    const sft = trainCase(entry, "sft");
    expect(sft.count).toBe(sum(sft.inputs.completionMask.flat()));
    const lps = sft.outputs.tokenLogps ?? [];
    expect(-sum(lps.map((_, b) => maskedSum(lps, sft.inputs.completionMask, b))) / sft.count).toBeCloseTo(sft.loss, 12);
  });

  it("bt and pl: two prompts, tiers [0,1,1,2] (one tie, 5 pairs) and [0,1]; losses from the stored rewards", () => {
    const bt = trainCase(entry, "bt");
    const rewards = bt.outputs.rewards ?? [];
    expect(bt.inputs.groups).toEqual([
      { rows: [0, 1, 2, 3], tiers: [0, 1, 1, 2] },
      { rows: [4, 5], tiers: [0, 1] },
    ]);
    expect(bt.inputs.pairs.filter((q) => q.group === 0)).toHaveLength(5);
    expect(bt.inputs.pairs.filter((q) => q.group === 1)).toEqual([{ group: 1, better: 4, worse: 5, margin: 0.5 }]);
    expect(bt.count).toBe(2);
    const c = bt.settings.centerRewardsCoefficient;
    const perPrompt = [0, 1].map((g) => {
      const ps = bt.inputs.pairs.filter((q) => q.group === g);
      const d = ps.map((q) => at(rewards, q.better) - at(rewards, q.worse));
      return {
        loss: mean(
          ps.map((q, i) => -logsigmoid(at(d, i) - q.margin) + c * (at(rewards, q.better) + at(rewards, q.worse)) ** 2),
        ),
        accuracy: mean(d.map((x) => (x > 0 ? 1 : 0))),
        margin: mean(d),
      };
    });
    expect(mean(perPrompt.map((p) => p.loss))).toBeCloseTo(bt.loss, 12);
    expect(bt.metrics.accuracy).toBeCloseTo(mean(perPrompt.map((p) => p.accuracy)), 12);
    expect(bt.metrics.margin).toBeCloseTo(mean(perPrompt.map((p) => p.margin)), 12);
    expect(Object.keys(bt.metrics).sort()).toEqual(["accuracy", "margin"]);

    const pl = trainCase(entry, "pl");
    expect(pl.inputs.inputIds).toEqual(bt.inputs.inputIds);
    const pr = pl.outputs.rewards ?? [];
    const plPerPrompt = pl.inputs.groups.map((g) => {
      const last = Math.max(...g.tiers);
      const terms = g.rows.flatMap((i, a) => {
        if (at(g.tiers, a) === last) return [];
        const denom = sum(g.rows.filter((_, b) => at(g.tiers, b) >= at(g.tiers, a)).map((j) => Math.exp(at(pr, j))));
        return [-(at(pr, i) - Math.log(denom))];
      });
      return mean(terms);
    });
    expect(mean(plPerPrompt)).toBeCloseTo(pl.loss, 12);
  });

  it.each(["dpo_sigmoid", "dpo_ipo"] as const)(
    "%s: 2 pairs, chosen rows first; loss and metrics from the stored log-probs",
    (name) => {
      const k = trainCase(entry, name);
      expect(k.inputs.pairs).toEqual([
        { chosen: 0, rejected: 2 },
        { chosen: 1, rejected: 3 },
      ]);
      const seq = k.outputs.sequenceLogps ?? [];
      const lp = k.outputs.tokenLogps ?? [];
      for (let b = 0; b < seq.length; b++) {
        const s = maskedSum(lp, k.inputs.completionMask, b);
        const n = sum(row(k.inputs.completionMask, b));
        expect(at(seq, b)).toBeCloseTo(k.settings.lossType === "ipo" ? s / n : s, 12);
      }
      const beta = k.settings.beta;
      const per = k.inputs.pairs.map((q, i) => {
        const logits =
          at(seq, q.chosen) - at(seq, q.rejected) - (at(k.inputs.refChosenLogps, i) - at(k.inputs.refRejectedLogps, i));
        return k.settings.lossType === "ipo" ? (logits - 1 / (2 * beta)) ** 2 : -logsigmoid(beta * logits);
      });
      expect(mean(per)).toBeCloseTo(k.loss, 12);
      const rc = k.inputs.pairs.map((q, i) => beta * (at(seq, q.chosen) - at(k.inputs.refChosenLogps, i)));
      const rr = k.inputs.pairs.map((q, i) => beta * (at(seq, q.rejected) - at(k.inputs.refRejectedLogps, i)));
      expect(k.metrics["rewards/chosen"]).toBeCloseTo(mean(rc), 12);
      expect(k.metrics["rewards/rejected"]).toBeCloseTo(mean(rr), 12);
      expect(k.metrics["rewards/margins"]).toBeCloseTo(mean(rc.map((x, i) => x - at(rr, i))), 12);
      expect(k.metrics["rewards/accuracies"]).toBe(mean(rc.map((x, i) => (x > at(rr, i) ? 1 : 0))));
      expect(k.metrics["logps/chosen"]).toBeCloseTo(mean(k.inputs.pairs.map((q) => at(seq, q.chosen))), 12);
      expect(k.metrics["logps/rejected"]).toBeCloseTo(mean(k.inputs.pairs.map((q) => at(seq, q.rejected))), 12);
    },
  );

  it("rloo and grpo: K = 3, scores [1, -0.5, 0.25]; advantages and losses from the stored values", () => {
    const rloo = trainCase(entry, "rloo");
    const grpo = trainCase(entry, "grpo");
    const { completionMask: cm, scores, oldLogps, refLogps } = rloo.inputs;
    expect(scores).toEqual([1, -0.5, 0.25]);
    expect(grpo.inputs.oldLogps).toEqual(oldLogps);
    for (let b = 0; b < 3; b++) {
      row(cm, b).forEach((m, t) => {
        if (m === 0) expect([at(row(oldLogps, b), t), at(row(refLogps, b), t)]).toEqual([0, 0]);
      });
    }
    // RLOO
    const kl = [0, 1, 2].map((i) => maskedSum(oldLogps, cm, i) - maskedSum(refLogps, cm, i));
    const R = kl.map((x, i) => at(scores, i) - rloo.settings.beta * x);
    const adv = R.map((x) => x - (sum(R) - x) / 2);
    adv.forEach((a, i) => expect(at(rloo.inputs.advantages, i)).toBeCloseTo(a, 12));
    const lp = rloo.outputs.tokenLogps ?? [];
    expect(-mean(adv.map((a, i) => a * maskedSum(lp, cm, i)))).toBeCloseTo(rloo.loss, 12);
    expect(rloo.metrics.kl).toBeCloseTo(mean(kl), 12);
    expect(rloo.metrics["rewards/mean"]).toBeCloseTo(0.25, 12);
    // GRPO
    const m = mean(scores);
    const std = Math.sqrt(sum(scores.map((s) => (s - m) ** 2)) / 2);
    const gadv = scores.map((s) => (s - m) / (std + 1e-4));
    gadv.forEach((a, i) => expect(at(grpo.inputs.advantages, i)).toBeCloseTo(a, 12));
    const { beta, epsilon } = grpo.settings;
    const glp = grpo.outputs.tokenLogps ?? [];
    let clipped = 0;
    let k3sum = 0;
    let tokens = 0;
    const perSeq = [0, 1, 2].map((i) => {
      const terms: number[] = [];
      row(cm, i).forEach((mk, t) => {
        if (mk !== 1) return;
        const l = at(row(glp, i), t);
        const ratio = Math.exp(l - at(row(grpo.inputs.oldLogps, i), t));
        const a = at(gadv, i);
        const clip = Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon);
        const ref = at(row(grpo.inputs.refLogps, i), t);
        const k3 = Math.exp(ref - l) - (ref - l) - 1;
        terms.push(-Math.min(ratio * a, clip * a) + beta * k3);
        const isClipped = (ratio < 1 - epsilon && a < 0) || (ratio > 1 + epsilon && a > 0);
        expect(at(row(grpo.outputs.clipped ?? [], i), t)).toBe(isClipped ? 1 : 0);
        clipped += isClipped ? 1 : 0;
        k3sum += k3;
        tokens += 1;
      });
      return mean(terms);
    });
    expect(mean(perSeq)).toBeCloseTo(grpo.loss, 12);
    expect(clipped).toBeGreaterThanOrEqual(1);
    expect(clipped).toBe(grpo.settings.clippedTokens);
    expect(grpo.metrics.clip_ratio).toBeCloseTo(clipped / tokens, 12);
    expect(grpo.metrics.kl).toBeCloseTo(k3sum / tokens, 12);
    expect(grpo.settings.beta).toBeGreaterThan(0);
  });

  it("adamw: 10 steps on the pretrain batch, warm-up + cosine, final parameters of the checkpoint's shapes", () => {
    const k = trainCase(entry, "adamw");
    const pre = trainCase(entry, "pretrain");
    expect(k.inputs).toEqual(pre.inputs);
    expect(k.steps.losses[0]).toBe(pre.loss);
    const { lr, warmupSteps: w, totalSteps: n } = k.settings;
    for (const key of ["losses", "gradNorms", "lrs"] as const) expect(k.steps[key]).toHaveLength(n);
    k.steps.lrs.forEach((x, s) => {
      const lambda =
        s < w ? s / Math.max(1, w) : Math.max(0, 0.5 * (1 + Math.cos(Math.PI * ((s - w) / Math.max(1, n - w)))));
      expect(x).toBeCloseTo(lr * lambda, 15);
    });
    expect(Math.max(...k.steps.gradNorms)).toBeGreaterThan(k.settings.maxGradNorm); // clipping is exercised
    expect(k.finalLoss).toBeLessThan(at(k.steps.losses, 0));
    const ckpt = checkpointShapes(config);
    expect([...k.finalParams.keys()].sort()).toEqual([...ckpt.keys()].sort());
    for (const [name, t] of k.finalParams) {
      expect(t.shape, name).toEqual(ckpt.get(name));
      expect(t.data.every(Number.isFinite), name).toBe(true);
    }
  });
});
