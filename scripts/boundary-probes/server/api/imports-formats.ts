// probe: none (the web app may import the engine's formats)
import { ZRow } from "../../workers/ml/formats/schema";

export const probe = ZRow;
