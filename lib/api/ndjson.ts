/**
 * Splits a byte stream into text lines. Chunk boundaries may fall anywhere — inside a line or
 * inside a multi-byte UTF-8 character — and a line may be far longer than any chunk, so pieces of
 * an unfinished line are kept in a list and joined once, keeping the work linear in the input.
 */

/** Lines longer than this are refused rather than buffered without end (upstream allows 8 MB). */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export class LineTooLongError extends Error {
  constructor() {
    super(`the server sent a line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
  }
}

export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  maxLineLength = MAX_LINE_BYTES,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending: string[] = [];
  let pendingLength = 0;
  const finish = (tail: string): string => {
    const line = pending.length === 0 ? tail : pending.join("") + tail;
    pending = [];
    pendingLength = 0;
    return line.endsWith("\r") ? line.slice(0, -1) : line;
  };
  for await (const bytes of chunks) {
    const text = decoder.decode(bytes, { stream: true });
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline >= 0) {
      const line = finish(text.slice(start, newline));
      if (line !== "") yield line;
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    if (start < text.length) {
      pending.push(start === 0 ? text : text.slice(start));
      pendingLength += text.length - start;
      if (pendingLength > maxLineLength) throw new LineTooLongError();
    }
  }
  const last = finish(decoder.decode());
  if (last !== "") yield last;
}
