/**
 * The escape sequences terminal tests expect, spelled out byte for byte. They are written here
 * rather than taken from lib/term/ansi.ts, so that a wrong sequence there fails the tests.
 */

export const HIDE = "\x1b[?25l";
export const SHOW = "\x1b[?25h";
export const PASTE_ON = "\x1b[?2004h";
export const PASTE_OFF = "\x1b[?2004l";
export const CLEAR = "\x1b[2J\x1b[H";
export const GREY = "\x1b[38;5;245m";
export const RESET = "\x1b[0m";
/** Blanks a whole row: the prompt blanks its rows before drawing them again. */
export const LINE = "\x1b[2K";
export const DOWN = "\x1b[1B";

/** What blanks the `n` rows a previous drawing took, from its first, coming back to it. */
export function blank(n: number): string {
  return LINE + `${DOWN}${LINE}`.repeat(n - 1) + (n > 1 ? `\x1b[${n - 1}A` : "");
}
