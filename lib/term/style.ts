/**
 * Bold and greys, decided once per output: on a terminal with colour allowed the functions wrap
 * text in escape sequences, anywhere else (a pipe, a file, NO_COLOR) they return it unchanged. A
 * caller asks `styleFor()` once and passes the Style on, instead of testing a flag at every
 * string it builds.
 */
import type { Output } from "../io.ts";
import { BOLD, DARK_GREY, GREY, RESET, WHITE } from "./ansi.ts";

export interface Style {
  /** False when every function below returns its text unchanged. */
  readonly enabled: boolean;
  bold(text: string): string;
  /** Upstream's 256-colour grey, for thinking and notices. */
  grey(text: string): string;
  /** The palette's bright black: the approval prompt's hints and tool output. */
  darkGrey(text: string): string;
  /** The palette's white: the approval prompt's unselected options. */
  white(text: string): string;
}

const wrap = (on: string) => (text: string) => `${on}${text}${RESET}`;
const same = (text: string) => text;

/** Styling on. */
export const STYLED: Style = {
  enabled: true,
  bold: wrap(BOLD),
  grey: wrap(GREY),
  darkGrey: wrap(DARK_GREY),
  white: wrap(WHITE),
};

/** Styling off: every function returns its text as it is. */
export const PLAIN: Style = {
  enabled: false,
  bold: same,
  grey: same,
  darkGrey: same,
  white: same,
};

/**
 * The style for text written to `output`: styled only on a terminal, and only when the user did
 * not ask for no colour (`noColor` is `ctx.config.noColor`, NO_COLOR set and non-empty).
 */
export function styleFor(output: Output, noColor: boolean): Style {
  return output.isTerminal && !noColor ? STYLED : PLAIN;
}

/** The style for a decision made earlier and passed on as a flag. */
export function styleIf(enabled: boolean): Style {
  return enabled ? STYLED : PLAIN;
}
