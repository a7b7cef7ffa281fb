/**
 * A one-shot answer's record, written to its new file while the answer streams: the record's
 * head, then the answer's text JSON-escaped as each piece arrives, then the tail once the
 * answer is complete. Nothing of the answer is held, so saving costs the same memory for a
 * word and for a book (docs/performance.md). The line is whole only when `finish` has written
 * its tail: a run that is killed first leaves a line cut short, which reading skips, as it
 * skips a record cut short by a kill while it was appended.
 */
import { encodeInto } from "../bytes.ts";

/** The file calls a streamed record needs; synchronous, as writes into the page cache are fast. */
export interface RecordFile {
  writeSync(bytes: Uint8Array): number;
  syncDataSync(): void;
  close(): void;
}

/** How much escaped text is gathered before a write: a few writes a megabyte. */
const BUFFER_BYTES = 64 * 1024;

export class StreamedRecord {
  readonly #file: RecordFile;
  readonly #buffer = new Uint8Array(BUFFER_BYTES);
  #used = 0;

  /** `head`: the record's JSON up to the opening quote of the answer's text. */
  constructor(file: RecordFile, head: string) {
    this.#file = file;
    this.#put(head);
  }

  /**
   * Adds a piece of the answer. Short printable ASCII is copied as it is; anything else is
   * escaped by `JSON.stringify`, which writes a lone surrogate as `\uXXXX`: the two halves of a
   * pair split across pieces then read back as the pair.
   */
  add(piece: string): void {
    if (piece.length <= 64 && this.#buffer.length - this.#used >= piece.length) {
      const buffer = this.#buffer;
      const at = this.#used;
      let i = 0;
      for (; i < piece.length; i++) {
        const unit = piece.charCodeAt(i);
        if (unit < 0x20 || unit > 0x7e || unit === 0x22 || unit === 0x5c) break;
        buffer[at + i] = unit;
      }
      if (i === piece.length) {
        this.#used += i;
        return;
      }
    }
    this.#put(JSON.stringify(piece).slice(1, -1));
  }

  /** Writes `tail`, the rest of the record from the answer's closing quote, and ends the line. */
  finish(tail: string): void {
    this.#put(tail + "\n");
    this.#flush();
    this.#file.syncDataSync();
    this.#file.close();
  }

  /** Text already escaped, as UTF-8 (3 bytes at most per UTF-16 unit). */
  #put(text: string): void {
    const wanted = text.length * 3;
    if (this.#buffer.length - this.#used < wanted) this.#flush();
    if (wanted > this.#buffer.length) this.#writeAll(new TextEncoder().encode(text));
    else this.#used = encodeInto(text, this.#buffer, this.#used);
  }

  #flush(): void {
    this.#writeAll(this.#buffer.subarray(0, this.#used));
    this.#used = 0;
  }

  #writeAll(bytes: Uint8Array): void {
    while (bytes.length > 0) bytes = bytes.subarray(this.#file.writeSync(bytes));
  }
}
