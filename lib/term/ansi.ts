/**
 * The escape sequences dollama writes to terminals, named once. Every other module builds its
 * bytes from these, so no `\x1b` appears anywhere else in lib/ (apart from the key decoder and the
 * sanitiser, which read escapes rather than write them).
 */

const ESC = "\x1b";
const CSI = `${ESC}[`;

export const HIDE_CURSOR = `${CSI}?25l`;
export const SHOW_CURSOR = `${CSI}?25h`;
/** Erases from the cursor to the end of its line. */
export const ERASE_LINE_END = `${CSI}K`;
/** Erases the cursor's whole line; the cursor stays where it is. */
export const ERASE_LINE = `${CSI}2K`;
/** Erases the whole screen and puts the cursor at its top-left corner (Ctrl+L). */
export const CLEAR_SCREEN = `${CSI}2J${CSI}H`;
/** One row up, in the short form the pull display has always written. */
export const CURSOR_UP = `${CSI}A`;
/** To the first column of the current row. */
export const COLUMN_1 = `${CSI}1G`;
/**
 * Synchronized output: a terminal that knows it shows everything between the two at once, so a
 * redrawn block never flickers; others ignore them.
 */
export const SYNC_START = `${CSI}?2026h`;
export const SYNC_END = `${CSI}?2026l`;
export const PASTE_ON = `${CSI}?2004h`;
export const PASTE_OFF = `${CSI}?2004l`;

export const BOLD = `${CSI}1m`;
export const RESET = `${CSI}0m`;
/** Upstream's grey (256-colour 245), for thinking, the placeholder and notices. */
export const GREY = `${CSI}38;5;245m`;
/** The 16-colour palette's bright black, the grey of the approval prompt and tool output. */
export const DARK_GREY = `${CSI}90m`;
/** The 16-colour palette's white, for the approval prompt's unselected options. */
export const WHITE = `${CSI}37m`;

/** `n` rows up; nothing for 0. */
export function cursorUp(n: number): string {
  return n > 0 ? `${CSI}${n}A` : "";
}

/** `n` rows down, never scrolling; nothing for 0. */
export function cursorDown(n: number): string {
  return n > 0 ? `${CSI}${n}B` : "";
}

/** `n` columns right; nothing for 0. */
export function cursorForward(n: number): string {
  return n > 0 ? `${CSI}${n}C` : "";
}

const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, "g");

/** `text` without the colour and weight sequences above: what the terminal shows of it. */
export function stripStyles(text: string): string {
  return text.replace(SGR, "");
}
