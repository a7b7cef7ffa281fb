/** A scripted Terminal for in-process tests of code that reads keys in raw mode. */
import type { Terminal } from "../../lib/term/terminal.ts";
import { BufferOutput } from "../../lib/io.ts";

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
