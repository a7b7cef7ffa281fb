/** Failures that end a command, and how main.ts turns them into exit codes. */

/** An error whose message is already the one line the user should read after `Error: `. */
export class CliError extends Error {}

/** The user pressed Ctrl+C: exit 130 without an error line. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
  }
}

/** The reader of stdout went away (`| head`): stop quietly. */
export function isBrokenPipe(err: unknown): boolean {
  return err instanceof Deno.errors.BrokenPipe ||
    (err instanceof Error && /broken pipe|os error 32/i.test(err.message));
}
