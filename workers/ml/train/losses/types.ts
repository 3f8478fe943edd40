// What every loss builder returns. Not the losses.
import type { Value } from "../../ir";

/** Sums, not means: the loop divides by counts known from the data, so accumulated micro-batches equal one
 *  large batch. Each metric is a sum over the unit its name's denominator says (step-graph.ts METRIC_UNITS). */
export interface TLossOut {
  readonly lossSum: Value;
  readonly metrics: Readonly<Record<string, Value>>;
}
