import fc from "fast-check";
import { assertEquals } from "../support/assert.ts";
import { WrapWriter } from "../../lib/render/wrap.ts";
import { displayWidth } from "../../lib/term/width.ts";

/** Feeds the chunks and returns everything written, flush included. */
function wrap(width: number, ...chunks: string[]): string {
  const w = new WrapWriter(width);
  return chunks.map((c) => w.push(c)).join("") + w.flush();
}

Deno.test("WrapWriter handles text that fits", () => {
  assertEquals(wrap(20, "hello world"), "hello world");
});

Deno.test("WrapWriter handles a word crossing the margin by moving it whole", () => {
  assertEquals(wrap(12, "the quick brown fox"), "the quick\nbrown fox");
});

Deno.test("WrapWriter handles words split across chunks", () => {
  assertEquals(wrap(12, "the qu", "ick bro", "wn fox"), "the quick\nbrown fox");
});

Deno.test("WrapWriter handles a line filled exactly", () => {
  assertEquals(wrap(10, "abcde fghi jk"), "abcde fghi\njk");
});

Deno.test("WrapWriter handles a word longer than a line by breaking it, never repeating it", () => {
  // It first moves to a fresh line like any word, then is cut at the margin.
  assertEquals(wrap(10, "ab ", "x".repeat(25)), "ab\nxxxxxxxxxx\nxxxxxxxxxx\nxxxxx");
  assertEquals(wrap(10, "y".repeat(12)), "yyyyyyyyyy\nyy");
});

Deno.test("WrapWriter handles newlines in the text", () => {
  assertEquals(wrap(10, "one two\nthree four five"), "one two\nthree four\nfive");
});

Deno.test("WrapWriter handles wide characters as two cells and breaks between them", () => {
  assertEquals(wrap(10, "日本語のテキストです"), "日本語のテ\nキストです");
  assertEquals(wrap(10, "ab 日本語の"), "ab 日本語\nの");
});

Deno.test("WrapWriter handles grapheme clusters without splitting them", () => {
  const family = "👩‍👩‍👧";
  assertEquals(displayWidth(family), 2);
  assertEquals(wrap(10, `abcdefgh ${family}${family}`), `abcdefgh\n${family}${family}`);
  assertEquals(wrap(10, "cafe\u0301 bar"), "cafe\u0301 bar");
});

Deno.test("WrapWriter handles runs of spaces and drops the ones at a break", () => {
  assertEquals(wrap(10, "a  b      c"), "a  b\nc");
});

Deno.test("WrapWriter handles a width under 10 by not wrapping", () => {
  assertEquals(wrap(5, "hello world again"), "hello world again");
});

Deno.test("WrapWriter holds back only the unfinished word", () => {
  const w = new WrapWriter(40);
  assertEquals(w.push("stream of wor"), "stream of");
  assertEquals(w.push("ds"), "");
  assertEquals(w.push(" "), " words");
  assertEquals(w.flush(), " ");
});

Deno.test("WrapWriter.reset() handles a newline written by someone else", () => {
  const w = new WrapWriter(10);
  assertEquals(w.push("abcdefgh"), "");
  assertEquals(w.flush(), "abcdefgh");
  w.reset();
  assertEquals(w.push("abcdefgh ij"), "abcdefgh\n");
  assertEquals(w.flush(), "ij");
});

Deno.test("WrapWriter follows a new width from the next break on, leaving what was written", () => {
  const w = new WrapWriter(20);
  let out = w.push("aaaa bbbb cccc ");
  w.width = 10;
  // The line already holds 14 cells: the next word starts a new line, later lines hold 10.
  out += w.push("dddd eeee ffff gggg") + w.flush();
  assertEquals(out, "aaaa bbbb cccc\ndddd eeee\nffff gggg");
  const wider = new WrapWriter(10);
  let more = wider.push("aaaa bbbb cccc ");
  wider.width = 20;
  more += wider.push("dddd eeee ffff") + wider.flush();
  assertEquals(more, "aaaa bbbb\ncccc dddd eeee ffff");
});

Deno.test("WrapWriter writes the same however the text is cut into chunks between characters", () => {
  // Chunks of plain ASCII with newlines and tabs take a short cut past the grapheme segmenter;
  // the whole text, with wide characters and clusters in it, does not. Both must agree.
  const piece = fc.constantFrom(
    "a",
    "bb",
    "word",
    " ",
    "  ",
    "\n",
    "\t",
    "\r\n",
    "日",
    "e\u0301",
    "👨‍👩‍👧",
    "x".repeat(25),
  );
  fc.assert(
    fc.property(
      fc.array(fc.array(piece, { maxLength: 6 }), { maxLength: 12 }),
      fc.integer({ min: 10, max: 30 }),
      (chunks, width) => {
        const cut = chunks.map((pieces) => pieces.join(""));
        assertEquals(wrap(width, ...cut), wrap(width, cut.join("")));
      },
    ),
    { numRuns: 2000 },
  );
});
