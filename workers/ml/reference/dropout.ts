// Reference Dropout in float64, inference only: a copy and an all-true mask when training_mode is absent or
// false or the ratio is 0. Training mode draws from onnxruntime's generator inside the op, which this cannot
// reproduce, so it throws; ops/dropout.test.ts checks training mode against onnxruntime's own mask. Tests only.
import { at } from "../ir";
import type { NdArray } from "./ndarray";
import { input, type RefOp } from "./ref-op";

const dropout: RefOp = (ins, node) => {
  const x = input(ins, 0, node);
  const ratioIn = ins[1] ?? null;
  const modeIn = ins[2] ?? null;
  // onnxruntime reads the ratio as float32 and checks its range before anything else.
  const ratio = ratioIn === null ? 0.5 : Math.fround(at(ratioIn.data, 0));
  if (!(ratio >= 0 && ratio < 1)) throw new Error(`reference Dropout: ratio must be in [0, 1), got ${ratio}`);
  const training = modeIn !== null && at(modeIn.data, 0) !== 0;
  if (training && ratio !== 0)
    throw new Error(
      `reference Dropout: node ${node.name} is in training mode (training_mode true, ratio ${ratio}): its mask comes from onnxruntime's random generator, which the float64 reference cannot reproduce; check training mode against onnxruntime's own mask output`,
    );
  const output: NdArray = { dtype: x.dtype, shape: [...x.shape], data: Float64Array.from(x.data) };
  const mask: NdArray = { dtype: "bool", shape: [...x.shape], data: new Float64Array(x.data.length).fill(1) };
  return [output, mask];
};

export const DROPOUT: Readonly<Record<string, RefOp>> = { Dropout: dropout };
