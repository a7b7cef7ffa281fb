/**
 * How many terminal cells text takes: the one measure used by the tables, the word wrapper, the
 * line editor and the prompt driver. East-Asian wide characters and most emoji take two cells, a
 * grapheme cluster (a family emoji, a letter with combining marks) is measured as one character,
 * and colour sequences take none.
 *
 * The rules are those of the npm package `string-width` (8.3, default options), which the tests
 * use as an oracle over random text. dollama has its own copy of them because importing that
 * package cost every terminal run ~50 ms of CPU: Deno's Node compatibility layer, which any npm
 * import starts, and the segmenter and emoji expression the package builds as it loads (here they
 * are made only for text that needs them). Per cluster:
 *
 * 1. a cluster of nothing visible (controls, format characters, lone combining marks,
 *    default-ignorables, lone surrogates; a tab too) takes no cells;
 * 2. an emoji takes two: an RGI emoji (sequence), and also a bare keycap (`1⃣`) or a ZWJ
 *    sequence of two or more pictographs that lacks its variation selectors;
 * 3. Hangul jamo take two cells for each leading + vowel (+ trailing) syllable they spell, and
 *    what is left of them is counted one by one;
 * 4. anything else takes the East Asian Width of its first visible character, plus that of any
 *    spacing mark or halfwidth/fullwidth form after it (a halfwidth katakana's sound mark).
 */
import { eastAsianCells } from "./east_asian_width.ts";
import { graphemeSegmenter } from "./graphemes.ts";
import { mayHoldEscapes, withoutEscapes } from "./strip_escapes.ts";

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/**
 * Text of printable ASCII, kana, CJK ideographs, Hangul syllables and fullwidth forms only. None
 * of these join a neighbour from this set into a cluster, none is an emoji, and none is invisible,
 * so each is measured alone by its East Asian Width, without the grapheme segmenter (which costs
 * 12-20 ms to make: a table of CJK names need not pay that).
 */
const SIMPLE_WIDE_TEXT =
  /^[\x20-\x7e\u3001\u3002\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\uac00-\ud7a3\uff01-\uff60]*$/;

/**
 * The Unicode property classes that clusters are measured with. The ones with the y flag are used
 * with lastIndex to test one code point inside a cluster without slicing it out. They are made on
 * first use, not when the module loads: V8 takes about 1.5 ms to build them, and text of ASCII,
 * kana, CJK and Hangul syllables (most of what a terminal shows) never needs them.
 *
 * Every RGI emoji holds an Emoji character (its base, a keycap's digit, a flag's letters), and the
 * Emoji class is cheap to build; the RGI_Emoji one is not (~25 ms: V8 builds its set of strings
 * when the expression is made, literal or not), so it is made only for text that may hold one.
 */
interface UnicodeClasses {
  visible: RegExp;
  visibleAt: RegExp;
  spacingMarkAt: RegExp;
  mayBeEmoji: RegExp;
  pictograph: RegExp;
}
let classes: UnicodeClasses | undefined;
let rgiEmoji: RegExp | undefined;

function unicodeClasses(): UnicodeClasses {
  if (classes) return classes;
  const visible = String.raw`[^\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Cs}]`;
  return classes = {
    visible: new RegExp(visible, "v"),
    visibleAt: new RegExp(visible, "vy"),
    spacingMarkAt: /\p{Mc}/vy,
    mayBeEmoji: /\p{Emoji}/v,
    pictograph: /\p{Extended_Pictographic}/gv,
  };
}

const ZWJ = "\u200d";
const COMBINING_KEYCAP = 0x20e3;
/** Longer clusters are no emoji anyone sends; the pictograph count is not run on them. */
const LONGEST_EMOJI = 50;

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
    width = measure(text);
    if (text.length <= CACHED_LENGTH && cache.size < CACHE_LIMIT) cache.set(text, width);
  }
  return width;
}

/** Width of text that is not printable ASCII as it stands (displayWidth tested that). */
function measure(input: string): number {
  const text = mayHoldEscapes(input) ? withoutEscapes(input) : input;
  if (text !== input && PRINTABLE_ASCII.test(text)) return text.length;
  if (SIMPLE_WIDE_TEXT.test(text)) {
    let width = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      width += code < 0x80 ? 1 : eastAsianCells(code);
    }
    return width;
  }
  // One code point is one cluster: the segmenter is not needed for the graphemes streamed alone.
  if (text.length === 1 || (text.length === 2 && text.codePointAt(0)! > 0xffff)) {
    return clusterWidth(text);
  }
  let width = 0;
  for (const { segment } of graphemeSegmenter().segment(text)) width += clusterWidth(segment);
  return width;
}

/** Cells one grapheme cluster takes. */
function clusterWidth(cluster: string): number {
  const { visible, spacingMarkAt } = unicodeClasses();
  const start = cluster.search(visible);
  if (start === -1) return 0;
  if (isEmoji(cluster)) return 2;
  const first = cluster.codePointAt(start)!;
  if (isJamo(first)) return jamoWidth(cluster, start);
  let width = eastAsianCells(first);
  for (let i = start + codeUnits(first); i < cluster.length;) {
    const codePoint = cluster.codePointAt(i)!;
    spacingMarkAt.lastIndex = i;
    if ((codePoint >= 0xff00 && codePoint <= 0xffef) || spacingMarkAt.test(cluster)) {
      width += eastAsianCells(codePoint);
    }
    i += codeUnits(codePoint);
  }
  return width;
}

/**
 * Whether a cluster is drawn as one emoji: an RGI one, or one a terminal draws as an emoji
 * although it is not fully qualified (a keycap without U+FE0F, a ZWJ sequence missing one).
 */
function isEmoji(cluster: string): boolean {
  // A lone ASCII character never is one, although digits, # and * are Emoji characters.
  if (cluster.length === 1 && cluster.charCodeAt(0) < 0x80) return false;
  const { mayBeEmoji, pictograph } = unicodeClasses();
  if (mayBeEmoji.test(cluster)) {
    rgiEmoji ??= new RegExp(String.raw`^\p{RGI_Emoji}$`, "v");
    if (rgiEmoji.test(cluster)) return true;
  }
  if (cluster.length > LONGEST_EMOJI) return false;
  if (cluster.length === 2 && cluster.charCodeAt(1) === COMBINING_KEYCAP) {
    const key = cluster.charCodeAt(0);
    return (key >= 0x30 && key <= 0x39) || key === 0x23 /* # */ || key === 0x2a /* * */;
  }
  if (!cluster.includes(ZWJ)) return false;
  pictograph.lastIndex = 0;
  let pictographs = 0;
  while (pictographs < 2 && pictograph.test(cluster)) pictographs++;
  pictograph.lastIndex = 0;
  return pictographs >= 2;
}

/**
 * Cells of a cluster whose first visible character is a Hangul jamo: each leading + vowel
 * (+ trailing) run is one syllable block, two cells; a jamo outside one, and everything after the
 * first visible character that is no jamo, counts on its own.
 */
function jamoWidth(cluster: string, start: number): number {
  const { visibleAt } = unicodeClasses();
  const visible: number[] = [];
  for (let i = start; i < cluster.length;) {
    const codePoint = cluster.codePointAt(i)!;
    visibleAt.lastIndex = i;
    if (visibleAt.test(cluster)) visible.push(codePoint);
    i += codeUnits(codePoint);
  }
  let width = 0;
  for (let i = 0; i < visible.length;) {
    const codePoint = visible[i];
    if (!isJamo(codePoint)) {
      for (; i < visible.length; i++) width += eastAsianCells(visible[i]);
      break;
    }
    if (isLeadingJamo(codePoint) && isVowelJamo(visible[i + 1])) {
      width += 2;
      i += isTrailingJamo(visible[i + 2]) ? 3 : 2;
    } else {
      width += eastAsianCells(codePoint);
      i++;
    }
  }
  return width;
}

function isJamo(codePoint: number): boolean {
  return isLeadingJamo(codePoint) || isVowelJamo(codePoint) || isTrailingJamo(codePoint);
}

// Each kind of jamo has a block in Hangul Jamo (U+1100…) and one in an extension block.
function isLeadingJamo(codePoint: number | undefined): boolean {
  return codePoint !== undefined &&
    ((codePoint >= 0x1100 && codePoint <= 0x115f) || (codePoint >= 0xa960 && codePoint <= 0xa97c));
}

function isVowelJamo(codePoint: number | undefined): boolean {
  return codePoint !== undefined &&
    ((codePoint >= 0x1160 && codePoint <= 0x11a7) || (codePoint >= 0xd7b0 && codePoint <= 0xd7c6));
}

function isTrailingJamo(codePoint: number | undefined): boolean {
  return codePoint !== undefined &&
    ((codePoint >= 0x11a8 && codePoint <= 0x11ff) || (codePoint >= 0xd7cb && codePoint <= 0xd7fb));
}

/** UTF-16 code units of a code point (a lone surrogate is one). */
function codeUnits(codePoint: number): 1 | 2 {
  return codePoint > 0xffff ? 2 : 1;
}
