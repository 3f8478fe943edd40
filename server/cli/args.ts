// Minimal `--flag value` parsing for the project's command-line tools (node's parseArgs).
import { parseArgs } from "node:util";

export function cliArgs<const T extends Record<string, { type: "string" | "boolean"; default?: string | boolean }>>(
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ options, allowPositionals: false }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n\nusage: ${usage}`);
    process.exit(2);
  }
}
