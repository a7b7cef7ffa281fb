import fc from "fast-check";
import stringWidth from "string-width";
import { fileURLToPath } from "node:url";
import { assertEquals } from "../support/assert.ts";
import { denoInfo, isNpm, staticModules } from "../support/module_graph.ts";
import { displayWidth } from "../../lib/term/width.ts";

Deno.test("displayWidth() counts ASCII as one cell each", () => {
  assertEquals(displayWidth(""), 0);
  assertEquals(displayWidth("a"), 1);
  assertEquals(displayWidth("hello world"), 11);
});

Deno.test("displayWidth() counts wide characters as two cells and a grapheme cluster as one character", () => {
  assertEquals(displayWidth("日本"), 4);
  assertEquals(displayWidth("👨‍👩‍👧"), 2);
  assertEquals(displayWidth("e\u0301"), 1);
  assertEquals(displayWidth("a日b"), 4);
});

Deno.test("displayWidth() gives colour sequences no width", () => {
  assertEquals(displayWidth("\x1b[1mbold\x1b[0m"), 4);
  assertEquals(displayWidth("\x1b[38;5;245m日\x1b[0m"), 2);
});

Deno.test("displayWidth() gives the same answer from its cache", () => {
  assertEquals(displayWidth("語"), 2);
  assertEquals(displayWidth("語"), 2);
  const long = "語".repeat(40);
  assertEquals(displayWidth(long), 80);
  assertEquals(displayWidth(long), 80);
});

// Exact widths, each as string-width 8.3 gives it (dollama's measure follows its rules).
const CASES: [string, string, number][] = [
  ["ASCII with a space", "a b", 3],
  ["CJK ideographs", "漢字", 4],
  ["CJK between ASCII", "x漢y", 4],
  ["supplementary CJK", "𠀋", 2],
  ["hiragana and katakana", "ひカ", 4],
  ["halfwidth katakana", "ｱ", 1],
  ["halfwidth katakana with its sound mark, one cluster", "ｶﾞ", 2],
  ["fullwidth Latin", "Ａ", 2],
  ["ideographic space", "\u3000", 2],
  ["Hangul syllable", "한", 2],
  ["Hangul syllables", "한국어", 6],
  ["jamo leading + vowel", "\u1100\u1161", 2],
  ["jamo leading + vowel + trailing", "\u1100\u1161\u11a8", 2],
  ["a lone leading jamo", "\u1100", 2],
  ["a lone vowel jamo", "\u1161", 1],
  ["an unmatched leading jamo before a syllable", "\u1100\u1100\u1161", 4],
  ["extended jamo leading + vowel", "\ua960\ud7b0", 2],
  ["e with a combining acute", "e\u0301", 1],
  ["a letter with many combining marks", "a\u0300\u0301\u0302\u0303", 1],
  ["a lone combining mark", "\u0301", 0],
  ["a Devanagari letter with a spacing mark", "क\u093e", 2],
  ["ZWJ family emoji", "👨‍👩‍👧‍👦", 2],
  ["ZWJ sequence missing its variation selector", "🏳\u200d🌈", 2],
  ["ZWJ sequence of text-presentation pictographs", "☺\u200d☺", 2],
  ["the same with more than 50 code units of marks: no emoji", "☺\u200d☺" + "\u0301".repeat(48), 1],
  ["rainbow flag, fully qualified", "🏳\ufe0f\u200d🌈", 2],
  ["flag", "🇯🇵", 2],
  ["two flags", "🇯🇵🇫🇷", 4],
  ["a lone regional indicator", "🇯", 1],
  ["keycap", "1\ufe0f\u20e3", 2],
  ["keycap without its variation selector", "1\u20e3", 2],
  ["# keycap", "#\ufe0f\u20e3", 2],
  ["text-presentation smiley", "☺", 1],
  ["smiley with emoji presentation", "☺\ufe0f", 2],
  ["emoji with text presentation", "⌚\ufe0e", 2],
  ["copyright sign", "©", 1],
  ["copyright sign with emoji presentation", "©\ufe0f", 2],
  ["emoji with a skin tone", "👍🏽", 2],
  ["a lone skin-tone modifier", "🏽", 2],
  ["ZWJ sequence with skin tones", "🧑🏽\u200d🤝\u200d🧑🏻", 2],
  ["wide emoji", "😀", 2],
  ["NUL, BEL and DEL", "\x00\x07\x7f", 0],
  ["C1 control", "\x85", 0],
  ["newline", "a\nb", 2],
  ["tab", "\t", 0],
  ["zero-width space", "a\u200bb", 2],
  ["zero-width joiner alone", "\u200d", 0],
  ["zero-width non-joiner", "\u200c", 0],
  ["soft hyphen", "soft\u00adhyphen", 10],
  ["byte order mark", "\ufeff", 0],
  ["variation selector alone", "\ufe0f", 0],
  ["CSI colours", "\x1b[31mred\x1b[0m", 3],
  ["CSI 256-colour around CJK", "\x1b[38;5;245m日\x1b[0m", 2],
  ["8-bit CSI", "\x9b1mX", 1],
  ["OSC 8 hyperlink, BEL-terminated", "\x1b]8;;https://example.com\x07link\x1b]8;;\x07", 4],
  ["OSC 8 hyperlink, ST-terminated", "\x1b]8;;https://example.com\x1b\\link\x1b]8;;\x1b\\", 4],
  ["an unterminated OSC leaves its text", "\x1b]8;;ab", 6],
  ["a two-byte escape", "\x1b7a\x1b8", 1],
  ["ESC before ordinary text", "\x1b!", 1],
  ["a lone high surrogate", "\ud800", 0],
  ["a lone low surrogate between letters", "a\udc00b", 2],
  ["plus-minus (ambiguous)", "±", 1],
  ["section sign (ambiguous)", "§", 1],
  ["Greek (ambiguous)", "αβ", 2],
  ["box drawing (ambiguous)", "─│", 2],
];

Deno.test("displayWidth() gives each kind of character its width", () => {
  const wrong = CASES
    .filter(([, text, width]) => displayWidth(text) !== width)
    .map(([name, text, width]) =>
      `${name} ${JSON.stringify(text)}: ${displayWidth(text)} ≠ ${width}`
    );
  assertEquals(wrong, []);
});

Deno.test("displayWidth() measures text longer than it caches the same way", () => {
  const text = "漢字 e\u0301 👨‍👩‍👧 \x1b[1m🇯🇵\x1b[0m ±";
  assertEquals(displayWidth(text.repeat(5)), 5 * displayWidth(text));
});

Deno.test("string-width, the oracle, gives each of those widths too", () => {
  const wrong = CASES
    .filter(([, text, width]) => stringWidth(text) !== width)
    .map(([name, text, width]) =>
      `${name} ${JSON.stringify(text)}: ${stringWidth(text)} ≠ ${width}`
    );
  assertEquals(wrong, []);
});

const codePoint = (min: number, max: number) =>
  fc.integer({ min, max }).map((c) => String.fromCodePoint(c));

/**
 * Pieces of text where width rules differ, weighted towards the ones with the most rules; joined
 * at random, they also make clusters no one would write (marks on emoji, jamo after flags).
 */
const leadingJamo = fc.oneof(codePoint(0x1100, 0x115f), codePoint(0xa960, 0xa97c));
const vowelJamo = fc.oneof(codePoint(0x1160, 0x11a7), codePoint(0xd7b0, 0xd7c6));
const trailingJamo = fc.oneof(codePoint(0x11a8, 0x11ff), codePoint(0xd7cb, 0xd7fb));

/** Runs of jamo as they spell syllables: leading, vowel, maybe trailing, some left out. */
const jamoSyllable = fc.tuple(
  fc.option(leadingJamo, { nil: "" }),
  fc.option(vowelJamo, { nil: "" }),
  fc.option(trailingJamo, { nil: "" }),
).map((jamo) => jamo.join(""));

/** Escape sequences, whole or broken: an introducer, a payload, maybe a terminator. */
const escapeSequence = fc.tuple(
  fc.constantFrom(
    ...["[", "]", "]P", "]R", "P", "X", "^", "_", "k", "(", "#", ""].map((c) => `\x1b${c}`),
    "\x9b",
    "\x9d",
    "\x90",
    "\x98",
    "\x9e",
    "\x9f",
  ),
  fc.array(
    fc.constantFrom(
      "a",
      "0",
      "F",
      "1;2",
      "?",
      " ",
      "/",
      "\\",
      "m",
      "\x07",
      "\x18",
      "\x1a",
      "\x1b",
      "\x9c",
      "\x85",
      "日",
    ),
    { maxLength: 8 },
  ),
  fc.constantFrom("\x07", "\x1b\\", "\x9c", "", "m", "H", "~"),
).map(([introducer, payload, terminator]) => introducer + payload.join("") + terminator);

/** What extends a cluster: marks, joiners, selectors, skin tones, pictographs after a ZWJ. */
const extender = fc.oneof(
  fc.constantFrom("\u200d", "\ufe0f", "\ufe0e", "\u20e3", "\u0301", "\u093e", "☺", "©", "😀"),
  codePoint(0x1f3fb, 0x1f3ff),
  codePoint(0xe0020, 0xe007f), // tag characters (subdivision flags)
);
const longCluster = fc.tuple(
  fc.constantFrom("☺", "©", "😀", "👨", "🏳", "a"),
  fc.array(extender, { maxLength: 40 }),
).map(([base, rest]) => base + rest.join(""));

const piece = fc.oneof(
  { weight: 4, arbitrary: codePoint(0x20, 0x7e) },
  { weight: 2, arbitrary: codePoint(0x4e00, 0x9fff) }, // CJK ideographs
  { weight: 1, arbitrary: codePoint(0x20000, 0x2a6df) }, // supplementary CJK
  { weight: 2, arbitrary: codePoint(0xff00, 0xffef) }, // halfwidth and fullwidth forms
  { weight: 1, arbitrary: codePoint(0xac00, 0xd7a3) }, // Hangul syllables
  {
    weight: 3,
    arbitrary: fc.oneof(
      codePoint(0x1100, 0x11ff),
      codePoint(0xa960, 0xa97f),
      codePoint(0xd7b0, 0xd7ff),
    ), // Hangul jamo
  },
  {
    weight: 4,
    arbitrary: fc.oneof(
      codePoint(0x1f300, 0x1faff),
      codePoint(0x2600, 0x27bf),
      fc.constantFrom("👨‍👩‍👧‍👦", "🏳️‍🌈", "🏳‍🌈", "🧑🏽‍🤝‍🧑🏻", "👍🏽", "❤️‍🔥", "☺", "©", "™", "↔"),
    ), // emoji and pictographs
  },
  { weight: 3, arbitrary: fc.constantFrom("\u200d", "\ufe0f", "\ufe0e", "\u20e3") },
  { weight: 2, arbitrary: codePoint(0x1f3fb, 0x1f3ff) }, // skin tones
  { weight: 2, arbitrary: codePoint(0x1f1e6, 0x1f1ff) }, // regional indicators
  { weight: 1, arbitrary: fc.constantFrom("0", "9", "#", "*") }, // keycap bases
  { weight: 3, arbitrary: codePoint(0x0300, 0x036f) }, // combining marks
  { weight: 2, arbitrary: codePoint(0x0900, 0x097f) }, // Devanagari: spacing marks, virama
  { weight: 1, arbitrary: codePoint(0xe0100, 0xe01ef) }, // variation selectors supplement
  { weight: 2, arbitrary: fc.oneof(codePoint(0x00, 0x1f), codePoint(0x7f, 0x9f)) }, // controls
  { weight: 1, arbitrary: fc.constantFrom("\u200b", "\u00ad", "\u2060", "\ufeff", "\t") },
  { weight: 1, arbitrary: fc.constantFrom("\ud800", "\udfff") }, // lone surrogates
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "\x1b[31m",
      "\x1b[0m",
      "\x1b[38;5;245m",
      "\x1b[?25l",
      "\x1b[",
      "\x9b",
      "\x9c",
      "\x9d",
      "\x1b]8;;https://x.y/\x07",
      "\x1b]8;;\x1b\\",
      "\x1b]",
      "\x1b]P0a1b2c3",
      "\x1b]R",
      "\x1bP",
      "\x1b\\",
      "\x1b_",
      "\x1bk",
      "\x1b(0",
      "\x1b7",
      "\x1b",
      "\x07",
      "\x18",
    ),
  }, // escape sequences and pieces of them
  {
    weight: 2,
    arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => `\x1b${String.fromCharCode(c)}`),
  },
  { weight: 2, arbitrary: codePoint(0, 0x10ffff) },
  { weight: 3, arbitrary: jamoSyllable },
  { weight: 3, arbitrary: escapeSequence },
  { weight: 1, arbitrary: longCluster },
);

const mixedText = fc.array(piece, { maxLength: 24 }).map((pieces) => pieces.join(""));

Deno.test("property: displayWidth() agrees with string-width on any text", () => {
  fc.assert(
    fc.property(mixedText, (text) => {
      assertEquals(displayWidth(text), stringWidth(text), JSON.stringify(text));
    }),
    { numRuns: 5000 },
  );
});

Deno.test("property: displayWidth() agrees with string-width on kana, CJK, Hangul and fullwidth text", () => {
  // Text the measure takes a short cut through, and text one character away from it.
  const simple = fc.oneof(
    codePoint(0x20, 0x7e),
    codePoint(0x3000, 0x30ff),
    codePoint(0x4e00, 0x9fff),
    codePoint(0xac00, 0xd7a3),
    codePoint(0xff00, 0xffef),
  );
  const text = fc.tuple(fc.array(simple, { maxLength: 40 }), fc.option(piece, { nil: "" }))
    .map(([chars, extra]) => chars.join("") + extra);
  fc.assert(
    fc.property(text, (text) => {
      assertEquals(displayWidth(text), stringWidth(text), JSON.stringify(text));
    }),
    { numRuns: 3000 },
  );
});

/** The npm modules that `entry` loads when it starts (its static imports, followed to the end). */
async function npmModulesLoadedBy(entry: string): Promise<string[]> {
  const info = await denoInfo(entry, fileURLToPath(new URL("../../", import.meta.url)));
  return [...staticModules(info)].filter((specifier) => isNpm(info, specifier)).sort();
}

Deno.test("measuring text loads no npm package (it would start Deno's Node layer)", async () => {
  const entries = [
    "lib/term/width.ts",
    "main.ts",
    "lib/render/wrap.ts",
    "lib/format/table.ts",
    "lib/repl/editor.ts",
  ];
  const found: string[] = [];
  for (const entry of entries) {
    for (const module of await npmModulesLoadedBy(entry)) found.push(`${entry}: ${module}`);
  }
  assertEquals(found, []);
});
