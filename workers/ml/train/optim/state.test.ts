// Optimiser state files: a save/load round trip resumes bit for bit; mismatched or damaged saves fail by name.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SafetensorsFile } from "../../checkpoint/safetensors-read";
import { writeSafetensors } from "../../checkpoint/safetensors-write";
import { Rng } from "../../testing/prng";
import { AdamW, type AdamWParam } from "./adamw";
import {
  loadOptimizerState,
  OPTIMIZER_META_FILE,
  OPTIMIZER_TENSORS_FILE,
  readOptimizerMeta,
  saveOptimizerState,
} from "./state";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "prefloop-optim-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => path.join(root, `save-${dirs++}`);

const spec = [
  { name: "model.layers.0.mlp.up_proj.weight", shape: [4, 3], decay: true },
  { name: "model.layers.0.input_layernorm.weight", shape: [3], decay: false },
] as const;

function makeParams(
  rng: Rng,
  which = spec as readonly { name: string; shape: readonly number[]; decay: boolean }[],
): AdamWParam[] {
  return which.map((s) => ({ ...s, data: Float32Array.from(rng.normals(s.shape.reduce((a, b) => a * b, 1))) }));
}

function gradsFor(params: readonly AdamWParam[], rng: Rng): Map<string, Float32Array> {
  return new Map(params.map((p) => [p.name, Float32Array.from(rng.normals(p.data.length))]));
}

const clone = (params: readonly AdamWParam[]): AdamWParam[] =>
  params.map((p) => ({ ...p, data: Float32Array.from(p.data) }));

describe("saveOptimizerState / loadOptimizerState", () => {
  it("round-trips: a restored optimiser takes the same next steps, bit for bit", () => {
    const rng = new Rng(11);
    const params = makeParams(rng);
    const opt = new AdamW(params, { lr: 1e-3, weightDecay: 0.01, betas: [0.9, 0.95] });
    for (let k = 0; k < 3; k++) opt.step(gradsFor(params, rng), 1e-3 * (k + 1));
    const dir = freshDir();
    saveOptimizerState(dir, opt);
    expect(fs.readdirSync(dir).sort()).toEqual([OPTIMIZER_META_FILE, OPTIMIZER_TENSORS_FILE]); // no temporary files left

    const resumedParams = clone(params);
    const resumed = new AdamW(resumedParams, { lr: 7 }); // the saved config replaces this one
    loadOptimizerState(dir, resumed);
    expect(resumed.stepCount).toBe(3);
    expect(resumed.config).toEqual({ lr: 1e-3, betas: [0.9, 0.95], eps: 1e-8, weightDecay: 0.01 });
    for (let k = 0; k < 2; k++) {
      const g = gradsFor(params, rng);
      opt.step(g, 5e-4);
      resumed.step(new Map([...g].map(([n, a]) => [n, Float32Array.from(a)])), 5e-4);
    }
    params.forEach((p, i) => expect(resumedParams[i]?.data).toEqual(p.data));
    for (const [name, s] of opt.exportState().moments) {
      expect(resumed.exportState().moments.get(name)?.m).toEqual(s.m);
      expect(resumed.exportState().moments.get(name)?.v).toEqual(s.v);
    }
  });

  it("writes m.<name> / v.<name> float32 tensors with the parameter shapes, and a versioned JSON", () => {
    const params = makeParams(new Rng(3));
    const opt = new AdamW(params);
    const dir = freshDir();
    saveOptimizerState(dir, opt); // before any step: zero moments
    const meta = readOptimizerMeta(dir);
    expect(meta).toMatchObject({
      format: "prefloop-adamw",
      schemaVersion: 1,
      step: 0,
      parameters: spec.map((s) => ({ ...s, shape: [...s.shape] })),
    });
    const st = SafetensorsFile.open(path.join(dir, OPTIMIZER_TENSORS_FILE));
    try {
      expect([...st.entries.keys()].sort()).toEqual(spec.flatMap((s) => [`m.${s.name}`, `v.${s.name}`]).sort());
      expect(st.entry(`v.${spec[0].name}`)).toMatchObject({ dtype: "F32", shape: [4, 3] });
      expect(st.readFloat32(`m.${spec[1].name}`)).toEqual(new Float32Array(3));
    } finally {
      st.close();
    }
  });

  describe("refuses a state that does not fit, naming the difference", () => {
    const rng = new Rng(5);
    const dir = freshDir();
    saveOptimizerState(dir, new AdamW(makeParams(rng)));

    it("a missing or an extra parameter", () => {
      const renamed = makeParams(rng, [spec[0], { ...spec[1], name: "model.norm.weight" }]);
      expect(() => loadOptimizerState(dir, new AdamW(renamed))).toThrow(
        /not in the saved state: 'model.norm.weight'; saved but not in the optimiser: 'model.layers.0.input_layernorm.weight'/,
      );
    });

    it("a different size or decay flag", () => {
      const bigger = makeParams(rng, [{ ...spec[0], shape: [4, 4] }, spec[1]]);
      expect(() => loadOptimizerState(dir, new AdamW(bigger))).toThrow(
        /'model.layers.0.mlp.up_proj.weight' was saved with shape \[4, 3\] \(12 values\), the parameter has 16/,
      );
      const flipped = makeParams(rng, [spec[0], { ...spec[1], decay: true }]);
      expect(() => loadOptimizerState(dir, new AdamW(flipped))).toThrow(
        /'model.layers.0.input_layernorm.weight' was saved with decay=false/,
      );
    });

    it("a failed check leaves the optimiser untouched", () => {
      const opt = new AdamW(makeParams(rng, [spec[0]]));
      expect(() => loadOptimizerState(dir, opt)).toThrow(/saved but not in the optimiser/);
      expect(opt.stepCount).toBe(0);
    });
  });

  it("detects tensors and JSON from different saves, a missing directory and a foreign JSON", () => {
    const rng = new Rng(9);
    const params = makeParams(rng);
    const opt = new AdamW(params);
    const dir = freshDir();
    saveOptimizerState(dir, opt);
    const oldTensors = fs.readFileSync(path.join(dir, OPTIMIZER_TENSORS_FILE));
    opt.step(gradsFor(params, rng), 1e-3);
    saveOptimizerState(dir, opt);
    fs.writeFileSync(path.join(dir, OPTIMIZER_TENSORS_FILE), oldTensors); // as if the second save stopped half-way
    expect(() => loadOptimizerState(dir, new AdamW(clone(params)))).toThrow(
      /not from the save described by optimizer.json/,
    );

    expect(() => loadOptimizerState(path.join(root, "nowhere"), new AdamW(clone(params)))).toThrow(
      /optimizer.json: cannot read optimiser state/,
    );
    const foreign = freshDir();
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, OPTIMIZER_META_FILE), JSON.stringify({ format: "other" }));
    expect(() => loadOptimizerState(foreign, new AdamW(clone(params)))).toThrow(
      /not a prefloop-adamw v1 file \(format:/,
    );
  });

  it("refuses tensors of the wrong dtype or size inside a matching save", () => {
    const params = makeParams(new Rng(2));
    const opt = new AdamW(params);
    const dir = freshDir();
    saveOptimizerState(dir, opt);
    const file = path.join(dir, OPTIMIZER_TENSORS_FILE);
    const st = SafetensorsFile.open(file);
    const metadata = { ...st.metadata };
    st.close();
    const [w, n] = [spec[0].name, spec[1].name];
    writeSafetensors(
      file,
      [
        { name: `m.${w}`, dtype: "F32", shape: [4, 3], data: new Float32Array(12) },
        { name: `v.${w}`, dtype: "F16", shape: [4, 3], data: new Float32Array(12) },
        { name: `m.${n}`, dtype: "F32", shape: [3], data: new Float32Array(3) },
        { name: `v.${n}`, dtype: "F32", shape: [3], data: new Float32Array(3) },
      ],
      metadata,
    );
    expect(() => loadOptimizerState(dir, new AdamW(clone(params)))).toThrow(
      new RegExp(`tensor 'v.${w}' is F16 \\[4, 3\\], expected F32 with 12 values`),
    );
  });
});
