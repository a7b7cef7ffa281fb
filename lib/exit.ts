/** Maps how a command ended to an exit code, printing the one error line where there is one. */
import { Interrupted, isBrokenPipe } from "./errors.ts";
import { errorLine as lineFor, explain } from "./context.ts";
import type { Io } from "./io.ts";

/**
 * The one `Error: …` line for a failure, as main's exit path prints it and as the REPL prints
 * it for a failed turn or slash command. One function, so the text is made (and made harmless)
 * in one place.
 */
export function errorLine(err: unknown, signal: AbortSignal): string {
  const explained = explain(err, signal);
  return lineFor(explained instanceof Error ? explained.message : String(explained));
}

export async function exitCodeFor(err: unknown, io: Io, signal: AbortSignal): Promise<number> {
  if (isBrokenPipe(err)) return 0;
  if (explain(err, signal) instanceof Interrupted) return 130;
  try {
    await io.stderr.write(errorLine(err, signal));
  } catch {
    // stderr is gone too; the exit code still tells
  }
  return 1;
}
