/**
 * A command as the approval prompt shows it: what you approve is what you see. Everything that
 * could hide part of a command on screen is made visible — a newline ends its row with `⏎`, a tab
 * is `\t`, a run of four or more spaces is `␠×N`, trailing spaces are `␠`, control characters
 * are control pictures (lib/term/sanitize.ts) and invisible or reordering characters (bidi
 * overrides, zero-width and non-breaking spaces) are `<U+XXXX>` — and the rows are wrapped to
 * the prompt's width, so the prompt can count exactly how many screen rows the command takes.
 */
import { graphemes } from "../term/graphemes.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";
import { displayWidth } from "../term/width.ts";

/**
 * Format characters (bidi controls, zero-width joiners, BOM), spaces other than ` `, characters
 * drawn blank though they are letters or symbols (Hangul fillers, the empty Braille pattern),
 * and marks that change nothing visible but make two texts differ (the combining grapheme
 * joiner, variation selectors).
 */
const INVISIBLE =
  /[\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u115f\u1160\u3164\uffa0\u2800\u034f\ufe00-\ufe0f\u{e0100}-\u{e01ef}\u180b-\u180d\u180f]/gu;

function codePoint(ch: string): string {
  return `<U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}>`;
}

/** The command's lines with everything invisible made visible; one entry per line. */
export function visibleLines(command: string): string[] {
  const lines = command.split("\n");
  return lines.map((line, i) => {
    let text = line.replaceAll("\t", "\\t")
      .replace(/ {4,}/g, (run) => `␠×${run.length}`)
      .replace(/ +$/, (run) => "␠".repeat(run.length));
    text = sanitizeForTerminal(text.replace(INVISIBLE, codePoint));
    return i < lines.length - 1 ? `${text}⏎` : text;
  });
}

/** `text` cut into rows of at most `width` cells (a wide character is never split). */
export function wrapRow(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = "";
  let used = 0;
  for (const segment of graphemes(text)) {
    const w = displayWidth(segment);
    if (used + w > width && row !== "") {
      rows.push(row);
      row = "";
      used = 0;
    }
    row += segment;
    used += w;
  }
  rows.push(row);
  return rows;
}

let last: { command: string; width: number; rows: string[] } | undefined;

/**
 * The command's screen rows at `width` columns. The prompt redraws on every key, and a model may
 * send a huge command, so the last result is kept.
 */
export function commandRows(command: string, width: number): string[] {
  if (last?.command !== command || last.width !== width) {
    last = {
      command,
      width,
      rows: visibleLines(command).flatMap((line) => wrapRow(line, Math.max(1, width))),
    };
  }
  return last.rows;
}
