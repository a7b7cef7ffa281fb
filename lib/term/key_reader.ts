/**
 * Keys from a terminal, one at a time: reads raw bytes, decodes them (keys.ts) and queues what
 * one read delivered beyond the key asked for. A reader that lives across prompts keeps that
 * queue, so keys typed ahead after an Enter go to the next prompt.
 */
import { type Key, KeyDecoder } from "./keys.ts";
import type { Terminal } from "./terminal.ts";

/** A timer that can be cancelled, so no timer outlives the prompt. */
export interface Settle {
  promise: Promise<void>;
  cancel(): void;
}

/** Timers of `ms` milliseconds, for `KeyReader.dropTypeAhead`. */
export function settleAfter(ms: number): () => Settle {
  return () => {
    let id: ReturnType<typeof setTimeout> | undefined;
    const promise = new Promise<void>((resolve) => id = setTimeout(resolve, ms));
    return { promise, cancel: () => clearTimeout(id) };
  };
}

export class KeyReader {
  readonly #terminal: Terminal;
  readonly #decoder = new KeyDecoder();
  readonly #buffer = new Uint8Array(4096);
  /** Keys read but not handed out yet. */
  #queue: Key[] = [];
  /** A read started earlier (by `dropTypeAhead`) whose bytes are the next keys. */
  #started: Promise<number | null> | undefined;
  /** The next read may hold lines typed in cooked mode; see `expectCookedInput`. */
  #cooked = false;

  constructor(terminal: Terminal) {
    this.#terminal = terminal;
  }

  /**
   * Says the terminal was in cooked mode until now (an answer was streaming), unless keys are
   * already queued. Then the next read may hold lines typed meanwhile, which the terminal ended
   * with "\n" for Enter: a "\n" ending that read means Enter, not Ctrl+J. A "\n" inside it, or
   * in any later read, stays Ctrl+J.
   */
  expectCookedInput(): void {
    this.#cooked = this.#queue.length === 0;
  }

  /** The next key, or null at end of input. */
  async next(): Promise<Key | null> {
    while (this.#queue.length === 0) {
      const read = this.#started ?? this.#terminal.read(this.#buffer);
      this.#started = undefined;
      const n = await read;
      if (n === null) return null;
      let keys = this.#decoder.push(this.#buffer.subarray(0, n));
      if (this.#cooked && keys.at(-1)?.type === "ctrl-j") {
        keys = [...keys.slice(0, -1), { type: "enter" }];
      }
      this.#cooked = false;
      this.#queue.push(...keys);
    }
    return this.#queue.shift()!;
  }

  /**
   * Drops what arrives before a `settle()` window closes, again and again until one closes with
   * nothing read. Keys typed while the model was answering wait in the terminal and would
   * otherwise answer the prompt that follows; Deno cannot flush terminal input, so what arrives
   * at once is read and dropped instead (upstream discards pending input the same way). The read
   * still waiting when a window closes is the user's first real key.
   */
  async dropTypeAhead(settle: () => Settle): Promise<void> {
    let pending = this.#started ?? this.#terminal.read(this.#buffer);
    this.#started = undefined;
    while (true) {
      const window = settle();
      const early = await Promise.race([
        pending.then((n) => ({ n })),
        window.promise.then(() => undefined),
      ]);
      window.cancel();
      if (early === undefined || early.n === null) break;
      pending = this.#terminal.read(this.#buffer);
    }
    this.#started = pending;
  }
}
