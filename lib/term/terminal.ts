/**
 * A terminal a prompt can own: raw bytes in, an Output for the screen, raw mode and its size.
 * The real one is built in deno_terminal.ts; tests use an in-memory fake.
 */
import type { Output } from "../io.ts";

export interface Terminal {
  /** Reads raw bytes; null at end of input. */
  read(buffer: Uint8Array): Promise<number | null>;
  /**
   * Raw mode on while a prompt owns the keyboard (keys one at a time, no echo, Ctrl+C a key),
   * off when it gives the keyboard back.
   */
  setRaw(raw: boolean): void;
  readonly output: Output;
  columns(): number;
  /** The number of rows, for prompts that must fit on one screen (24 when unknown). */
  rows?(): number;
  /** Calls `handler` when the terminal changes size; returns a function that stops that. */
  onResize?(handler: () => void): () => void;
  /**
   * Calls `handler` when the process is continued after being stopped (SIGCONT, the shell's
   * `fg`); returns a function that stops that.
   */
  onContinue?(handler: () => void): () => void;
  /**
   * Runs `operation` (an answer streaming) with the keyboard quiet: no echo and no line editing,
   * so what the user types meanwhile neither lands in the answer nor gets lost — it waits, unread,
   * for the next prompt. Ctrl+C stays a signal. A terminal without it runs `operation` as it is.
   */
  quietWhile?<T>(operation: () => Promise<T>): Promise<T>;
}
