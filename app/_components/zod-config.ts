// zod 4 compiles object parsers with `new Function` unless told not to, and probes for it first: under the
// app's strict Content-Security-Policy (no 'unsafe-eval') the probe itself is reported as a violation. Every
// client module that parses with zod imports this first.
import { z } from "zod";

z.config({ jitless: true });
