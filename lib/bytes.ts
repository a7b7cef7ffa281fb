/** Byte arrays: what the streams, the key decoder and the downloads all need once. */

/** `parts` end to end in one new array (a copy even when there is only one part). */
export function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

const encoder = new TextEncoder();

/**
 * A UTF-16 unit that opens a surrogate pair. Text cut after one has split a character: whoever
 * encodes text piece by piece keeps it back until the other half comes.
 */
export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * Writes `text` as UTF-8 into `buffer` from `at` on and returns where it ended; the caller makes
 * room for 3 bytes per UTF-16 unit. Short ASCII text, which most tokens are, is copied here:
 * a call into the runtime's encoder per token cost a twentieth of a 100k-token run's time.
 * A lone surrogate becomes U+FFFD, as with TextEncoder.
 */
export function encodeInto(text: string, buffer: Uint8Array, at: number): number {
  if (text.length <= 64) {
    let i = 0;
    for (; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit > 0x7f) break;
      buffer[at + i] = unit;
    }
    if (i === text.length) return at + i;
  }
  return at + encoder.encodeInto(text, buffer.subarray(at)).written;
}

/**
 * Bytes appended into one resizable buffer that grows in place by doubling: what is read or
 * encoded goes straight into it, so the data is held once — never as a list of pieces plus
 * their concatenation, nor as many small objects the garbage collector must carry.
 */
export class GrowingBytes {
  readonly #buffer: ArrayBuffer;
  readonly #first: number;
  #length = 0;

  /** `limit`: the most it may hold; `first`: the size of its first growth. */
  constructor(limit: number, first = 4096) {
    this.#buffer = new ArrayBuffer(0, { maxByteLength: limit });
    this.#first = first;
  }

  get length(): number {
    return this.#length;
  }

  /**
   * The free space to write into, grown first to hold at least `wanted` more bytes (less once
   * the limit is reached; empty when it is full). Say how much was written with `commit`.
   */
  room(wanted: number): Uint8Array {
    const buffer = this.#buffer;
    const needed = this.#length + wanted;
    if (needed > buffer.byteLength && buffer.byteLength < buffer.maxByteLength) {
      buffer.resize(
        Math.min(buffer.maxByteLength, Math.max(needed, 2 * buffer.byteLength, this.#first)),
      );
    }
    return new Uint8Array(buffer, this.#length);
  }

  commit(written: number): void {
    this.#length += written;
  }

  /** What was written, as a view of the buffer (no copy). */
  bytes(): Uint8Array {
    return new Uint8Array(this.#buffer, 0, this.#length);
  }

  /** Empties the buffer and gives its memory back at once, rather than at a later collection. */
  release(): void {
    this.#buffer.resize(0);
    this.#length = 0;
  }

  /** What was written, the buffer shrunk to fit it: the spare room goes back at once. */
  trimmed(): Uint8Array {
    this.#buffer.resize(this.#length);
    return new Uint8Array(this.#buffer);
  }
}
