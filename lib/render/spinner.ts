/**
 * A one-line spinner on a terminal (docs/terminal.md, Spinner and progress): `<message> <frame> `, advancing
 * every 100 ms. It exists only for terminals; on a pipe or file it writes nothing at all, so
 * redirected stderr stays free of escape codes (docs/terminal.md, Clean pipes).
 */
import type { Output } from "../io.ts";
import { ERASE_LINE_END, HIDE_CURSOR, SHOW_CURSOR } from "../term/ansi.ts";
import { startInterval } from "../timer.ts";

export const SPINNER_FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] as const;

/** A repeating timer, injectable so tests can drive ticks by hand instead of sleeping. */
export interface IntervalTimer {
  /** Returns a handle for `clearInterval`; its type is the timer's own business. */
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

/**
 * The real one, on the web timers (lib/timer.ts): a one-shot run's spinner would otherwise be
 * what loads Deno's Node-compatible timers. A spinner only turns while a request is waited for,
 * so a timer that does not keep the process alive is enough.
 */
export const realTimer: IntervalTimer = {
  setInterval: (callback, ms) => startInterval(ms, callback),
  clearInterval: (id) => (id as () => void)(),
};

/**
 * The text of a spinner line while it runs: `<message> <frame> `, or `<frame> ` when there is no
 * message. The message is trimmed, as upstream does, so it never carries its own padding.
 */
export function spinnerText(message: string, tick: number): string {
  const frame = SPINNER_FRAMES[
    ((tick % SPINNER_FRAMES.length) + SPINNER_FRAMES.length) %
    SPINNER_FRAMES.length
  ];
  const trimmed = message.trim();
  return trimmed === "" ? `${frame} ` : `${trimmed} ${frame} `;
}

/**
 * The bytes that draw frame `tick` of a standalone spinner: back to column 0, the text, then erase
 * whatever a longer earlier frame or message left to the right.
 */
export function spinnerFrame(message: string, tick: number): string {
  return `\r${spinnerText(message, tick)}${ERASE_LINE_END}`;
}

/** What `stop()` writes after a drawn spinner: an empty line at column 0 and a visible cursor. */
export const SPINNER_ERASE = `\r${ERASE_LINE_END}${SHOW_CURSOR}`;

export interface SpinnerOptions {
  output: Output;
  message?: string;
  /** Milliseconds between frames; 100 as upstream. */
  intervalMs?: number;
  timer?: IntervalTimer;
}

/**
 * A standalone spinner for waits such as loading a model.
 *
 * The first frame is drawn at the first tick, not by `start()`: an answer that arrives within
 * 100 ms then leaves no trace on the screen at all (no flash, no cursor hide/show). Once a frame
 * has been drawn the cursor stays hidden until `stop()`, which erases the line and shows it again.
 */
export class Spinner {
  #output: Output;
  #intervalMs: number;
  #timer: IntervalTimer;
  #message: string;
  #tick = 0;
  #id: unknown;
  #drawn = false;
  #stopped = false;
  /** Writes are chained so frames reach the terminal in order even if one write is slow. */
  #writes: Promise<void> = Promise.resolve();

  constructor(opts: SpinnerOptions) {
    this.#output = opts.output;
    this.#message = opts.message ?? "";
    this.#intervalMs = opts.intervalMs ?? 100;
    this.#timer = opts.timer ?? realTimer;
  }

  /** Begins spinning; does nothing when the output is not a terminal or the spinner ran already. */
  start(): void {
    if (this.#stopped || this.#id !== undefined || !this.#output.isTerminal) return;
    this.#id = this.#timer.setInterval(() => this.tick(), this.#intervalMs);
  }

  /** Changes the message; the next frame shows it. */
  setMessage(message: string): void {
    this.#message = message;
  }

  /** Draws the next frame. Called by the timer; public so tests need no clock. */
  tick(): void {
    if (this.#stopped || this.#id === undefined) return;
    const prefix = this.#drawn ? "" : HIDE_CURSOR;
    this.#drawn = true;
    this.#write(prefix + spinnerFrame(this.#message, this.#tick));
    this.#tick++;
  }

  /**
   * Stops for good: erases the line (the next text starts at column 0) and shows the cursor.
   * Safe to call twice or before `start()`; resolves once everything written has been flushed.
   */
  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      if (this.#id !== undefined) this.#timer.clearInterval(this.#id);
      if (this.#drawn) this.#write(SPINNER_ERASE);
    }
    await this.#writes;
  }

  #write(text: string): void {
    // A failing stderr must not turn into an unhandled rejection from a timer callback; there is
    // nowhere left to report it anyway.
    this.#writes = this.#writes.then(() => this.#output.write(text)).catch(() => {});
  }
}
