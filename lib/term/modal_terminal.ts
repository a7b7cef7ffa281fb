/**
 * The one owner of the keyboard's mode. Prompts ask for raw mode (`setRaw`), a streaming answer
 * asks for quiet (`quietWhile`), and this decides what the device is set to: raw while a prompt
 * runs, quiet while an answer streams, cooked otherwise. An approval prompt in the middle of an
 * answer therefore goes back to quiet, not to cooked, when it ends.
 *
 * It is also the one place that knows how to give the terminal back when the process is told to
 * end (SIGTERM, SIGHUP, SIGQUIT): while the mode is anything but cooked it keeps a restore hook registered,
 * which turns bracketed paste off, shows the cursor and sets cooked mode (echo, line editing,
 * CR→NL on input) before the process exits.
 *
 * Likewise, while the mode is not cooked it listens for the process being continued after a stop
 * (Ctrl+Z while an answer streams, a SIGTSTP from elsewhere at a prompt): the shell set the
 * terminal to its own mode meanwhile, so the mode is set again, then prompts are told, to draw
 * themselves again below what the shell printed.
 */
import type { Output } from "../io.ts";
import { PASTE_OFF, SHOW_CURSOR } from "./ansi.ts";
import type { Terminal } from "./terminal.ts";

/**
 * `raw`: keys one at a time, no echo, no signals. `quiet`: keys one at a time, no echo, but
 * Ctrl+C (and Ctrl+Z, Ctrl+\) still signals. `cooked`: the terminal's own line editing and echo.
 */
export type KeyboardMode = "cooked" | "quiet" | "raw";

/** The device side: a terminal whose mode is set directly, instead of asked for. */
export interface Keyboard extends Omit<Terminal, "setRaw" | "quietWhile"> {
  setMode(mode: KeyboardMode): void;
}

/**
 * Registers `restore` to run before the process ends on a termination signal; returns a
 * function that unregisters it (lib/io_deno.ts `onTerminate`).
 */
export type OnTerminate = (restore: () => Promise<void>) => () => void;

export class ModalTerminal implements Terminal {
  readonly #device: Keyboard;
  readonly #onTerminate?: OnTerminate;
  #promptRaw = false;
  #quiet = 0;
  #mode: KeyboardMode = "cooked";
  #unregister?: () => void;
  /** Stops listening for SIGCONT; set while the mode is not cooked. */
  #stopContinue?: () => void;
  /** Prompts to tell once the mode is set again after a stop (`onContinue`). */
  readonly #continued = new Set<() => void>();

  constructor(device: Keyboard, onTerminate?: OnTerminate) {
    this.#device = device;
    this.#onTerminate = onTerminate;
  }

  get output(): Output {
    return this.#device.output;
  }

  /** The mode the device is in. */
  get mode(): KeyboardMode {
    return this.#mode;
  }

  read(buffer: Uint8Array): Promise<number | null> {
    return this.#device.read(buffer);
  }

  columns(): number {
    return this.#device.columns();
  }

  rows(): number {
    return this.#device.rows?.() ?? 24;
  }

  onResize(handler: () => void): () => void {
    return this.#device.onResize?.(handler) ?? (() => {});
  }

  onContinue(handler: () => void): () => void {
    this.#continued.add(handler);
    return () => void this.#continued.delete(handler);
  }

  setRaw(raw: boolean): void {
    this.#promptRaw = raw;
    this.#apply();
  }

  async quietWhile<T>(operation: () => Promise<T>): Promise<T> {
    this.#quiet++;
    try {
      this.#apply();
      return await operation();
    } finally {
      this.#quiet--;
      this.#apply();
    }
  }

  #apply(): void {
    const mode: KeyboardMode = this.#promptRaw ? "raw" : this.#quiet > 0 ? "quiet" : "cooked";
    if (mode === this.#mode) return;
    this.#device.setMode(mode);
    this.#mode = mode;
    if (mode === "cooked") {
      this.#unregister?.();
      this.#unregister = undefined;
      this.#stopContinue?.();
      this.#stopContinue = undefined;
    } else {
      this.#unregister ??= this.#onTerminate?.(() => this.#giveBack());
      this.#stopContinue ??= this.#device.onContinue?.(() => this.#resume());
    }
  }

  /**
   * After `fg`: nothing told this terminal that the shell had put its own mode on the device while
   * the process was stopped, so the mode it holds is set on the device again.
   */
  #resume(): void {
    if (this.#mode === "cooked") return;
    try {
      this.#device.setMode(this.#mode);
    } catch {
      // The terminal is gone; the next read will say so.
      return;
    }
    for (const handler of [...this.#continued]) handler();
  }

  /**
   * The terminal as a shell expects it, whatever was running: each step on its own, since after
   * SIGHUP the terminal may be gone and writing to it fail.
   */
  async #giveBack(): Promise<void> {
    try {
      await this.#device.output.write(PASTE_OFF + SHOW_CURSOR);
    } catch {
      // Nothing to show a cursor on; still leave raw mode below.
    }
    try {
      this.#device.setMode("cooked");
      this.#mode = "cooked";
    } catch {
      // The terminal is gone.
    }
  }
}
