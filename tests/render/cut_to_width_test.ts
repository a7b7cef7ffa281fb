/** lib/render/cut_to_width.ts: text cut to a number of cells, by display width. */
import fc from "fast-check";
import { assert, assertEquals } from "../support/assert.ts";
import { cutToWidth } from "../../lib/render/cut_to_width.ts";
import { displayWidth } from "../../lib/term/width.ts";
import { graphemes } from "../../lib/term/graphemes.ts";

Deno.test("cutToWidth() cuts ASCII at the cell count and keeps shorter text whole", () => {
  assertEquals(cutToWidth("pulling manifest", 7), "pulling");
  assertEquals(cutToWidth("pulling", 7), "pulling");
  assertEquals(cutToWidth("pulling", 80), "pulling");
  assertEquals(cutToWidth("pulling", 0), "");
  assertEquals(cutToWidth("", 5), "");
});

Deno.test("cutToWidth() counts wide characters as two cells and never splits one", () => {
  assertEquals(cutToWidth("日本語", 6), "日本語");
  assertEquals(cutToWidth("日本語", 5), "日本");
  assertEquals(cutToWidth("a日本", 2), "a");
  assertEquals(cutToWidth("👍🏽ok", 1), "");
  assertEquals(cutToWidth("👍🏽ok", 3), "👍🏽o");
  // A letter and its combining accent are one cell, kept together.
  assertEquals(cutToWidth("e\u0301e\u0301e\u0301", 2), "e\u0301e\u0301");
});

Deno.test("cutToWidth() measures only what it keeps of ASCII after other text", () => {
  const text = "ab " + "日".repeat(5);
  assertEquals(cutToWidth(text, 6), "ab 日");
  assertEquals(cutToWidth("x".repeat(1_000_000), 79), "x".repeat(79));
});

Deno.test("property: cutToWidth() keeps the longest prefix of whole graphemes that fits", () => {
  const text = fc.array(
    fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.constantFrom("日本", "👍🏽", "e\u0301", "␛", "\u200b", "a"),
    ),
  ).map((parts) => parts.join(""));
  fc.assert(
    fc.property(text, fc.integer({ min: 0, max: 40 }), (s, cells) => {
      const cut = cutToWidth(s, cells);
      assert(s.startsWith(cut));
      assert(displayWidth(cut) <= cells, `${JSON.stringify(cut)} is wider than ${cells}`);
      const kept = [...graphemes(cut)].length;
      const all = [...graphemes(s)];
      // Whole graphemes only, and the next one would not have fitted.
      assertEquals(all.slice(0, kept).join(""), cut);
      if (kept < all.length) assert(displayWidth(cut + all[kept]) > cells);
    }),
    { numRuns: 2000 },
  );
});
