/**
 * Streams arrive a few bytes at a time, and one write per chunk costs more than rendering it —
 * on a pseudo-terminal several times more. The coalescer writes the first text at once, then
 * gathers what follows for a few milliseconds (less than a frame) and writes it in one go,
 * keeping the order of writes across stdout and stderr so a terminal shows them as they came.
 */
import type { Output } from "../io.ts";
import { encodeInto, isHighSurrogate } from "../bytes.ts";
import { startTimer } from "../timer.ts";

/** Text waiting for one output: `length` bytes of `bytes` are in use. */
interface Pending {
  out: Output;
  bytes: Uint8Array;
  length: number;
}

/** The size of a queue block; text of up to `maxPending` characters fits one. */
const BLOCK_BYTES = 8192;
/** Blocks kept for reuse: more are only needed while stdout and stderr alternate. */
const FREE_BLOCKS = 4;

export interface CoalescerOptions {
  /** How long text may wait to be joined by more, in ms. */
  intervalMs?: number;
  /** Write at once when this many characters are waiting. */
  maxPending?: number;
  now?: () => number;
}

export class Coalescer {
  readonly #interval: number;
  readonly #maxPending: number;
  readonly #now: () => number;
  /**
   * What waits, as UTF-8 bytes: text kept as strings until the flush lives through young
   * collections and is promoted, so a long answer grew the old generation (a chain of joined
   * strings per flush). Bytes go into blocks that are reused once written.
   */
  #queue: Pending[] = [];
  readonly #free: Uint8Array[] = [];
  /**
   * A high surrogate that ended the last text, held back until its other half comes: encoded
   * apart, each half would become U+FFFD. As strings, the two used to be joined in the queue.
   */
  #carry?: { out: Output; unit: string };
  #pending = 0;
  #lastFlush = -Infinity;
  /** Cancels the scheduled flush, while one is. */
  #timer?: () => void;
  #flushing: Promise<void> = Promise.resolve();
  /** A failed write from a timed flush, reported to the next caller. */
  #error?: unknown;

  constructor(options: CoalescerOptions = {}) {
    this.#interval = options.intervalMs ?? 8;
    // Small: text waiting in the queue outlives each token's short-lived garbage, and a 32 KB
    // queue kept V8 growing its young generation (a million-chunk answer peaked at 88 MB RSS,
    // 72 MB with 2 KB). One write per 2 KB is still one per hundreds of tokens.
    this.#maxPending = options.maxPending ?? 2048;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Queues `text` for `out`. Returns a promise only when the caller has something to wait for
   * (a write it set off); a token that only joins the queue, the common case once per token,
   * returns nothing, so the caller need not even await a settled promise.
   */
  write(out: Output, text: string): Promise<void> | undefined {
    if (this.#error !== undefined) return Promise.reject(this.#takeError());
    if (text === "") return undefined;
    const carry = this.#carry;
    if (carry !== undefined) {
      this.#carry = undefined;
      if (carry.out === out) text = carry.unit + text;
      else this.#append(carry.out, carry.unit);
    }
    if (isHighSurrogate(text.charCodeAt(text.length - 1))) {
      this.#carry = { out, unit: text.slice(-1) };
      text = text.slice(0, -1);
      if (text === "") return undefined;
    }
    this.#append(out, text);
    if (this.#pending >= this.#maxPending) return this.#flushQueue();
    // With a flush already scheduled the text just waits for it: asking the clock on every
    // token would cost more than the token itself.
    if (this.#timer !== undefined) return undefined;
    if (this.#now() - this.#lastFlush >= this.#interval) return this.#flushQueue();
    this.#timer = startTimer(this.#interval, () => {
      this.#timer = undefined;
      this.#flushQueue().catch((err) => this.#error ??= err);
    });
    return undefined;
  }

  #append(out: Output, text: string): void {
    // A UTF-16 unit becomes at most 3 bytes of UTF-8.
    const wanted = text.length * 3;
    let last = this.#queue.at(-1);
    if (last?.out !== out || last.bytes.length - last.length < wanted) {
      const bytes = wanted <= BLOCK_BYTES && this.#free.pop() ||
        new Uint8Array(Math.max(BLOCK_BYTES, wanted));
      last = { out, bytes, length: 0 };
      this.#queue.push(last);
    }
    last.length = encodeInto(text, last.bytes, last.length);
    this.#pending += text.length;
  }

  /** Writes everything waiting, in order: the caller's flush, at the end of an answer. */
  flush(): Promise<void> {
    if (this.#carry !== undefined) {
      // Nothing came to complete it: written as it is (U+FFFD), as TextEncoder would.
      this.#append(this.#carry.out, this.#carry.unit);
      this.#carry = undefined;
    }
    return this.#flushQueue();
  }

  /** Writes the queue, in order; a held-back half of a pair waits for its other half. */
  async #flushQueue(): Promise<void> {
    this.#timer?.();
    this.#timer = undefined;
    const previous = this.#flushing;
    const queue = this.#queue;
    this.#queue = [];
    this.#pending = 0;
    this.#lastFlush = this.#now();
    const run = (async () => {
      await previous;
      for (const { out, bytes, length } of queue) {
        await out.write(bytes.subarray(0, length));
        // Written, so free: an Output keeps no chunk past its write (lib/io.ts).
        if (bytes.length === BLOCK_BYTES && this.#free.length < FREE_BLOCKS) this.#free.push(bytes);
      }
    })();
    this.#flushing = run.catch(() => {});
    await run;
    this.#throwPending();
  }

  #throwPending(): void {
    if (this.#error !== undefined) throw this.#takeError();
  }

  #takeError(): unknown {
    const err = this.#error;
    this.#error = undefined;
    return err;
  }
}
