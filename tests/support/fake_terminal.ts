/** Scripted Terminals for in-process tests of code that reads keys in raw mode. */
import type { Terminal } from "../../lib/term/terminal.ts";
import { BufferOutput, type Output } from "../../lib/io.ts";

/** A terminal that delivers `inputs` one read at a time and records raw mode. */
export function fakeTerminal(inputs: string[]): Terminal & { raw: boolean[]; out: BufferOutput } {
  const out = new BufferOutput(true, 80);
  const raw: boolean[] = [];
  const queue = inputs.map((s) => new TextEncoder().encode(s));
  return {
    raw,
    out,
    output: out,
    columns: () => 80,
    setRaw: (on) => void raw.push(on),
    read(buffer) {
      const next = queue.shift();
      if (next === undefined) return Promise.resolve(null);
      buffer.set(next);
      return Promise.resolve(next.length);
    },
  };
}

/** One scripted read: bytes to return, an error to throw, or a function run before reading on. */
export type Step = string | Error | (() => void);

/**
 * A terminal whose reads are scripted. Everything that happens to it — writes, raw mode
 * switches — goes into one log, in order, so tests can check what was restored and when.
 */
export class ScriptedTerminal implements Terminal {
  log: string[] = [];
  raw = false;
  reads = 0;
  width = 80;
  resize: (() => void) | undefined;
  /** Set to make every write from now on fail, as on a terminal that went away. */
  failWrites = false;
  readonly output: Output;

  constructor(private steps: Step[]) {
    this.output = {
      isTerminal: true,
      columns: () => this.width,
      write: (chunk) => {
        if (this.failWrites) return Promise.reject(new Error("write failed"));
        this.log.push(typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk));
        return Promise.resolve();
      },
    };
  }

  read(buffer: Uint8Array): Promise<number | null> {
    this.reads++;
    while (true) {
      const step = this.steps.shift();
      if (step === undefined) return Promise.resolve(null);
      if (step instanceof Error) return Promise.reject(step);
      if (typeof step === "function") {
        step();
        continue;
      }
      const bytes = new TextEncoder().encode(step);
      buffer.set(bytes);
      return Promise.resolve(bytes.length);
    }
  }

  setRaw(raw: boolean): void {
    this.raw = raw;
    this.log.push(raw ? "<raw on>" : "<raw off>");
  }

  columns(): number {
    return this.width;
  }

  onResize(handler: () => void): () => void {
    this.resize = handler;
    return () => this.resize = undefined;
  }

  get text(): string {
    return this.log.join("");
  }
}
