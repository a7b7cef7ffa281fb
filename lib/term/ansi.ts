/** The escape sequences dollama writes to terminals, named once. */

export const HIDE_CURSOR = "\x1b[?25l";
export const SHOW_CURSOR = "\x1b[?25h";
export const ERASE_LINE_END = "\x1b[K";
export const BOLD = "\x1b[1m";
export const RESET = "\x1b[0m";
/** Upstream's grey (256-colour 245), for thinking and notices. */
export const GREY = "\x1b[38;5;245m";
export const PASTE_ON = "\x1b[?2004h";
export const PASTE_OFF = "\x1b[?2004l";
