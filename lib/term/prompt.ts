/**
 * The one raw-mode prompt driver, in the style of dax's console prompts: a prompt is a state, a
 * pure `render(state)` and a pure `onKey(state, key)`; `runPrompt()` does everything that
 * touches the terminal. It turns raw mode (and bracketed paste) on, reads and decodes keys,
 * hides the cursor while it redraws, works out how many rows the last drawing took at the
 * terminal's width to draw over or erase it, follows resizes, hands the terminal to other
 * programs in cooked mode when a key asks for it, and restores everything in one `finally` on
 * every way out: a decision, Ctrl+C, end of input, a failing read or write.
 *
 * The line editor (lib/repl/line_reader.ts) and the tool approval prompt
 * (lib/agent/approval.ts) are both prompts run by it.
 */
import { CLEAR_SCREEN, HIDE_CURSOR, PASTE_OFF, PASTE_ON, SHOW_CURSOR } from "./ansi.ts";
import { KeyReader, type Settle } from "./key_reader.ts";
import type { Key } from "./keys.ts";
import { erase, redraw, reflow, type View, windowFor } from "./screen.ts";
import type { Terminal } from "./terminal.ts";

/** What happens to the prompt's drawing when it ends or hands the terminal over. */
export type Leave =
  /** It stays on screen, drawn once more from the step's state, and the cursor goes below it. */
  | "keep"
  /** It is erased; the cursor is left where the prompt started. */
  | "erase";

/** What a key (or the end of input) leads to. */
export type Step<S, R> =
  /** Draw `state` and wait for the next key. */
  | { type: "redraw"; state: S }
  /** The prompt is over: `runPrompt` returns `result`. */
  | { type: "done"; state: S; result: R; leave: Leave }
  /** Clear the whole screen and draw `state` at its top. */
  | { type: "clear-screen"; state: S }
  /**
   * Give the terminal, in cooked mode and without bracketed paste, to `run` (an editor, the
   * shell's job control); then take it back and draw the state `run` returns afresh below
   * whatever was printed meanwhile.
   */
  | { type: "hand-over"; state: S; leave: Leave; run: () => Promise<S> };

export interface Prompt<S, R> {
  /** The state drawn first. */
  state: S;
  render(state: S): View;
  onKey(state: S, key: Key): Step<S, R>;
  /** The input ended (the terminal closed). */
  onEnd(state: S): Step<S, R> & { type: "done" };
  /** The state at a new terminal width, for prompts whose layout depends on it. */
  resize?(state: S, width: number): S;
  /** Bracketed paste on while the prompt runs, so a pasted newline is text, not Enter. */
  paste?: boolean;
  /**
   * Keys that arrive before this window closes, after the prompt is first drawn, were typed
   * before it appeared and are dropped (see `KeyReader.dropTypeAhead`).
   */
  typeAhead?: () => Settle;
}

/**
 * Runs `prompt` on `terminal` until it is done. `keys` is given by callers that keep keys typed
 * ahead from one prompt to the next; by default the prompt reads with a reader of its own.
 */
export async function runPrompt<S, R>(
  terminal: Terminal,
  prompt: Prompt<S, R>,
  keys: KeyReader = new KeyReader(terminal),
): Promise<R> {
  const out = terminal.output;
  let state = prompt.state;
  let width = terminal.columns();
  /**
   * What is on screen, as drawn at `width`; undefined before the first drawing, once the
   * drawing is no longer ours to redraw (kept or erased), and while someone else has the
   * terminal. A resize then redraws nothing: the prompt is drawn afresh when it is ours again.
   */
  let drawn: View | undefined;
  // Writes are chained so a resize redraw can never interleave with a key's redraw.
  let writing = Promise.resolve();
  const write = (text: string) => {
    writing = writing.then(() => out.write(text));
    return writing;
  };
  /** The first row shown of a prompt taller than the screen (screen.ts `windowFor`). */
  let top = 0;
  /**
   * Draws `state` over what is drawn. A prompt taller than the screen is drawn a window at a time,
   * so that redrawing it never scrolls; `whole` draws all of it, for a drawing that is left
   * behind as a record and may scroll the screen once.
   */
  const draw = (whole = false) => {
    let view = prompt.render(state);
    if (!whole) ({ view, top } = windowFor(view, width, terminal.rows?.() ?? Infinity, top));
    const bytes = redraw(drawn, view, width);
    drawn = view;
    return write(HIDE_CURSOR + bytes + (hasCursor(view) ? SHOW_CURSOR : ""));
  };
  const leave = async (how: Leave) => {
    if (how === "keep") {
      const done = draw(true);
      drawn = undefined;
      await done;
      await write("\r\n");
      return;
    }
    if (drawn === undefined) return;
    const bytes = erase(drawn, width) + (hasCursor(drawn) ? SHOW_CURSOR : "");
    drawn = undefined;
    await write(HIDE_CURSOR + bytes);
  };
  const handOver = async (run: () => Promise<S>) => {
    if (prompt.paste) await write(PASTE_OFF);
    terminal.setRaw(false);
    try {
      return await run();
    } finally {
      terminal.setRaw(true);
      if (prompt.paste) await write(PASTE_ON);
    }
  };

  let stopResize: (() => void) | undefined;
  let stopContinue: (() => void) | undefined;
  try {
    terminal.setRaw(true);
    if (prompt.paste) await write(PASTE_ON);
    await draw();
    stopResize = terminal.onResize?.(() => {
      width = terminal.columns();
      if (prompt.resize) state = prompt.resize(state, width);
      if (drawn === undefined) return;
      // The terminal may have re-wrapped the rows on screen, moving the cursor.
      drawn = reflow(drawn, width);
      draw().catch(() => {});
    });
    stopContinue = terminal.onContinue?.(() => {
      if (drawn === undefined) return;
      // Stopped from outside and brought back with `fg` (a Ctrl+Z of the prompt's own hands the
      // terminal over instead): the shell wrote below the prompt meanwhile and left the cursor
      // on a fresh line, so the prompt is drawn afresh there, as after a hand-over.
      drawn = undefined;
      draw().catch(() => {});
    });
    if (prompt.typeAhead) await keys.dropTypeAhead(prompt.typeAhead);
    while (true) {
      const key = await keys.next();
      const step = key === null ? prompt.onEnd(state) : prompt.onKey(state, key);
      state = step.state;
      switch (step.type) {
        case "redraw":
          await draw();
          break;
        case "done":
          await leave(step.leave);
          return step.result;
        case "clear-screen":
          drawn = undefined;
          await write(CLEAR_SCREEN);
          await draw();
          break;
        case "hand-over": {
          await leave(step.leave);
          const next = await handOver(step.run);
          // The width may have changed while the terminal was away.
          state = prompt.resize ? prompt.resize(next, width) : next;
          await draw();
          break;
        }
      }
    }
  } finally {
    stopResize?.();
    stopContinue?.();
    try {
      await writing.catch(() => {});
      await out.write((prompt.paste ? PASTE_OFF : "") + SHOW_CURSOR);
    } catch {
      // The terminal is gone; still leave raw mode below.
    } finally {
      terminal.setRaw(false);
    }
  }
}

function hasCursor(view: View): boolean {
  return view.cursorRow !== undefined && view.cursorCol !== undefined;
}
