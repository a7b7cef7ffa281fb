/**
 * Splits a byte stream into text lines. Chunk boundaries may fall anywhere — inside a line or
 * inside a multi-byte UTF-8 character — and a line may be far longer than any chunk.
 *
 * The work is done on bytes: a newline byte (0x0A) never occurs inside a multi-byte UTF-8
 * character, so each complete line is decoded once, straight from the bytes it arrived in, and no
 * streaming decoder is needed. Only the unfinished tail of a read is copied, into one carry buffer
 * that grows by doubling, which keeps the work linear however long a line is.
 *
 * A streamed answer arrives one small chunk per token, so the per-chunk cost matters:
 * `BodyLines` reads a response body through a BYOB reader into one reused buffer instead of
 * letting the stream allocate a fresh array per network read, and hands over each read's lines
 * at once.
 */

/** Lines longer than this are refused rather than buffered without end (upstream allows 8 MB). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** The size of the one buffer a response body is read into. */
export const READ_BUFFER_BYTES = 64 * 1024;

/** A carry buffer grown past this by one long line is dropped afterwards, so memory stays flat. */
const KEEP_CARRY_BYTES = 1024 * 1024;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export class LineTooLongError extends Error {
  constructor() {
    super(`the server sent a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
  }
}

/**
 * The line splitter without any I/O: feed it bytes with `push`, then call `end`. Complete lines
 * are appended to the caller's array, without their `\n` or `\r\n`; blank lines are skipped. The
 * bytes passed to `push` are not kept, so the caller may reuse their buffer for the next read.
 */
export class LineSplitter {
  readonly #decoder = new TextDecoder();
  readonly #maxLineLength: number;
  #carry = new Uint8Array(0);
  #carryLength = 0;

  constructor(maxLineLength = MAX_LINE_BYTES) {
    this.#maxLineLength = maxLineLength;
  }

  push(bytes: Uint8Array, lines: string[]): void {
    let start = 0;
    let newline = bytes.indexOf(NEWLINE);
    if (this.#carryLength > 0) {
      if (newline < 0) return this.#keep(bytes);
      this.#keep(bytes.subarray(0, newline));
      this.#emit(this.#carry.subarray(0, this.#carryLength), lines);
      this.#carryLength = 0;
      if (this.#carry.length > KEEP_CARRY_BYTES) this.#carry = new Uint8Array(0);
      start = newline + 1;
      newline = bytes.indexOf(NEWLINE, start);
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (newline >= 0 && last - start <= this.#maxLineLength) {
      // No line here can be over the limit: every complete line is decoded in one call and
      // split as text, rather than decoded one by one.
      this.#emit(bytes.subarray(start, last), lines);
      start = last + 1;
      newline = -1;
    }
    while (newline >= 0) {
      if (newline - start > this.#maxLineLength) throw new LineTooLongError();
      this.#emit(bytes.subarray(start, newline), lines);
      start = newline + 1;
      newline = bytes.indexOf(NEWLINE, start);
    }
    if (start < bytes.length) this.#keep(bytes.subarray(start));
  }

  /**
   * Appends the lines of `block` — one line, or complete lines joined by newlines, the last
   * without its own — without their `\r`, skipping blank ones.
   */
  #emit(block: Uint8Array, lines: string[]): void {
    const text = this.#decoder.decode(block);
    let from = 0;
    while (true) {
      const to = text.indexOf("\n", from);
      let end = to < 0 ? text.length : to;
      if (end > from && text.charCodeAt(end - 1) === CARRIAGE_RETURN) end--;
      if (end > from) lines.push(text.slice(from, end));
      if (to < 0) return;
      from = to + 1;
    }
  }

  /** The input has ended: a last line without a newline is a line too. */
  end(lines: string[]): void {
    if (this.#carryLength > 0) this.#emit(this.#carry.subarray(0, this.#carryLength), lines);
    this.#carryLength = 0;
    this.#carry = new Uint8Array(0);
  }

  /** Appends to the unfinished line, growing the carry buffer by doubling. */
  #keep(bytes: Uint8Array): void {
    const needed = this.#carryLength + bytes.length;
    if (needed > this.#maxLineLength) throw new LineTooLongError();
    if (needed > this.#carry.length) {
      const grown = new Uint8Array(Math.max(needed, this.#carry.length * 2, 1024));
      grown.set(this.#carry.subarray(0, this.#carryLength));
      this.#carry = grown;
    }
    this.#carry.set(bytes, this.#carryLength);
    this.#carryLength = needed;
  }
}

/** The lines of a sequence of byte chunks (any chunking; the chunks are not kept). */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineLength = MAX_LINE_BYTES,
): AsyncGenerator<string> {
  const splitter = new LineSplitter(maxLineLength);
  const lines: string[] = [];
  for await (const bytes of chunks) {
    lines.length = 0;
    splitter.push(bytes, lines);
    yield* lines;
  }
  lines.length = 0;
  splitter.end(lines);
  yield* lines;
}

/**
 * A response body read as lines, without a generator of its own: the caller's loop awaits `read()`
 * (the reader's own promise, nothing wrapped around it) and hands the result to `take()`. A stream
 * sends one line per token, and every async generator between the network and the renderer costs
 * each of them a promise and a trip through the microtask queue; the client's stream has none
 * (docs/performance.md).
 *
 * The body is read through a BYOB reader into one reused buffer. A body that is not a byte stream
 * (a test's hand-made stream) is read chunk by chunk instead. An aborted fetch rejects the
 * pending read with the abort's error.
 */
export class BodyLines {
  readonly #splitter: LineSplitter;
  readonly #byob?: ReadableStreamBYOBReader;
  readonly #plain?: ReadableStreamDefaultReader<Uint8Array>;
  #buffer = new ArrayBuffer(READ_BUFFER_BYTES);

  constructor(body: ReadableStream<Uint8Array>, maxLineLength = MAX_LINE_BYTES) {
    this.#splitter = new LineSplitter(maxLineLength);
    try {
      this.#byob = body.getReader({ mode: "byob" });
    } catch {
      this.#plain = body.getReader();
    }
  }

  /** The next network read. Pass its result to `take` before reading again. */
  read(): Promise<ReadableStreamReadResult<Uint8Array>> {
    return this.#byob ? this.#byob.read(new Uint8Array(this.#buffer)) : this.#plain!.read();
  }

  /**
   * Appends the lines a read completed to `lines`; at the end of the body, the last line if it
   * has no newline. Throws LineTooLongError for a line over the limit.
   */
  take(result: ReadableStreamReadResult<Uint8Array>, lines: string[]): void {
    if (result.done) return this.#splitter.end(lines);
    this.#reclaim(result.value);
    this.#splitter.push(result.value, lines);
  }

  /** Reads once and drops what came, for a body nobody needs any more: true at its end. */
  async skip(): Promise<boolean> {
    const result = await this.read();
    if (!result.done) this.#reclaim(result.value);
    return result.done;
  }

  /** A BYOB read transferred the buffer into the bytes it gave: the next read fills it again. */
  #reclaim(bytes: Uint8Array): void {
    if (this.#byob) this.#buffer = bytes.buffer as ArrayBuffer;
  }

  /** Stops reading before the end, which closes the request. */
  async cancel(): Promise<void> {
    await (this.#byob ?? this.#plain)!.cancel().catch(() => {});
  }
}
