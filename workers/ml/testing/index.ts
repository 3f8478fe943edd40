// Public surface of the test helpers (tolerance check, seeded generator, one-op harness); tests only.
export { expectClose, type Tolerance } from "./expect-close";
export { buildOneNode, checkOp, DEFAULT_TOL, feed, konst, type CaseInput, type OpCase } from "./op-harness";
export { Rng } from "./prng";
