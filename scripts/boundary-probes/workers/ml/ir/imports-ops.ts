// probe: ml-ir-imports-no-engine
import { stub } from "../ops/stub";

export const probe = stub;
