/**
 * The JSON body of a request. Almost every body is small and goes out as one string. A body
 * holding a very long string — a prompt or embedding input piped from a 100 MB file — would be
 * copied whole twice more on its way out (the JSON text, then its UTF-8 bytes), so such a body is
 * streamed instead: the rest of the JSON is built as usual around a marker, and the long strings
 * are escaped and encoded slice by slice as the socket takes them.
 */
import { isHighSurrogate } from "../bytes.ts";

/** Strings at least this long are streamed rather than copied into the JSON text. */
export const STREAMED_STRING_CHARS = 1024 * 1024;

/** Characters escaped and encoded per slice: small enough that each piece is cheap garbage. */
export const SLICE_CHARS = 64 * 1024;

export interface JsonBodyOptions {
  /** Strings this long or longer are streamed (tests make it small). */
  streamedChars?: number;
  sliceChars?: number;
}

const encoder = new TextEncoder();

/**
 * A string that arrives in pieces, such as stdin piped into an embedding request: its JSON goes
 * out piece by piece as the pieces come, so the whole is never held. A failure of `pieces` fails
 * the request.
 */
export class StreamedText {
  constructor(readonly pieces: AsyncIterable<string>) {}
}

/** A string in a body that is sent apart from the rest of the JSON text. */
type LongString = string | StreamedText;

/**
 * `value` as JSON: a string, or a stream of its UTF-8 bytes when it holds a very long string or
 * a `StreamedText`.
 */
export function jsonBody(
  value: unknown,
  options: JsonBodyOptions = {},
): string | ReadableStream<Uint8Array> {
  const streamedChars = options.streamedChars ?? STREAMED_STRING_CHARS;
  const long: LongString[] = [];
  // A marker no input can contain by chance: it carries a random number, drawn only for a body
  // that needs one.
  let nonce = "";
  const text = JSON.stringify(value, (_key, item) => {
    if (
      !(item instanceof StreamedText) && (typeof item !== "string" || item.length < streamedChars)
    ) {
      return item;
    }
    nonce ||= `\u0000dollama-${crypto.randomUUID()}-`;
    long.push(item);
    return `${nonce}${long.length - 1}`;
  });
  if (long.length === 0) return text;
  // Each marker is one JSON string: `"\u0000dollama-…-N"` once escaped.
  const escapedNonce = JSON.stringify(nonce).slice(1, -1);
  const pieces: (string | number)[] = [];
  let at = 0;
  for (let index = 0; index < long.length; index++) {
    const marker = `"${escapedNonce}${index}"`;
    const found = text.indexOf(marker, at);
    pieces.push(text.slice(at, found), index);
    at = found + marker.length;
  }
  pieces.push(text.slice(at));
  return ReadableStream.from(bodyParts(pieces, long, options.sliceChars ?? SLICE_CHARS));
}

/** The end of a slice starting at `start`, moved back so it never splits a surrogate pair. */
function sliceEnd(text: string, start: number, sliceChars: number): number {
  const end = Math.min(text.length, start + sliceChars);
  if (end === text.length) return end;
  // A one-character slice ending in half a pair takes the whole pair instead.
  if (isHighSurrogate(text.charCodeAt(end - 1))) return end - 1 > start ? end - 1 : end + 1;
  return end;
}

const QUOTE = encoder.encode('"');

/**
 * The body's bytes, made as the request asks for them: the JSON text between the long strings,
 * and each long string escaped and encoded a slice at a time. A `StreamedText` may split a
 * surrogate pair between two pieces; each half is then escaped as `\uXXXX`, and JSON joins the
 * two again.
 */
async function* bodyParts(
  pieces: (string | number)[],
  long: LongString[],
  sliceChars: number,
): AsyncGenerator<Uint8Array> {
  for (const piece of pieces) {
    if (typeof piece === "string") {
      if (piece !== "") yield encoder.encode(piece);
      continue;
    }
    yield QUOTE;
    const item = long[piece];
    for await (const text of typeof item === "string" ? [item] : item.pieces) {
      for (let at = 0; at < text.length;) {
        const end = sliceEnd(text, at, sliceChars);
        yield encoder.encode(JSON.stringify(text.slice(at, end)).slice(1, -1));
        at = end;
      }
    }
    yield QUOTE;
  }
}
