// How the command-line tools end on an error. A mistake of the person running the command (a bad argument, a
// project that does not exist, a refused file: `UsageError` or any `AppError`) is one line on stderr and exit 1;
// anything else is a defect, and its stack trace is printed whole so that it can be reported.
import { isAppError } from "../errors";

/** A mistake in how the command was called: one line, no stack trace. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** What a failed command prints: one line for a user error, the whole stack for a defect. */
export function describeFailure(e: unknown): string {
  if (e instanceof UsageError || isAppError(e)) return `error: ${e.message}`;
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return `error (not an Error object): ${String(e)}`;
}

/** Runs a command's main function and exits 1, with `describeFailure`, if it fails. */
export function runMain(main: () => Promise<void>): void {
  main().catch((e: unknown) => {
    console.error(describeFailure(e));
    process.exit(1);
  });
}
