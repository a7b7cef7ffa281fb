/**
 * The line editor of the interactive chat as a pure state machine: `onKey()` takes a state and a
 * key and returns the next state (plus an event when the key ends or leaves the edit), and
 * `render()` says what the terminal rows should show. No I/O happens here, so every key can be
 * tested by looking at the rendered text; the prompt driver (lib/term/prompt.ts) draws it.
 *
 * The buffer is one list of grapheme clusters in which "\n" separates the rows made with Ctrl+J
 * (or pasted). Keeping it flat makes movement and deletion across rows the same as within one;
 * "row" operations (Ctrl+A/E/K/U) look for the neighbouring "\n".
 */
import { graphemes as splitGraphemes } from "../term/graphemes.ts";
import type { Key } from "../term/keys.ts";
import { GREY, RESET } from "../term/ansi.ts";
import type { View } from "../term/screen.ts";
import { displayWidth } from "../term/width.ts";
import { cutToWidth } from "../render/cut_to_width.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";

export interface EditorOptions {
  prompt: string;
  continuation: string;
  placeholder: string;
  width: number;
  history: readonly string[];
  initial?: string;
}

export interface EditorState {
  readonly prompt: string;
  readonly continuation: string;
  readonly placeholder: string;
  readonly width: number;
  readonly history: readonly string[];
  /** Grapheme clusters; "\n" ends a row. */
  readonly buffer: readonly string[];
  /** Index into `buffer`: the cursor sits before `buffer[cursor]`. */
  readonly cursor: number;
  /** Which history entry is shown; `history.length` means the user's own draft. */
  readonly historyIndex: number;
  /** The draft saved when the user first moved into history. */
  readonly draft: readonly string[];
}

export type EditorEvent =
  | { type: "submit"; text: string }
  | { type: "eof" }
  | { type: "interrupt" }
  | { type: "clear-screen" }
  | { type: "edit"; text: string }
  | { type: "suspend" };

export interface Screen extends View {
  /** What each terminal row shows, prompt included; only the placeholder carries escapes. */
  rows: string[];
  cursorRow: number;
  /** In cells. */
  cursorCol: number;
}

const TAB_SPACES = "        ";

function graphemes(text: string): string[] {
  return Array.from(splitGraphemes(text));
}

/** Text from outside (history, editor, paste) uses "\n" for row breaks whatever it came with. */
function toBuffer(text: string): string[] {
  return graphemes(text.replace(/\r\n?/g, "\n"));
}

export function createEditor(options: EditorOptions): EditorState {
  const buffer = toBuffer(options.initial ?? "");
  return {
    prompt: options.prompt,
    continuation: options.continuation,
    placeholder: options.placeholder,
    width: options.width,
    history: options.history,
    buffer,
    cursor: buffer.length,
    historyIndex: options.history.length,
    draft: [],
  };
}

export function withWidth(state: EditorState, width: number): EditorState {
  return { ...state, width };
}

/** The whole input as submitted: rows joined by "\n". */
export function textOf(state: EditorState): string {
  return state.buffer.join("");
}

const isWordChar = (g: string) => g !== " " && g !== "\n";

function rowStart(buffer: readonly string[], at: number): number {
  let i = at;
  while (i > 0 && buffer[i - 1] !== "\n") i--;
  return i;
}

function rowEnd(buffer: readonly string[], at: number): number {
  let i = at;
  while (i < buffer.length && buffer[i] !== "\n") i++;
  return i;
}

/** Replaces `buffer[from, to)` with `insert` and puts the cursor at `cursor`. */
function splice(
  state: EditorState,
  from: number,
  to: number,
  insert: readonly string[],
  cursor: number,
): EditorState {
  const buffer = [...state.buffer.slice(0, from), ...insert, ...state.buffer.slice(to)];
  return { ...state, buffer, cursor };
}

function insertText(state: EditorState, text: string): EditorState {
  if (text === "") return state;
  // A combining mark typed after a letter joins its cluster, so segment it with the grapheme
  // before the cursor rather than on its own.
  const before = state.cursor > 0 && state.buffer[state.cursor - 1] !== "\n"
    ? state.buffer[state.cursor - 1]
    : "";
  const inserted = toBuffer(before + text);
  const from = state.cursor - (before === "" ? 0 : 1);
  return splice(state, from, state.cursor, inserted, from + inserted.length);
}

/** Deletes `buffer[from, to)` and leaves the cursor at `from`. */
function remove(state: EditorState, from: number, to: number): EditorState {
  return from === to ? state : splice(state, from, to, [], from);
}

function move(state: EditorState, cursor: number): EditorState {
  return cursor === state.cursor ? state : { ...state, cursor };
}

function wordLeft(state: EditorState): number {
  let i = state.cursor;
  while (i > 0 && !isWordChar(state.buffer[i - 1])) i--;
  while (i > 0 && isWordChar(state.buffer[i - 1])) i--;
  return i;
}

function wordRight(state: EditorState): number {
  let i = state.cursor;
  while (i < state.buffer.length && !isWordChar(state.buffer[i])) i++;
  while (i < state.buffer.length && isWordChar(state.buffer[i])) i++;
  return i;
}

/** Ctrl+W: the spaces before the cursor, then the word before them, within the row. */
function deleteWordBefore(state: EditorState): EditorState {
  const { buffer, cursor } = state;
  let i = cursor;
  while (i > 0 && buffer[i - 1] === " ") i--;
  while (i > 0 && isWordChar(buffer[i - 1])) i--;
  // At the start of a row there is no word to delete: join it to the row above, as Backspace.
  if (i === cursor && i > 0) i--;
  return remove(state, i, cursor);
}

function showHistory(state: EditorState, index: number): EditorState {
  const buffer = index === state.history.length ? state.draft : toBuffer(state.history[index]);
  return { ...state, buffer, cursor: buffer.length, historyIndex: index };
}

function historyPrevious(state: EditorState): EditorState {
  if (state.historyIndex <= 0) return state;
  // Leaving the draft: keep it so moving past the newest entry brings it back.
  const saved = state.historyIndex === state.history.length
    ? { ...state, draft: state.buffer }
    : state;
  return showHistory(saved, Math.min(state.historyIndex, state.history.length) - 1);
}

function historyNext(state: EditorState): EditorState {
  if (state.historyIndex >= state.history.length) return state;
  return showHistory(state, state.historyIndex + 1);
}

export function onKey(state: EditorState, key: Key): { state: EditorState; event?: EditorEvent } {
  const { buffer, cursor } = state;
  switch (key.type) {
    case "char":
      return { state: insertText(state, key.text) };
    case "paste":
      return { state: insertText(state, key.text) };
    case "tab":
      return { state: insertText(state, TAB_SPACES) };
    case "ctrl-j":
      return { state: splice(state, cursor, cursor, ["\n"], cursor + 1) };
    case "enter":
      return { state, event: { type: "submit", text: textOf(state) } };
    case "home":
    case "ctrl-a":
      return { state: move(state, rowStart(buffer, cursor)) };
    case "end":
    case "ctrl-e":
      return { state: move(state, rowEnd(buffer, cursor)) };
    case "left":
    case "ctrl-b":
      return { state: move(state, Math.max(0, cursor - 1)) };
    case "right":
    case "ctrl-f":
      return { state: move(state, Math.min(buffer.length, cursor + 1)) };
    case "alt-b":
      return { state: move(state, wordLeft(state)) };
    case "alt-f":
      return { state: move(state, wordRight(state)) };
    case "up":
    case "ctrl-p":
      return { state: historyPrevious(state) };
    case "down":
    case "ctrl-n":
      return { state: historyNext(state) };
    case "backspace":
      // Before the first character of a row this deletes the "\n": the row joins the one above.
      return { state: remove(state, Math.max(0, cursor - 1), cursor) };
    case "delete":
      return { state: remove(state, cursor, Math.min(buffer.length, cursor + 1)) };
    case "ctrl-d":
      if (buffer.length === 0) return { state, event: { type: "eof" } };
      return { state: remove(state, cursor, Math.min(buffer.length, cursor + 1)) };
    case "ctrl-k":
      return { state: remove(state, cursor, rowEnd(buffer, cursor)) };
    case "ctrl-u":
      return { state: remove(state, rowStart(buffer, cursor), cursor) };
    case "ctrl-w":
    case "alt-backspace":
      return { state: deleteWordBefore(state) };
    case "ctrl-l":
      return { state, event: { type: "clear-screen" } };
    case "ctrl-g":
      return { state, event: { type: "edit", text: textOf(state) } };
    case "ctrl-c":
      return { state, event: { type: "interrupt" } };
    case "ctrl-z":
      return { state, event: { type: "suspend" } };
    case "escape":
    case "unknown":
      return { state };
  }
}

/** What a grapheme looks like on screen and how many cells it takes. */
function display(g: string): { text: string; width: number } {
  // Tabs can come from history, a paste or the external editor. A real tab would jump to a
  // tab stop the editor does not track, so it is drawn as the spaces the Tab key inserts.
  if (g === "\t") return { text: TAB_SPACES, width: TAB_SPACES.length };
  const safe = sanitizeForTerminal(g);
  return { text: safe, width: displayWidth(safe) };
}

export function render(state: EditorState): Screen {
  const promptWidth = displayWidth(state.prompt);
  const continuationWidth = displayWidth(state.continuation);
  // The last column stays empty: a character there leaves the terminal in its "pending wrap"
  // state, where the next move or print behaves differently between terminals.
  const room = (first: boolean) =>
    Math.max(2, state.width - 1 - (first ? promptWidth : continuationWidth));

  if (state.buffer.length === 0) {
    const hint = cutToWidth(state.placeholder, room(true));
    const row = hint === "" ? state.prompt : state.prompt + GREY + hint + RESET;
    return { rows: [row], cursorRow: 0, cursorCol: promptWidth };
  }

  const rows: string[] = [];
  let line = state.prompt;
  let lineWidth = 0;
  let limit = room(true);
  let cursorRow = -1;
  let cursorCol = 0;
  const newRow = () => {
    rows.push(line);
    line = state.continuation;
    lineWidth = 0;
    limit = room(false);
  };
  const margin = () => (rows.length === 0 ? promptWidth : continuationWidth);

  for (let i = 0; i < state.buffer.length; i++) {
    const g = state.buffer[i];
    if (g === "\n") {
      if (i === state.cursor) [cursorRow, cursorCol] = [rows.length, margin() + lineWidth];
      newRow();
      continue;
    }
    const { text, width } = display(g);
    // Wrap before a character that does not fit, so a wide one is never cut in half. A
    // character wider than a whole row (tiny terminals) gets a row to itself.
    if (lineWidth + width > limit && lineWidth > 0) newRow();
    if (i === state.cursor) [cursorRow, cursorCol] = [rows.length, margin() + lineWidth];
    line += text;
    lineWidth += width;
  }
  if (cursorRow < 0) [cursorRow, cursorCol] = [rows.length, margin() + lineWidth];
  rows.push(line);
  return { rows, cursorRow, cursorCol };
}
