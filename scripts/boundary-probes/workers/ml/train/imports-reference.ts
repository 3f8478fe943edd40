// probe: ml-reference-only-from-tests
import { stub } from "../reference/stub";

export const probe = stub;
