/** An in-memory `Io` for tests of commands and the REPL that run in-process. */
import { BufferOutput, type Io } from "../../lib/io.ts";
import { type Context, createContext } from "../../lib/context.ts";

/** A BufferOutput that also keeps each write apart: was the text streamed or written whole? */
export class WriteLog extends BufferOutput {
  writes: string[] = [];
  override write(chunk: string | Uint8Array): Promise<void> {
    this.writes.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
    return super.write(chunk);
  }
}

export interface TestIo extends Io {
  stdout: BufferOutput;
  stderr: BufferOutput;
  /** Simulates Ctrl+C: calls the innermost interrupt handler. */
  interrupt(): void;
}

export function testIo(
  options: { terminal?: boolean; width?: number; env?: Record<string, string> } = {},
): TestIo {
  const handlers: (() => void)[] = [];
  const env = options.env ?? {};
  return {
    stdin: {
      isTerminal: options.terminal ?? false,
      read: () => Promise.resolve(null),
    },
    stdout: new BufferOutput(options.terminal ?? false, options.width ?? 80),
    stderr: new BufferOutput(options.terminal ?? false, options.width ?? 80),
    env: (name) => env[name],
    now: () => Date.parse("2026-11-24T12:00:00Z"),
    onInterrupt(handler) {
      handlers.push(handler);
      return () => {
        const at = handlers.lastIndexOf(handler);
        if (at >= 0) handlers.splice(at, 1);
      };
    },
    interrupt() {
      handlers.at(-1)?.();
    },
    fetch: globalThis.fetch,
    os: "linux",
    arch: "x86_64",
    runtimeVersion: "2.9.6",
  };
}

/**
 * A context whose client talks to `url` (a FakeOllama). Its signal is the process-wide one, as
 * main.ts builds it: `io.interrupt()` aborts it only when no operation has an interrupt scope
 * open, so tests can check that a cancelled REPL operation leaves it alone.
 */
export function testContext(io: TestIo, url: string): Context {
  const env = io.env;
  const controller = new AbortController();
  io.onInterrupt(() => controller.abort());
  return createContext(
    { ...io, env: (name) => name === "OLLAMA_HOST" ? url : env(name) },
    controller.signal,
  );
}
