/** Failures that end a command, and how main.ts turns them into exit codes. */

/** An error whose message is already the one line the user should read after `Error: `. */
export class CliError extends Error {}

/** The user pressed Ctrl+C: exit 130 without an error line. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
  }
}

/**
 * Waits for `promise`, giving up with `Interrupted` as soon as `signal` fires: a read of stdin
 * may wait forever, and Ctrl+C must end it like any request.
 */
export function untilInterrupted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Interrupted());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Interrupted());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/**
 * The reader of stdout went away (`| head`): stop quietly. Only the runtime's own error for a
 * failed write counts: a server's error text that says "broken pipe" (its own connection to a
 * model runner failed) is a failure like any other.
 */
export function isBrokenPipe(err: unknown): boolean {
  return err instanceof Deno.errors.BrokenPipe;
}

/**
 * A Deno I/O error in the user's words: `Not a directory (os error 20): mkdir '/x/y'` becomes
 * `not a directory: /x/y`. The OS error number and the system call name mean nothing to most
 * readers; the path does. Anything else is returned as it is.
 */
export function osReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const match = /^(.+?) \(os error \d+\)(?:: \w+ '(.*)')?$/s.exec(text);
  if (!match) return text;
  const what = match[1].charAt(0).toLowerCase() + match[1].slice(1);
  return match[2] === undefined ? what : `${what}: ${match[2]}`;
}
