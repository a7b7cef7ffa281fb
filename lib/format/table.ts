/**
 * The tables of `list`, `ps` and `show`, laid out byte for byte as the official client's
 * tablewriter (v0.0.5) draws them with its settings there: no borders, no header line,
 * left-aligned, no cell whitespace, and a column separator of four spaces.
 *
 * The layout has quirks users' scripts may depend on, so they are kept on purpose:
 * - the last header cell is followed by one space, while every data cell, the last included,
 *   is followed by the full separator (data lines end in four spaces);
 * - a cell wider than the wrap limit (30, or 100 for show's System and License) that has spaces
 *   is word-wrapped with minimum raggedness, and its column is then at least as wide as the limit;
 * - in a row that wraps, the cells with fewer lines are continued with two spaces, which
 *   makes an otherwise empty column two cells wide on those lines.
 */
import { displayWidth } from "../term/width.ts";

export interface TableOptions {
  /** Header cells, printed as given (the official headers are already upper-case). */
  header?: string[];
  /** Cells wider than this that contain spaces are word-wrapped. Default 30. */
  wrapWidth?: number;
  /** Between columns and after every data cell. Default four spaces. */
  separator?: string;
}

export const DEFAULT_WRAP_WIDTH = 30;
const SEPARATOR = "    ";
/** tablewriter's penalty for a line that is longer than the limit (a single long word). */
const TOO_LONG_PENALTY = 100000;

function padRight(s: string, width: number): string {
  const gap = width - displayWidth(s);
  return gap > 0 ? s + " ".repeat(gap) : s;
}

/**
 * Splits words into lines of at most `limit` cells, minimising the sum of squared leftover
 * space over all lines but the last (Knuth-style minimum raggedness, as tablewriter does).
 */
export function wrapWords(words: string[], limit: number, space = 1): string[][] {
  const n = words.length;
  const prefix = [0];
  for (const w of words) prefix.push(prefix[prefix.length - 1] + displayWidth(w));
  const length = (i: number, j: number) => prefix[j + 1] - prefix[i] + (j - i) * space;
  const breakAt = new Array<number>(n).fill(0);
  const cost = new Array<number>(n).fill(2 ** 31 - 1);
  for (let i = n - 1; i >= 0; i--) {
    if (length(i, n - 1) <= limit) {
      cost[i] = 0;
      breakAt[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const d = limit - length(i, j - 1);
      let c = d * d + cost[j];
      if (length(i, j - 1) > limit) c += TOO_LONG_PENALTY;
      if (c < cost[i]) {
        cost[i] = c;
        breakAt[i] = j;
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = breakAt[i]) lines.push(words.slice(i, breakAt[i]));
  return lines;
}

/** One paragraph wrapped to `limit`, which grows to fit the longest word. */
export function wrapString(text: string, limit: number): string[] {
  const words = text.replaceAll("\n", " ").split(" ");
  for (const w of words) limit = Math.max(limit, displayWidth(w));
  return wrapWords(words, limit).map((line) => line.join(" "));
}

/** A cell as lines, and the width its column needs for it. */
export function layoutCell(text: string, wrapWidth: number): { lines: string[]; width: number } {
  const raw = text.split("\n");
  let width = Math.min(Math.max(0, ...raw.map(displayWidth)), wrapWidth);
  // A multi-line cell is reflowed into one paragraph before wrapping.
  const lines = wrapString(raw.join(" "), width);
  for (const line of lines) width = Math.max(width, displayWidth(line));
  return { lines, width };
}

/** Renders a table; rows may have different numbers of cells. Returns "" with nothing to draw. */
export function renderTable(rows: string[][], options: TableOptions = {}): string {
  const wrapWidth = options.wrapWidth ?? DEFAULT_WRAP_WIDTH;
  const separator = options.separator ?? SEPARATOR;
  const widths: number[] = [];
  const layout = (cells: string[]) =>
    cells.map((cell, col) => {
      const { lines, width } = layoutCell(cell, wrapWidth);
      widths[col] = Math.max(widths[col] ?? 0, width);
      return lines;
    });
  const header = options.header ? layout(options.header) : [];
  const body = rows.map(layout);

  let out = "";
  if (header.length > 0) {
    const height = Math.max(...header.map((c) => c.length));
    const last = widths.length - 1;
    for (let x = 0; x < height; x++) {
      for (let col = 0; col <= last; col++) {
        const text = header[col]?.[x] ?? "";
        out += padRight(text, widths[col]) + (col === last ? " " : separator);
      }
      out += "\n";
    }
  }
  for (const cells of body) {
    const height = Math.max(0, ...cells.map((c) => c.length));
    for (let x = 0; x < height; x++) {
      for (let col = 0; col < cells.length; col++) {
        out += padRight(cells[col][x] ?? "  ", widths[col]) + separator;
      }
      out += "\n";
    }
  }
  return out;
}

/**
 * One section of `show`: `  Title`, the table (whose first column is always empty, so rows
 * start with four spaces), and a blank line.
 */
export function renderSection(title: string, rows: string[][], wrapWidth?: number): string {
  return `  ${title}\n${renderTable(rows.map((r) => ["", ...r]), { wrapWidth })}\n`;
}
