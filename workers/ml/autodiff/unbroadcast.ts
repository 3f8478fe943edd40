// Sums a gradient with its input's broadcast (output) shape back to the input's shape: ReduceSum over the
// leading axes and the axes where the input has size 1, then a Reshape to the input's shape.
// NOTE: a symbolic input dim facing a different output dim (seq against 4) is taken as not broadcast; were it
// 1 at run time, the Reshape to Shape(input) fails loudly instead of summing silently wrong.
import { dimsToString, type GraphBuilder, type Value } from "../ir";
import * as op from "../ops";

export function unbroadcast(b: GraphBuilder, g: Value, x: Value, what: string): Value {
  const [gs, xs] = [g.type.shape, x.type.shape];
  const lead = gs.length - xs.length;
  if (lead < 0)
    throw new Error(
      `${what}: gradient ${dimsToString(gs)} has a lower rank than its input "${x.name}" ${dimsToString(xs)}`,
    );
  const axes = gs.flatMap((d, i) => (i < lead || (xs[i - lead] === 1 && d !== 1) ? [i] : []));
  const isLeadingOnly = axes.every((a) => a < lead);
  const summed = axes.length > 0 ? op.reduceSum(b, g, axes, { keepdims: isLeadingOnly ? 0 : 1 }) : g;
  return op.reshapeLike(b, summed, x);
}
