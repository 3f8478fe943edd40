// What a fused gradient rule is: it replaces a node's own rule by sending gradients past the node to values
// further up (skipping a rule whose dense intermediate is wasteful or unstable). Not any particular rule.
import type { GraphBuilder, Node, Value } from "../ir";

export interface FusedContext {
  readonly b: GraphBuilder;
  readonly node: Node;
  readonly gradOutputs: readonly (Value | null)[];
  /** Float values on the backward path (they need gradients). */
  readonly active: ReadonlySet<Value>;
  /** Values whose own gradient was asked for: a fused rule must not skip past them. */
  readonly wrt: ReadonlySet<Value>;
}

export interface FusedRule {
  readonly name: string;
  /** Gradient contributions (value, gradient shaped like the value) replacing the node's rule, or null when the
   *  pattern does not apply. */
  apply(ctx: FusedContext): readonly (readonly [Value, Value])[] | null;
}
