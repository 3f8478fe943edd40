// Fused gradient of GatherElements reading a LogSoftmax along the same axis: cross-entropy and the token
// log-probabilities of DPO and RL. Applies when the indices cover every other axis of the log-probabilities.
//
// Derivation (y = logsoftmax(z) along the axis, t = gather(y, idx), upstream dt):
//   dy = scatter_add(zeros, idx, dt)                  GatherElements' rule: dense, almost all zeros
//   dz = dy - softmax(z) * sum(dy, axis)              LogSoftmax's rule
//   sum(dy, axis) = sum(dt, axis)                     a scatter moves values along the axis, keeping their sum
// so dz = scatter_add(-exp(y) * sum(dt, axis), idx, dt), with exp(y) = softmax(z): one scatter into the dense
// term, instead of zeros + scatter + reduce + multiply + subtract over the [.., V] tensor. For a mean
// cross-entropy (dt = -1/N at each target) it is the familiar (softmax - onehot) / N.
// NOTE: exp(y) <= 1, so nothing here can overflow; the composed rules are equally stable, only slower.
import { dimEq } from "../ir";
import * as op from "../ops";
import type { FusedRule } from "./fused";

export const logSoftmaxGather: FusedRule = {
  name: "LogSoftmax+GatherElements",
  apply({ b, node, gradOutputs, active, wrt }) {
    const [y, idx] = node.inputs;
    const p = y?.producer;
    const z = p?.inputs[0];
    const dt = gradOutputs[0];
    if (node.opType !== "GatherElements" || !y || !idx || !p || p.opType !== "LogSoftmax" || !z || !dt) return null;
    if (!active.has(z) || wrt.has(y)) return null;
    const rank = y.type.shape.length;
    const axis = (op.nodeAttrs<op.GatherElementsAttrs>(node).axis + rank) % rank;
    if ((op.nodeAttrs<op.SoftmaxAttrs>(p).axis + rank) % rank !== axis) return null;
    if (!y.type.shape.every((d, i) => i === axis || dimEq(d, idx.type.shape[i] ?? -1))) return null;
    const total = op.reduceSum(b, dt, [axis], { keepdims: 1 }); // [.., 1, ..]
    const dense = op.neg(b, op.mul(b, op.exp(b, y), total)); // -softmax * sum(dt), z's shape
    return [[z, op.scatterElements(b, dense, idx, dt, { axis, reduction: "add" })]];
  },
};
