/**
 * The interactive chat's line reader: the pure line editor (editor.ts) run as a prompt by the
 * raw-mode driver (lib/term/prompt.ts), which owns raw mode, key decoding, redraws and restoring
 * the terminal on every way out. What is particular to reading a line is here: the editor's
 * events (submit, Ctrl+D, Ctrl+C, Ctrl+L, Ctrl+G, Ctrl+Z) and the keys typed ahead, which stay
 * queued from one line to the next.
 */
import type { Terminal } from "../term/terminal.ts";
import { KeyReader } from "../term/key_reader.ts";
import { runPrompt, type Step } from "../term/prompt.ts";
import { createEditor, onKey, render, withWidth } from "./editor.ts";
import type { EditorEvent, EditorOptions, EditorState } from "./editor.ts";

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

/** The input as it stays on screen once it is left: as typed, no placeholder, cursor at the end. */
function settled(state: EditorState): EditorState {
  return { ...state, placeholder: "", cursor: state.buffer.length };
}

type LineStep = Step<EditorState, ReadResult>;
type Done = LineStep & { type: "done" };

export class LineReader {
  readonly #terminal: Terminal;
  readonly #openEditor: (text: string) => Promise<string | undefined>;
  readonly #suspend: () => Promise<void>;
  /** Lives as long as the reader: type-ahead after an Enter belongs to the next line. */
  readonly #keys: KeyReader;

  constructor(terminal: Terminal, options: LineReaderOptions = {}) {
    this.#terminal = terminal;
    this.#openEditor = options.openEditor ?? (() => Promise.resolve(undefined));
    this.#suspend = options.suspend ?? suspendProcess;
    this.#keys = new KeyReader(terminal);
  }

  readLine(options: Omit<EditorOptions, "width">): Promise<ReadResult> {
    const terminal = this.#terminal;
    const finish = (state: EditorState, result: ReadResult): Done => ({
      type: "done",
      state: settled(state),
      result,
      leave: "keep",
    });
    const step = (state: EditorState, event: EditorEvent | undefined): LineStep => {
      switch (event?.type) {
        case undefined:
          return { type: "redraw", state };
        case "submit":
          return finish(state, { type: "line", text: event.text });
        case "eof":
          return finish(state, { type: "eof" });
        case "interrupt":
          return finish(state, { type: "interrupt" });
        case "clear-screen":
          return { type: "clear-screen", state };
        case "edit":
          // The input leaves the screen while the editor has it.
          return {
            type: "hand-over",
            state,
            leave: "erase",
            run: async () => {
              const edited = await this.#edit(event.text);
              if (edited === undefined) return state;
              return createEditor({ ...options, width: terminal.columns(), initial: edited });
            },
          };
        case "suspend":
          // The input stays visible above the shell's job-control message.
          return {
            type: "hand-over",
            state: settled(state),
            leave: "keep",
            run: async () => {
              await this.#suspend();
              return state;
            },
          };
      }
    };
    // What the first read brings may have been typed while the keyboard was cooked: during a
    // slash command, or while an answer streamed where it cannot be quiet (Windows).
    this.#keys.expectCookedInput();
    return runPrompt<EditorState, ReadResult>(terminal, {
      state: createEditor({ ...options, width: terminal.columns() }),
      render,
      onKey: (state, key) => {
        const result = onKey(state, key);
        return step(result.state, result.event);
      },
      onEnd: (state) => finish(state, { type: "eof" }),
      resize: withWidth,
      paste: true,
    }, this.#keys);
  }

  /**
   * Runs `operation` (an answer streaming) with the keyboard quiet when the terminal can do that
   * (`Terminal.quietWhile`): what the user types meanwhile is not echoed into the answer, and
   * stays queued in the terminal. The next `readLine` reads it as if typed at its prompt, so
   * each Enter typed ahead submits its own line, in order. Ctrl+C still interrupts.
   */
  whileAnswering<T>(operation: () => Promise<T>): Promise<T> {
    const terminal = this.#terminal;
    return terminal.quietWhile ? terminal.quietWhile(operation) : operation();
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
