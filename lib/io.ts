/**
 * The one door through which dollama touches the outside world. Commands and renderers take an
 * `Io` (or one of its parts) as a parameter, so tests can run them against in-memory streams and
 * `lib/` never reaches for globals such as `Deno.stdout` or `console`.
 */

/** A place text can be written to: stdout, stderr, or an in-memory buffer in tests. */
export interface Output {
  /**
   * Writes all of `chunk`. Bytes are the caller's again once the promise settles (the coalescer
   * reuses its buffers), so an Output that keeps a chunk longer keeps a copy.
   */
  write(chunk: string | Uint8Array): Promise<void>;
  /** True when the stream is an interactive terminal: the only place escape codes may go. */
  readonly isTerminal: boolean;
  /** Width in cells of the terminal behind this stream, or undefined when it is not one. */
  columns(): number | undefined;
  /**
   * No more output comes: the stream is closed now rather than at exit, so that whatever reads
   * a pipe from it sees its end. Optional; nothing may be written after it.
   */
  end?(): void;
}

export interface Input {
  readonly isTerminal: boolean;
  /**
   * Reads what comes next into `into` and says how many bytes that was, or null at the end (as
   * `Deno.FsFile.read` does). Reading it whole, a head of it, or chunk by chunk is built on this
   * in lib/input.ts, so the bytes go straight into the buffer that keeps them.
   */
  read(into: Uint8Array): Promise<number | null>;
}

export interface Io {
  stdin: Input;
  stdout: Output;
  stderr: Output;
  env(name: string): string | undefined;
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Calls `handler` on Ctrl+C (SIGINT) instead of any handler registered before it, until the
   * returned function removes it again.
   */
  onInterrupt(handler: () => void): () => void;
  fetch: typeof fetch;
  /** `linux`, `darwin`, `windows`, … and `x86_64`, `aarch64`. */
  os: string;
  arch: string;
  runtimeVersion: string;
}

/**
 * One operation's Ctrl+C, like Go's context.WithCancel: while the scope is open, Ctrl+C aborts
 * `signal` and nothing else, because the innermost interrupt handler is the only one called.
 * Closing the scope hands Ctrl+C back to whoever had it before. A fresh scope per operation
 * means a cancelled operation never leaves an aborted signal behind for the next one.
 */
export interface InterruptScope {
  readonly signal: AbortSignal;
  close(): void;
}

export function openInterruptScope(io: Pick<Io, "onInterrupt">): InterruptScope {
  const controller = new AbortController();
  const remove = io.onInterrupt(() => controller.abort());
  return { signal: controller.signal, close: remove };
}

/** Runs `operation` in its own interrupt scope, closed however the operation ends. */
export async function withInterruptScope<T>(
  io: Pick<Io, "onInterrupt">,
  operation: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const scope = openInterruptScope(io);
  try {
    return await operation(scope.signal);
  } finally {
    scope.close();
  }
}

/** An Output that collects everything written to it; for tests and for measuring. */
export class BufferOutput implements Output {
  #chunks: string[] = [];
  #decoder = new TextDecoder();
  constructor(readonly isTerminal = false, readonly width?: number) {}
  write(chunk: string | Uint8Array): Promise<void> {
    this.#chunks.push(typeof chunk === "string" ? chunk : this.#decoder.decode(chunk));
    return Promise.resolve();
  }
  columns(): number | undefined {
    return this.isTerminal ? this.width : undefined;
  }
  get text(): string {
    return this.#chunks.join("");
  }
}
