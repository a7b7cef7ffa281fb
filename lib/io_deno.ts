/** The real `Io`, built from Deno's globals. Only `main.ts` uses this file. */
import type { Input, Io, Output } from "./io.ts";

const encoder = new TextEncoder();

function denoOutput(file: typeof Deno.stdout | typeof Deno.stderr): Output {
  const isTerminal = file.isTerminal();
  return {
    isTerminal,
    async write(chunk) {
      let bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      while (bytes.length > 0) {
        const n = await file.write(bytes);
        bytes = bytes.subarray(n);
      }
    },
    columns() {
      if (!isTerminal) return undefined;
      try {
        return Deno.consoleSize().columns || undefined;
      } catch {
        return undefined;
      }
    },
  };
}

function denoInput(): Input {
  return {
    isTerminal: Deno.stdin.isTerminal(),
    async readAll() {
      const parts: Uint8Array[] = [];
      let total = 0;
      for await (const part of Deno.stdin.readable) {
        parts.push(part);
        total += part.length;
      }
      const all = new Uint8Array(total);
      let at = 0;
      for (const part of parts) {
        all.set(part, at);
        at += part.length;
      }
      return all;
    },
  };
}

/**
 * Ctrl+C goes to the most recently registered handler only: main's handler aborts the command,
 * and while a chat turn streams, the REPL's handler cancels just that turn.
 */
const interruptHandlers: (() => void)[] = [];
let listening = false;

function onInterrupt(handler: () => void): () => void {
  if (!listening) {
    listening = true;
    Deno.addSignalListener("SIGINT", () => interruptHandlers.at(-1)?.());
  }
  interruptHandlers.push(handler);
  return () => {
    const at = interruptHandlers.lastIndexOf(handler);
    if (at >= 0) interruptHandlers.splice(at, 1);
  };
}

export function denoIo(): Io {
  return {
    stdin: denoInput(),
    stdout: denoOutput(Deno.stdout),
    stderr: denoOutput(Deno.stderr),
    env: (name) => {
      try {
        return Deno.env.get(name);
      } catch {
        return undefined;
      }
    },
    now: () => Date.now(),
    onInterrupt,
    fetch: globalThis.fetch,
    os: Deno.build.os,
    arch: Deno.build.arch,
    runtimeVersion: Deno.version.deno,
  };
}
