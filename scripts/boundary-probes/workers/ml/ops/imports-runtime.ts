// probe: ml-ops-import-only-ir
import { stub } from "../runtime/stub";

export const probe = stub;
