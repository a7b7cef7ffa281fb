/**
 * The driver of the line editor: the only code that puts the terminal in raw mode. It reads
 * bytes, decodes keys, feeds them to the pure editor (editor.ts) and writes the redraws. Every
 * way out of `readLine()` — submit, Ctrl+D, Ctrl+C, end of input, a failing read — goes through
 * one `finally` that turns bracketed paste off, shows the cursor and leaves raw mode, so the
 * user's shell is never left in a broken state.
 */
import type { Terminal } from "../term/terminal.ts";
import { HIDE_CURSOR, PASTE_OFF, PASTE_ON, SHOW_CURSOR } from "../term/ansi.ts";
import { KeyDecoder } from "../term/keys.ts";
import type { Key } from "../term/keys.ts";
import { createEditor, onKey, redraw, reflow, render, withWidth } from "./editor.ts";
import type { EditorOptions, EditorState, Screen } from "./editor.ts";

export type ReadResult = { type: "line"; text: string } | { type: "eof" } | { type: "interrupt" };

export interface LineReaderOptions {
  /**
   * Ctrl+G: edits the text in an external program; undefined or blank keeps the input.
   * Without one the key does nothing.
   */
  openEditor?: (text: string) => Promise<string | undefined>;
  /** Ctrl+Z: stops the process until it is resumed. Defaults to SIGTSTP to the process group. */
  suspend?: () => Promise<void>;
}

const CLEAR_SCREEN = "\x1b[2J\x1b[H";

/**
 * Stops the whole process group, as a shell's Ctrl+Z would in cooked mode: signalling only this
 * process would leave a parent (`deno task`, a wrapper script) running and the shell waiting.
 * Execution continues here after the shell's `fg` (SIGCONT).
 */
function suspendProcess(): Promise<void> {
  // Windows has no job control; there the key is ignored.
  if (Deno.build.os === "windows") return Promise.resolve();
  try {
    Deno.kill(0, "SIGTSTP");
  } catch {
    // Without --allow-run the signal cannot be sent; the key then does nothing.
  }
  return Promise.resolve();
}

export class LineReader {
  readonly #terminal: Terminal;
  readonly #openEditor: (text: string) => Promise<string | undefined>;
  readonly #suspend: () => Promise<void>;
  readonly #decoder = new KeyDecoder();
  /** Keys read but not used yet: type-ahead after an Enter belongs to the next line. */
  #queue: Key[] = [];
  #buffer = new Uint8Array(4096);

  constructor(terminal: Terminal, options: LineReaderOptions = {}) {
    this.#terminal = terminal;
    this.#openEditor = options.openEditor ?? (() => Promise.resolve(undefined));
    this.#suspend = options.suspend ?? suspendProcess;
  }

  /**
   * True until the first read of a `readLine()`. What that read returns may have been typed
   * while the terminal was in cooked mode (during an answer), where the terminal already turned
   * Enter into "\n" and delivers whole lines: a "\n" ending that read means Enter, not Ctrl+J
   * (reference/ollama-run.md §13.5). A "\n" inside it, or in any later read, stays Ctrl+J.
   */
  #typeAhead = false;

  /** The next key, or null at end of input. */
  async #nextKey(): Promise<Key | null> {
    while (this.#queue.length === 0) {
      const n = await this.#terminal.read(this.#buffer);
      if (n === null) return null;
      let keys = this.#decoder.push(this.#buffer.subarray(0, n));
      if (this.#typeAhead && keys.at(-1)?.type === "ctrl-j") {
        keys = [...keys.slice(0, -1), { type: "enter" }];
      }
      this.#typeAhead = false;
      this.#queue.push(...keys);
    }
    return this.#queue.shift()!;
  }

  async readLine(options: Omit<EditorOptions, "width">): Promise<ReadResult> {
    const terminal = this.#terminal;
    const out = terminal.output;
    let state: EditorState = createEditor({ ...options, width: terminal.columns() });
    let screen: Screen | undefined;
    // Writes are chained so a resize redraw can never interleave with a key's redraw.
    let writing = Promise.resolve();
    const write = (text: string) => {
      writing = writing.then(() => out.write(text));
      return writing;
    };
    const draw = (next: EditorState, reset = false) => {
      const nextScreen = render(next);
      const bytes = redraw(reset ? undefined : screen, nextScreen);
      screen = nextScreen;
      return write(HIDE_CURSOR + bytes + SHOW_CURSOR);
    };
    /** Leaves the input on screen as typed (no placeholder), and the cursor on the next line. */
    const finish = async () => {
      const done = draw({ ...state, placeholder: "", cursor: state.buffer.length });
      // From here on the input is no longer ours to redraw (a resize must not touch it).
      screen = undefined;
      await done;
      await write("\r\n");
    };
    /** Removes the input from the screen, for programs that take the terminal over. */
    const erase = async () => {
      const done = draw({ ...state, placeholder: "", buffer: [], cursor: 0, prompt: "" });
      screen = undefined;
      await done;
    };

    let stopResize: (() => void) | undefined;
    this.#typeAhead = this.#queue.length === 0;
    try {
      terminal.setRaw(true);
      await write(PASTE_ON);
      await draw(state);
      stopResize = terminal.onResize?.(() => {
        const width = terminal.columns();
        state = withWidth(state, width);
        // Not while an editor or the shell (Ctrl+G, Ctrl+Z) has the terminal: the input is
        // drawn afresh, at the new width, when they give it back.
        if (screen === undefined) return;
        // The terminal may have re-wrapped the rows on screen, moving the cursor.
        screen = reflow(screen, width);
        draw(state).catch(() => {});
      });
      while (true) {
        const key = await this.#nextKey();
        if (key === null) {
          await finish();
          return { type: "eof" };
        }
        const result = onKey(state, key);
        state = result.state;
        const event = result.event;
        if (event === undefined) {
          await draw(state);
          continue;
        }
        switch (event.type) {
          case "submit":
            await finish();
            return { type: "line", text: event.text };
          case "eof":
            await finish();
            return { type: "eof" };
          case "interrupt":
            await finish();
            return { type: "interrupt" };
          case "clear-screen":
            await write(CLEAR_SCREEN);
            await draw(state, true);
            break;
          case "edit": {
            await erase();
            const edited = await this.#runOutsideRawMode(() => this.#edit(event.text));
            if (edited !== undefined) {
              state = createEditor({ ...options, width: terminal.columns(), initial: edited });
            }
            await draw(state, true);
            break;
          }
          case "suspend":
            // The input stays visible above the shell's job-control message.
            await finish();
            await this.#runOutsideRawMode(() => this.#suspend());
            await draw(state, true);
            break;
        }
      }
    } finally {
      stopResize?.();
      try {
        await writing.catch(() => {});
        await out.write(PASTE_OFF + SHOW_CURSOR);
      } catch {
        // The terminal is gone; still leave raw mode below.
      } finally {
        terminal.setRaw(false);
      }
    }
  }

  /** Hands the terminal to someone else in cooked mode, then takes it back. */
  async #runOutsideRawMode<T>(run: () => Promise<T>): Promise<T> {
    const out = this.#terminal.output;
    await out.write(PASTE_OFF);
    this.#terminal.setRaw(false);
    try {
      return await run();
    } finally {
      this.#terminal.setRaw(true);
      await out.write(PASTE_ON);
    }
  }

  /** The edited text with trailing newlines removed, or undefined to keep the current input. */
  async #edit(text: string): Promise<string | undefined> {
    let edited: string | undefined;
    try {
      edited = await this.#openEditor(text);
    } catch (error) {
      // Cooked mode here, so "\n" is a full newline.
      const message = error instanceof Error ? error.message : String(error);
      await this.#terminal.output.write(`error: ${message}\n`);
      return undefined;
    }
    if (edited === undefined) return undefined;
    edited = edited.replace(/\n+$/, "");
    return edited.trim() === "" ? undefined : edited;
  }
}
