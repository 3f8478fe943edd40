// probe: ml-autodiff-imports-only-ops-and-ir
import { stub } from "../model/stub";

export const probe = stub;
