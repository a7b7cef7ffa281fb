/**
 * A terminal a prompt can own: raw bytes in, an Output for the screen, raw mode and its size.
 * The real one is built in deno_terminal.ts; tests use an in-memory fake.
 */
import type { Output } from "../io.ts";

export interface Terminal {
  /** Reads raw bytes; null at end of input. */
  read(buffer: Uint8Array): Promise<number | null>;
  setRaw(raw: boolean): void;
  readonly output: Output;
  columns(): number;
  /** The number of rows, for prompts that must fit on one screen (24 when unknown). */
  rows?(): number;
  /** Calls `handler` when the terminal changes size; returns a function that stops that. */
  onResize?(handler: () => void): () => void;
}
