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
 *
 * tablewriter's own search tries every break after every word, which takes time quadratic in
 * the number of words: a server's 100,000-character name with spaces held `list` for seconds.
 * This finds the same breaks in O(n log n) (see `BreakFrontier`). Its rules, kept exactly:
 * - a line may be longer than the limit, at a cost of `TOO_LONG_PENALTY` on top of its square;
 * - the last line costs nothing, but only when the rest fits; otherwise it is a line like any;
 * - among breaks of equal cost the earliest wins.
 * Where tablewriter never returns (its costs reach 2^31-1, or the last word is wider than the
 * limit), this still does: costs are not capped, and the last word always ends a line.
 */
export function wrapWords(words: string[], limit: number, space = 1): string[][] {
  const n = words.length;
  // ends[k]: the width of words[0..k-1], with a space after each; a line of words i..j-1
  // is then ends[j] - ends[i] - space wide, and fits when ends[j] - ends[i] <= room.
  const ends = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) ends[k + 1] = ends[k] + displayWidth(words[k]) + space;
  const room = limit + space;
  const cost = new Float64Array(n);
  const breakAt = new Int32Array(n);
  /** The cost from word i on, when its line ends before word j. */
  const costVia = (i: number, j: number) => {
    const left = room - (ends[j] - ends[i]);
    return left * left + (left < 0 ? TOO_LONG_PENALTY : 0) + cost[j];
  };
  const fits = (i: number, j: number) => ends[j] - ends[i] <= room;
  const fitting = new BreakFrontier(costVia, fits);
  const tooLong = new BreakFrontier(costVia, () => true);
  // The furthest break after which the current line still fits.
  let reach = n;
  for (let i = n - 1; i >= 0; i--) {
    if (i + 1 < n) fitting.add(i + 1, i);
    // Breaks that the line from word i overruns join the too-long candidates, nearest last.
    while (reach > i && !fits(i, reach)) {
      if (reach < n) tooLong.add(reach, i);
      reach--;
    }
    if (i === n - 1 || fits(i, n)) {
      cost[i] = 0;
      breakAt[i] = n;
      continue;
    }
    const a = fitting.best(i);
    const b = tooLong.best(i);
    // A fitting break is always the earlier one, so it wins a tie.
    const j = b < 0 || (a >= 0 && costVia(i, a) <= costVia(i, b)) ? a : b;
    cost[i] = costVia(i, j);
    breakAt[i] = j;
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = breakAt[i]) lines.push(words.slice(i, breakAt[i]));
  return lines;
}

/**
 * Candidate breaks for the line starting at word i, as i runs down from the last word, and the
 * best of them for each i: the classic deque method for least-weight line breaking.
 *
 * A candidate j scores `costVia(i, j)`. Take two, a < b: the line to b is longer by a fixed
 * Δ, so its leftover is a's minus Δ, and a's squared leftover minus b's is Δ·(2·left − Δ),
 * which falls as i decreases and both lines lengthen. So once a is at least as good as b it
 * stays so, and each candidate is the best over one run of i, the runs in the order the
 * candidates were added: a deque, each entry holding the largest i from which it beats the
 * entry before it, found by binary search. A candidate that is not `usable` (its line no longer
 * fits) counts as beaten by every nearer one, which keeps that order.
 *
 * Two frontiers are kept, one for lines that fit and one for lines that are too long: the
 * penalty between the two kinds would break the order above if they were compared in one.
 * Costs are exact while they stay below 2^53, which takes text far wider than a server sends.
 */
class BreakFrontier {
  readonly #score: (i: number, j: number) => number;
  readonly #usable: (i: number, j: number) => boolean;
  readonly #candidates: number[] = [];
  /** For each entry, the largest i from which it beats the entry before it. */
  readonly #from: number[] = [];
  #head = 0;

  constructor(
    score: (i: number, j: number) => number,
    usable: (i: number, j: number) => boolean,
  ) {
    this.#score = score;
    this.#usable = usable;
  }

  /** a (added later, so nearer) is at least as good as b for the line from word i. */
  #beats(a: number, b: number, i: number): boolean {
    return !this.#usable(i, b) || this.#score(i, a) <= this.#score(i, b);
  }

  /** The largest i in [0, last] at which a beats b, or -1. */
  #takeover(a: number, b: number, last: number): number {
    if (!this.#beats(a, b, 0)) return -1;
    let low = 0; // a beats b here
    let high = last + 1; // and not from here on (or past the range)
    while (high - low > 1) {
      const mid = (low + high) >>> 1;
      if (this.#beats(a, b, mid)) low = mid;
      else high = mid;
    }
    return low;
  }

  /** Adds candidate j, nearer than any before; no line asked about later starts after `last`. */
  add(j: number, last: number): void {
    const candidates = this.#candidates;
    let from = last;
    while (candidates.length > this.#head) {
      const top = candidates.length - 1;
      const at = this.#takeover(j, candidates[top], last);
      if (at < 0) return; // never better than the newest entry: never the best
      // The newest entry is never the best if j beats it wherever it would have been.
      if (at >= Math.min(this.#from[top], last)) {
        candidates.pop();
        this.#from.pop();
        continue;
      }
      from = at;
      break;
    }
    candidates.push(j);
    this.#from.push(candidates.length - 1 === this.#head ? Infinity : from);
  }

  /** The best candidate for the line from word i (i never increases between calls), or -1. */
  best(i: number): number {
    const candidates = this.#candidates;
    while (candidates.length - this.#head > 1 && this.#from[this.#head + 1] >= i) this.#head++;
    if (candidates.length === this.#head) return -1;
    const j = candidates[this.#head];
    return this.#usable(i, j) ? j : -1;
  }
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
  // A loop, not Math.max(...): a cell of a few hundred thousand lines would overflow the stack.
  let width = 0;
  for (const line of raw) width = Math.max(width, displayWidth(line));
  width = Math.min(width, wrapWidth);
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
