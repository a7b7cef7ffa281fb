/**
 * The arithmetic of drawing a prompt in place: what a prompt shows (a View), the bytes that
 * replace one View on screen by the next, and where a View stands after the terminal changed
 * width. Pure; the prompt driver (prompt.ts) does the writing.
 *
 * A prompt is drawn from the start of the row the cursor is on when it starts; rows are joined
 * with "\r\n", and a row wider than the terminal takes as many terminal rows as it wraps onto.
 *
 * Only the prompt's own rows are ever erased, one line at a time. Erasing "to the end of the
 * screen" (`ESC[J`) would be shorter, but when the prompt sits on the screen's first row that is
 * a clear screen to tmux, which (with `scroll-on-clear`, its default) then copies the whole
 * screen into the scrollback on every key (docs/terminal.md).
 */
import { graphemes } from "./graphemes.ts";
import { cursorDown, cursorForward, cursorUp, ERASE_LINE, stripStyles } from "./ansi.ts";
import { displayWidth } from "./width.ts";

export interface View {
  /** The rows, without line endings; they may carry colour sequences. */
  readonly rows: readonly string[];
  /**
   * Where the cursor goes: a row index and the cells before it in that row. Without them the
   * cursor is left after the last row (and the prompt keeps it hidden).
   */
  readonly cursorRow?: number;
  readonly cursorCol?: number;
}

/** How many terminal rows `row` takes at `width` columns. */
export function rowsTaken(row: string, width: number): number {
  return Math.max(1, Math.ceil(displayWidth(row) / Math.max(1, width)));
}

/** The terminal row (from the View's first) the cursor is on once `view` is drawn. */
export function cursorOffset(view: View, width: number): number {
  const { rows, cursorRow, cursorCol } = view;
  let offset = 0;
  if (cursorRow === undefined || cursorCol === undefined) {
    for (const row of rows) offset += rowsTaken(row, width);
    return offset - 1;
  }
  for (let i = 0; i < cursorRow; i++) offset += rowsTaken(rows[i] ?? "", width);
  // A cursor right after a row that fills the width exactly stays on that row (the terminal's
  // pending wrap), hence the cap.
  const taken = rowsTaken(rows[cursorRow] ?? "", width);
  return offset + Math.min(Math.floor(cursorCol / Math.max(1, width)), taken - 1);
}

/** Bytes that put the cursor where `view` wants it, starting from the end of its last row. */
function placeCursor(view: View, width: number): string {
  const { rows, cursorRow, cursorCol } = view;
  if (cursorRow === undefined || cursorCol === undefined) return "";
  const last = rows.length - 1;
  if (cursorRow === last && cursorCol === displayWidth(rows[last])) return "";
  const end = cursorOffset({ rows }, width);
  const up = end - cursorOffset(view, width);
  const col = cursorCol % Math.max(1, width);
  return cursorUp(up) + "\r" + cursorForward(col);
}

/** How many terminal rows `view` takes at `width`. */
function rowsOf(view: View, width: number): number {
  let total = 0;
  for (const row of view.rows) total += rowsTaken(row, width);
  return total;
}

/**
 * Bytes that blank `count` terminal rows, from the cursor's down, and come back to the first.
 * Blanking a whole row also ends a wrap the terminal recorded there, so tmux does not join it to
 * the next row when copying.
 */
function blankRows(count: number): string {
  const below = Math.max(0, count - 1);
  return ERASE_LINE + (cursorDown(1) + ERASE_LINE).repeat(below) + cursorUp(below);
}

/**
 * Bytes that replace `previous` (drawn earlier at `width`, cursor where it left it) by `next`: go
 * to the start of the prompt's first row, blank the rows `previous` took, write the rows of
 * `next`, and place the cursor. Without a previous View the cursor is taken to be on the
 * prompt's first row, and that row is blanked.
 */
export function redraw(previous: View | undefined, next: View, width: number): string {
  const up = previous === undefined ? 0 : cursorOffset(previous, width);
  const blank = blankRows(previous === undefined ? 1 : rowsOf(previous, width));
  return "\r" + cursorUp(up) + blank + next.rows.join("\r\n") + placeCursor(next, width);
}

/**
 * Bytes that remove `previous` (drawn at `width`) from the screen, row by row, leaving the cursor
 * at the start of its first row.
 */
export function erase(previous: View, width: number): string {
  return "\r" + cursorUp(cursorOffset(previous, width)) + blankRows(rowsOf(previous, width));
}

/**
 * What of `view` is drawn on a screen of `height` rows: all of it when it fits, else a window of
 * `height` terminal rows that holds the cursor (the last row when the cursor is hidden). Drawing
 * more rows than the screen has would scroll it: the cursor could then not go back up to the
 * prompt's first row, so every redraw would start lower, push rows into the scrollback and leave
 * the cursor shown away from where typing goes. `top` is the first row of the window drawn last
 * (0 at first): the window moves only as far as it must to keep the cursor in it, as a pager
 * scrolls, and the returned `top` is where it now starts. Rows that wrap are re-wrapped first
 * (`reflow`), so that each row of the window is one terminal row.
 */
export function windowFor(
  view: View,
  width: number,
  height: number,
  top: number,
): { view: View; top: number } {
  if (height < 1 || width < 2 || rowsOf(view, width) <= height) return { view, top: 0 };
  const flat = view.rows.every((row) => rowsTaken(row, width) === 1) ? view : reflow(view, width);
  const cursor = cursorOffset(flat, width);
  const lowest = Math.max(0, cursor - height + 1);
  const highest = Math.min(cursor, flat.rows.length - height);
  const first = Math.min(Math.max(top, lowest), highest);
  const rows = flat.rows.slice(first, first + height);
  if (flat.cursorRow === undefined || flat.cursorCol === undefined) {
    return { view: { rows }, top: first };
  }
  return {
    view: { rows, cursorRow: flat.cursorRow - first, cursorCol: flat.cursorCol },
    top: first,
  };
}

/**
 * Where `view` stands after the terminal changed to `width` columns. Most terminals (VTE,
 * iTerm2, kitty, Alacritty, Windows Terminal, tmux) re-wrap rows that no longer fit, which moves
 * the cursor down; redrawing from the old cursor row would leave the top of the prompt behind.
 * Rows are re-wrapped the way those terminals do it: a wide character that does not fit moves
 * to the next row whole. (xterm cuts rows instead; there this overestimates and may erase a
 * line above the prompt.) The result's rows are plain text, each fitting `width`.
 */
export function reflow(view: View, width: number): View {
  if (width < 2) return view;
  const rows: string[] = [];
  const hasCursor = view.cursorRow !== undefined && view.cursorCol !== undefined;
  const cursorCol = view.cursorCol ?? 0;
  let cursor: { row: number; col: number } | undefined;
  view.rows.forEach((row, index) => {
    const isCursorRow = hasCursor && index === view.cursorRow;
    let line = "";
    let col = 0;
    let cells = 0; // position in the row before re-wrapping
    for (const g of graphemes(stripStyles(row))) {
      const w = displayWidth(g);
      if (col + w > width) {
        rows.push(line);
        line = "";
        col = 0;
      }
      if (isCursorRow && cursor === undefined && cells >= cursorCol) {
        cursor = { row: rows.length, col };
      }
      line += g;
      col += w;
      cells += w;
    }
    if (isCursorRow && cursor === undefined) {
      // At (or past) the end of its row.
      const at = col + cursorCol - cells;
      cursor = { row: rows.length + Math.floor(at / width), col: at % width };
    }
    rows.push(line);
  });
  if (!hasCursor) return { rows };
  cursor ??= { row: rows.length - 1, col: 0 };
  return { rows, cursorRow: cursor.row, cursorCol: cursor.col };
}
