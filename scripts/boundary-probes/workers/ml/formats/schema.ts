// probe: none (a pure zod module, as the real formats are)
import { z } from "zod";

export const ZRow = z.object({ prompt: z.string() });
