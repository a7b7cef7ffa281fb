/**
 * How many terminal cells text takes: the one measure used by the tables, the word wrapper, the
 * line editor and the prompt driver. East-Asian wide characters and most emoji take two cells, a
 * grapheme cluster (a family emoji, a letter with combining marks) is measured as one character,
 * and colour sequences take none.
 */
import stringWidth from "string-width";

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Widths measured before, keyed by text. Measuring a grapheme is ~40× slower than printing it,
 * and streamed answers measure the same few graphemes again and again, so short texts are kept.
 * Long ones (whole lines) rarely repeat and would only crowd the cache.
 */
const cache = new Map<string, number>();
const CACHE_LIMIT = 20_000;
const CACHED_LENGTH = 16;

/** Display width of `text` in terminal cells. */
export function displayWidth(text: string): number {
  // The common case first: the word wrapper measures every grapheme of an answer on its own.
  if (text.length === 1) {
    const code = text.charCodeAt(0);
    if (code >= 0x20 && code < 0x7f) return 1;
  }
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let width = cache.get(text);
  if (width === undefined) {
    width = stringWidth(text);
    if (text.length <= CACHED_LENGTH && cache.size < CACHE_LIMIT) cache.set(text, width);
  }
  return width;
}
