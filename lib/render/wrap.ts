/**
 * Word wrap for streamed text on a terminal, by display width (docs/terminal.md).
 *
 * Text arrives in arbitrary chunks, so the wrapper holds back the word being typed (and the
 * spaces before it) until it knows whether the word fits on the current line. That way it never
 * has to move the cursor back over printed text, and a word too long for any line is broken at
 * the margin instead of being printed twice (upstream's quirk). East-Asian wide characters count
 * two cells and may break anywhere; grapheme clusters are never split.
 *
 * Pure: `push()` and `flush()` return the bytes to write; the caller owns the output stream.
 */
import { graphemes } from "../term/graphemes.ts";
import { displayWidth } from "../term/width.ts";

/**
 * Text that needs no grapheme segmenter: printable ASCII, newlines and tabs, each character a
 * cluster of its own (a carriage return is not: "\r\n" is one cluster). Answers are mostly this,
 * and making the segmenter takes 13-14 ms, more than a short answer's whole wrapping.
 */
const PLAIN_TEXT = /^[\x20-\x7e\n\t]*$/;

export class WrapWriter {
  /**
   * The cells a line may hold. Set it when the terminal is resized: what is written stays as it
   * is, and every break from then on is made at the new width.
   */
  width: number;
  /** Cells already written on the current line. */
  #col = 0;
  /** Whitespace seen after the last word, not yet written. */
  #spaces = "";
  #spacesWidth = 0;
  /** The word being typed, not yet written. */
  #word = "";
  #wordWidth = 0;

  /** `width` is the number of cells a line may hold; below 10 nothing is wrapped. */
  constructor(width: number) {
    this.width = width;
  }

  push(text: string): string {
    if (this.width < 10) {
      const newline = text.lastIndexOf("\n");
      this.#col = newline < 0 ? this.#col + text.length : text.length - newline - 1;
      return text;
    }
    let out = "";
    if (PLAIN_TEXT.test(text)) {
      for (let i = 0; i < text.length; i++) out += this.#add(text[i], 1);
    } else {
      for (const segment of graphemes(text)) {
        out += this.#add(segment, displayWidth(segment));
      }
    }
    return out;
  }

  /** Writes out what is held back, e.g. at the end of a response. */
  flush(): string {
    const out = this.#spaces + this.#word;
    this.#col += this.#spacesWidth + this.#wordWidth;
    this.#clearWord();
    this.#spaces = "";
    this.#spacesWidth = 0;
    return out;
  }

  /** Forgets the line state, after something else has written a newline. */
  reset(): void {
    this.#col = 0;
    this.#clearWord();
    this.#spaces = "";
    this.#spacesWidth = 0;
  }

  #clearWord(): void {
    this.#word = "";
    this.#wordWidth = 0;
  }

  /** The held-back spaces and word, now known to fit on this line. */
  #emitWord(): string {
    if (this.#word === "") return "";
    return this.flush();
  }

  #add(g: string, w: number): string {
    if (g === "\n" || g === "\r\n") {
      const out = this.flush() + g;
      this.#col = 0;
      return out;
    }
    if (g === " " || g === "\t") {
      let out = this.#emitWord();
      const advance = g === " " ? 1 : 8 - ((this.#col + this.#spacesWidth) % 8);
      if (this.#col + this.#spacesWidth + advance > this.width) {
        // Whitespace at a line break is consumed by the break.
        out += "\n";
        this.reset();
        return out;
      }
      this.#spaces += g;
      this.#spacesWidth += advance;
      return out;
    }
    // A wide character is a word of its own: CJK text has no spaces to break at.
    let out = w >= 2 ? this.#emitWord() : "";
    if (this.#col + this.#spacesWidth + this.#wordWidth + w > this.width) {
      if (this.#col + this.#spacesWidth > 0 && this.#wordWidth + w <= this.width) {
        // The word moves to the next line whole; the spaces before it are dropped.
        out += "\n";
        this.#col = 0;
        this.#spaces = "";
        this.#spacesWidth = 0;
      } else {
        // Longer than a line: fill this one and carry on below.
        out += this.flush() + "\n";
        this.#col = 0;
      }
    }
    this.#word += g;
    this.#wordWidth += w;
    if (w >= 2) out += this.#emitWord();
    return out;
  }
}
