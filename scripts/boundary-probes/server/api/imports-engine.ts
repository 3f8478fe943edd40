// probe: web-imports-only-engine-formats
import { stub } from "../../workers/ml/model/stub";

export const probe = stub;
