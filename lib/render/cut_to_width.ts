/**
 * Text cut to a number of terminal cells, for lines that are redrawn in place: a line wider than
 * the terminal wraps onto more rows than the redraw moves back over (lib/render/progress.ts).
 */
import { displayWidth } from "../term/width.ts";
import { graphemes } from "../term/graphemes.ts";

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** `text` cut to at most `cells` cells, by display width and never through a grapheme. */
export function cutToWidth(text: string, cells: number): string {
  if (cells < 0) return "";
  // Printable ASCII is one cell a character: no need to measure. Only the head that could be
  // kept is looked at, as the loop below does, so a long text costs no more than a short one.
  const head = text.slice(0, cells + 1);
  if (PRINTABLE_ASCII.test(head)) return head.length <= cells ? text : text.slice(0, cells);
  let out = "";
  let width = 0;
  for (const g of graphemes(text)) {
    width += displayWidth(g);
    if (width > cells) return out;
    out += g;
  }
  return text;
}
