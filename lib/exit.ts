/** Maps how a command ended to an exit code, printing the one error line where there is one. */
import { Interrupted, isBrokenPipe } from "./errors.ts";
import { errorLine, explain } from "./context.ts";
import type { Io } from "./io.ts";

export async function exitCodeFor(err: unknown, io: Io, signal: AbortSignal): Promise<number> {
  if (isBrokenPipe(err)) return 0;
  const explained = explain(err, signal);
  if (explained instanceof Interrupted) return 130;
  const message = explained instanceof Error ? explained.message : String(explained);
  try {
    await io.stderr.write(errorLine(message));
  } catch {
    // stderr is gone too; the exit code still tells
  }
  return 1;
}
