/**
 * The pull progress display (docs/commands.md, `dollama pull MODEL`), fed with the PullProgress
 * objects of `/api/pull`.
 *
 * On a terminal it is upstream's widget: one line per status (a spinner) and one bar per layer,
 * the whole block redrawn in place every 100 ms. Anywhere else it writes plain lines and never an
 * escape byte (docs/terminal.md, Clean pipes):
 *
 *     pulling manifest
 *     pulling 6a0746a1ec1a: 4.7 GB
 *     pulling 4fa551d4f938: 12 KB
 *     verifying sha256 digest
 *     writing manifest
 *     success
 *
 * A status line is written when the status changes; a layer line when the layer completes, or —
 * because the last update of a layer need not say `completed == total` — when the server moves on
 * to something else, which it only does once the layer is safely downloaded. A layer still
 * unfinished when the display stops (an error, Ctrl+C) is written as `pulling <id>: <cur>/<total>`.
 */
import type { Output } from "../io.ts";
import type { PullProgress } from "../api/types.ts";
import { formatFixed, humanBytes } from "../format/human.ts";
import { formatGoDuration } from "../format/duration.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";
import { displayWidth } from "../term/width.ts";
import { cutToWidth } from "./cut_to_width.ts";
import { type IntervalTimer, realTimer, spinnerText } from "./spinner.ts";
import {
  COLUMN_1,
  CURSOR_UP,
  ERASE_LINE_END,
  HIDE_CURSOR,
  SHOW_CURSOR,
  SYNC_END,
  SYNC_START,
} from "../term/ansi.ts";

/** Used when the width of stderr is unknown, as upstream does. */
export const DEFAULT_WIDTH = 80;

/** `%3.0f%%` as Go prints it (exact halves go to the even digit: 12.5 → ` 12%`). */
export function percentText(percent: number): string {
  return `${formatFixed(percent, 0).padStart(3)}%`;
}

/**
 * Time left as the bar shows it: `99h+` from 100 hours, `<h>h<m>m` from one hour, otherwise Go's
 * duration string of whole seconds (`59s`, `1m0s`, `0s`).
 */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.trunc(seconds));
  if (s >= 100 * 3600) return "99h+";
  if (s >= 3600) return `${Math.trunc(s / 3600)}h${Math.trunc(s / 60) % 60}m`;
  return formatGoDuration(s * 1e9);
}

/** `sha256:6a0746a1ec1a…` → `pulling 6a0746a1ec1a:`; a digest without the prefix is kept whole. */
export function layerLabel(digest: string): string {
  const isDigest = digest.startsWith("sha256:");
  let name = (isDigest ? digest.slice("sha256:".length) : digest).trim();
  if (isDigest) name = name.slice(0, 12);
  return `pulling ${name}:`;
}

function repeat(s: string, n: number): string {
  return n > 0 ? s.repeat(n) : "";
}

const pad6 = (s: string) => s.padStart(6);

/**
 * One bar line, exactly as upstream draws it for a terminal `width` cells wide:
 * `<label> NNN% ▕███   ▏ <suffix>`. While running the suffix is `cur/total` (each right-aligned
 * in 6), then, when `rate` (bytes/s) is positive, the rate and the time left; once
 * `completed >= total` it is the total alone. The suffix always takes 31 columns, so bars of one
 * display line up.
 */
export function barLine(
  label: string,
  completed: number,
  total: number,
  width: number,
  rate = 0,
): string {
  const current = Math.min(completed, total);
  const done = current >= total;
  const percent = total > 0 ? (current / total) * 100 : 0;
  const prefix = `${label === "" ? "" : `${label.trim()} `}${percentText(percent)}`;

  let suffix = done
    ? pad6(humanBytes(total)) + repeat(" ", 7)
    : `${pad6(humanBytes(current))}/${pad6(humanBytes(total))}`;
  if (!done && rate > 0) {
    suffix += `  ${pad6(humanBytes(Math.trunc(rate)))}/s`;
    suffix += `  ${pad6(formatEta((total - current) / rate))}`;
  } else {
    suffix += repeat(" ", 10 + 8);
  }

  // Two boundary characters and a space on each side of the bar. The label is server text, so
  // it is measured in cells: a wide character takes two.
  const room = width - displayWidth(prefix) - suffix.length - 5;
  const filled = Math.trunc((room * percent) / 100);
  return `${prefix} ▕${repeat("█", filled)}${repeat(" ", room - filled)}▏ ${suffix}`;
}

/** How many rate samples a bar keeps, and how far apart they must be (strictly more than). */
const MAX_SAMPLES = 10;
const SAMPLE_SPACING_MS = 1000;

/** A layer's bar with the samples its transfer rate is computed from. */
class LayerBar {
  readonly label: string;
  readonly total: number;
  readonly #initial: number;
  readonly #started: number;
  current: number;
  /** Set once the plain-mode line for this layer has been written. */
  reported = false;
  #samples: { at: number; value: number }[] = [];

  constructor(label: string, total: number, initial: number, now: number) {
    this.label = label;
    this.total = total;
    this.#initial = initial;
    this.current = initial;
    this.#started = now;
  }

  get done(): boolean {
    return this.current >= this.total;
  }

  set(value: number, now: number): void {
    this.current = Math.min(value, this.total);
    const last = this.#samples.at(-1);
    if (!last || now - last.at > SAMPLE_SPACING_MS) {
      this.#samples.push({ at: now, value: this.current });
      if (this.#samples.length > MAX_SAMPLES) this.#samples.shift();
    }
  }

  /**
   * Bytes per second over the kept samples, with the elapsed time rounded to whole seconds as
   * upstream does (so the first second shows no rate rather than a wild one).
   */
  rate(): number {
    const samples = this.#samples;
    if (samples.length === 0) return 0;
    const first = samples[0];
    const last = samples[samples.length - 1];
    const [fromValue, fromAt] = samples.length === 1
      ? [this.#initial, this.#started]
      : [first.value, first.at];
    const seconds = Math.round((last.at - fromAt) / 1000);
    return seconds === 0 ? 0 : (last.value - fromValue) / seconds;
  }

  /**
   * The bar for a terminal `width` cells wide. A label too long for it (a digest without its
   * `sha256:` prefix is shown whole) is cut, with `…`, so that the numbers stay in view.
   */
  text(width: number): string {
    const rate = this.done ? 0 : this.rate();
    const line = barLine(this.label, this.current, this.total, width, rate);
    const over = displayWidth(line) - lineRoom(width);
    if (over <= 0) return line;
    const label = cutToWidth(this.label, displayWidth(this.label) - over - 1) + "…";
    return barLine(label, this.current, this.total, width, rate);
  }

  /** The plain-mode line: the size when finished, how far it got when not. */
  plain(assumeDone: boolean): string {
    if (this.done || assumeDone) return `${this.label} ${humanBytes(this.total)}`;
    return `${this.label} ${humanBytes(this.current)}/${humanBytes(this.total)}`;
  }
}

class StatusSpinner {
  stopped = false;
  tick = 0;
  readonly #trimmed: string;
  constructor(readonly message: string) {
    this.#trimmed = message.trim();
  }
  /**
   * The line, at most `cells` wide: a message too long is cut, and a running spinner's frame
   * stays in view after it.
   */
  text(cells: number): string {
    // A stopped spinner keeps its message and one trailing space, as upstream.
    if (this.stopped) return this.message === "" ? "" : cutToWidth(`${this.#trimmed} `, cells);
    // The frame and a space on each side of it: three cells.
    return spinnerText(cutToWidth(this.#trimmed, cells - 3), this.tick);
  }
}

type Line = StatusSpinner | LayerBar;

export interface PullDisplayOptions {
  /** Where the display goes: stderr. Its `isTerminal` picks the widget or plain lines. */
  output: Output;
  /** Milliseconds clock for transfer rates; `Date.now` unless a test injects one. */
  now?: () => number;
  timer?: IntervalTimer;
  /** Redraw interval on a terminal; 100 ms as upstream. */
  intervalMs?: number;
}

export class PullProgressDisplay {
  #output: Output;
  #now: () => number;
  #timer: IntervalTimer;
  #intervalMs: number;
  #lines: Line[] = [];
  #bars = new Map<string, LayerBar>();
  #spinner: StatusSpinner | undefined;
  #status: string | undefined;
  /** Lines drawn by the last terminal frame, to know how far to move the cursor back up. */
  #drawn = 0;
  #timerId: unknown;
  #stopped = false;
  #writes: Promise<void> = Promise.resolve();

  constructor(opts: PullDisplayOptions) {
    this.#output = opts.output;
    this.#now = opts.now ?? Date.now;
    this.#timer = opts.timer ?? realTimer;
    this.#intervalMs = opts.intervalMs ?? 100;
  }

  get isTerminal(): boolean {
    return this.#output.isTerminal;
  }

  /** Takes one progress object from the stream (docs/commands.md, `dollama pull MODEL`). */
  update(progress: PullProgress): void {
    if (this.#stopped) return;
    if (progress.digest) {
      const completed = progress.completed ?? 0;
      // The first update of a layer announces it before the download starts; a bar at 0 % for
      // every layer up front would suggest they all download at once.
      if (completed === 0) return;
      this.#stopSpinner();
      let bar = this.#bars.get(progress.digest);
      if (!bar) {
        this.#reportUnfinished(true);
        bar = new LayerBar(
          clean(layerLabel(progress.digest)),
          progress.total ?? 0,
          completed,
          this.#now(),
        );
        this.#bars.set(progress.digest, bar);
        this.#add(bar);
      }
      bar.set(completed, this.#now());
      if (!this.isTerminal && bar.done && !bar.reported) this.#reportBar(bar, false);
    } else if (progress.status !== this.#status) {
      this.#stopSpinner();
      this.#status = progress.status;
      const message = clean(progress.status ?? "");
      this.#spinner = new StatusSpinner(message);
      this.#add(this.#spinner);
      if (!this.isTerminal) {
        this.#reportUnfinished(true);
        if (message !== "") this.#write(`${message}\n`);
      }
    }
  }

  /**
   * Ends the display, leaving its lines on screen: on a terminal one last frame and a newline;
   * in plain mode the line of a layer cut short. Idempotent; resolves when all is written.
   */
  async stop(): Promise<void> {
    if (!this.#stopped) {
      this.#stopped = true;
      if (this.#timerId !== undefined) this.#timer.clearInterval(this.#timerId);
      this.#stopSpinner();
      if (this.isTerminal) {
        // Nothing was ever shown (the request failed at once): leave no empty line behind.
        if (this.#lines.length > 0) this.#write(this.#frame() + "\n");
      } else {
        this.#reportUnfinished(false);
      }
    }
    await this.#writes;
  }

  /** Resolves once everything written so far has reached the output. */
  flushed(): Promise<void> {
    return this.#writes;
  }

  /** Draws a frame now; called by the timer, public so tests need no clock. */
  tick(): void {
    if (this.#stopped || !this.isTerminal) return;
    this.#write(this.#frame());
    for (const line of this.#lines) if (line instanceof StatusSpinner && !line.stopped) line.tick++;
  }

  #add(line: Line): void {
    this.#lines.push(line);
    if (this.isTerminal && this.#timerId === undefined) {
      this.#timerId = this.#timer.setInterval(() => this.tick(), this.#intervalMs);
    }
  }

  #stopSpinner(): void {
    if (this.#spinner) this.#spinner.stopped = true;
  }

  /**
   * The whole block redrawn over the previous one: back up to its first line, rewrite every line
   * and erase what a longer old line left. Synchronized output stops terminals that support it
   * from showing a half-drawn frame; the cursor is hidden only while drawing, so a process killed
   * between frames never leaves it hidden.
   *
   * Moving back up counts lines, so each must take exactly one row: every line is cut to the
   * terminal's width first. A line that wrapped would take more rows than the cursor goes back
   * over, and every frame would then be drawn below the last one instead of over it.
   */
  #frame(): string {
    const width = this.#output.columns() ?? DEFAULT_WIDTH;
    const room = lineRoom(width);
    const texts = this.#lines.map((line) =>
      cutToWidth(line instanceof LayerBar ? line.text(width) : line.text(room), room)
    );
    const up = repeat(CURSOR_UP, this.#drawn - 1);
    this.#drawn = texts.length;
    const body = texts.map((t) => t + ERASE_LINE_END).join("\n");
    return `${SYNC_START}${HIDE_CURSOR}${up}${COLUMN_1}${body}${SHOW_CURSOR}${SYNC_END}`;
  }

  #reportBar(bar: LayerBar, assumeDone: boolean): void {
    bar.reported = true;
    this.#write(`${bar.plain(assumeDone)}\n`);
  }

  /** Plain mode: writes the line of every started layer not written yet. */
  #reportUnfinished(assumeDone: boolean): void {
    if (this.isTerminal) return;
    for (const bar of this.#bars.values()) if (!bar.reported) this.#reportBar(bar, assumeDone);
  }

  #write(text: string): void {
    // Writes are chained to keep frames in order; a broken stderr has nowhere to be reported, and
    // must not become an unhandled rejection inside a timer callback.
    this.#writes = this.#writes.then(() => this.#output.write(text)).catch(() => {});
  }
}

/**
 * The cells a line of the display may take on a terminal `width` cells wide: all but the last
 * column, as upstream's bars do. A character in the last column leaves the terminal in its
 * "pending wrap" state, where erasing the line and moving the cursor differ between terminals.
 */
function lineRoom(width: number): number {
  return Math.max(1, width - 1);
}

/**
 * Server text made safe for any stream, and kept on one line so the redraw arithmetic holds; a
 * tab becomes a space too, as it would jump to a tab stop the width count knows nothing of.
 */
function clean(text: string): string {
  return sanitizeForTerminal(text.replace(/\r?\n|\t/g, " "));
}
