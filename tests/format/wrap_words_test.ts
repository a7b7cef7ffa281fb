/**
 * The table word wrapper (lib/format/table.ts `wrapWords`) against the quadratic search it
 * replaced, which is tablewriter's: same lines for every input that search returns from.
 */
import fc from "fast-check";
import { assert, assertEquals } from "../support/assert.ts";
import { layoutCell, renderTable, wrapWords } from "../../lib/format/table.ts";
import { displayWidth } from "../../lib/term/width.ts";

const TOO_LONG_PENALTY = 100000;

/**
 * The previous `wrapWords`, kept as the reference: for each start, every break is tried. It is
 * unchanged but for one guard: where it would loop forever (a start left without a usable break,
 * its cost stuck at 2^31-1) it returns undefined, and such inputs are left out.
 */
function referenceWrapWords(words: string[], limit: number, space = 1): string[][] | undefined {
  const n = words.length;
  const prefix = [0];
  for (const w of words) prefix.push(prefix[prefix.length - 1] + displayWidth(w));
  const length = (i: number, j: number) => prefix[j + 1] - prefix[i] + (j - i) * space;
  const breakAt = new Array<number>(n).fill(0);
  const cost = new Array<number>(n).fill(2 ** 31 - 1);
  for (let i = n - 1; i >= 0; i--) {
    if (length(i, n - 1) <= limit) {
      cost[i] = 0;
      breakAt[i] = n;
      continue;
    }
    for (let j = i + 1; j < n; j++) {
      const d = limit - length(i, j - 1);
      let c = d * d + cost[j];
      if (length(i, j - 1) > limit) c += TOO_LONG_PENALTY;
      if (c < cost[i]) {
        cost[i] = c;
        breakAt[i] = j;
      }
    }
  }
  const lines: string[][] = [];
  for (let i = 0; i < n; i = breakAt[i]) {
    if (breakAt[i] <= i) return undefined; // the guard
    lines.push(words.slice(i, breakAt[i]));
  }
  return lines;
}

/** Words as table cells hold them: mostly short, some empty (two spaces), some wide. */
const word = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 12 }).map((n) => "x".repeat(n)) },
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.constantFrom("日本", "語", "é", "👍🏽", "ab日") },
  { weight: 1, arbitrary: fc.integer({ min: 13, max: 60 }).map((n) => "y".repeat(n)) },
);

Deno.test("property: wrapWords() breaks lines as the quadratic search does, at table limits", () => {
  // wrapString's use: the limit is at least the widest word.
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 110 }), (
      words,
      wrap,
    ) => {
      const limit = Math.max(wrap, ...words.map(displayWidth));
      assertEquals(wrapWords(words, limit), referenceWrapWords(words, limit));
    }),
    { numRuns: 3000 },
  );
});

Deno.test("property: wrapWords() matches where lines longer than the limit win", () => {
  // With a limit in the hundreds a too-long line can cost less than the ragged lines that
  // avoid it, so both kinds of break compete; limits below the widest word are included.
  const wide = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 20 }).map((n) => "a".repeat(n)) },
    { weight: 1, arbitrary: fc.integer({ min: 100, max: 700 }).map((n) => "b".repeat(n)) },
  );
  let tooLong = 0;
  fc.assert(
    fc.property(fc.array(wide, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 700 }), (
      words,
      limit,
    ) => {
      const expected = referenceWrapWords(words, limit);
      fc.pre(expected !== undefined);
      const lines = wrapWords(words, limit);
      assertEquals(lines, expected);
      if (lines.some((line) => displayWidth(line.join(" ")) > limit)) tooLong++;
    }),
    { numRuns: 3000 },
  );
  // The property must have seen the penalty's case, or it proves little.
  assert(tooLong > 50, `only ${tooLong} cases with a too-long line`);
});

Deno.test("wrapWords() takes a too-long line where breaking it costs more", () => {
  const a = "a".repeat(1000);
  const c = "c".repeat(1000);
  // Alone, "b" would leave 999 cells empty: 999² is more than the penalty.
  assertEquals(wrapWords([a, "b", c], 1000), [[a, "b"], [c]]);
  assertEquals(referenceWrapWords([a, "b", c], 1000), [[a, "b"], [c]]);
});

Deno.test("wrapWords() prefers the earlier break when a fitting and a too-long line cost the same", () => {
  // Line "a" leaves 350 cells: 350² = 122,500. Line "a b" is 150 too long: 150² + 100,000.
  const words = ["a".repeat(250), "b".repeat(499), "c"];
  const expected = [[words[0]], [words[1], words[2]]];
  assertEquals(referenceWrapWords(words, 600), expected);
  assertEquals(wrapWords(words, 600), expected);
});

Deno.test("wrapWords() returns where the quadratic search looped forever", () => {
  // A last word wider than the limit: tablewriter's search never ends. The word ends a line.
  assertEquals(referenceWrapWords(["ab", "abc"], 2), undefined);
  assertEquals(wrapWords(["ab", "abc"], 2), [["ab"], ["abc"]]);
  // Costs past 2^31-1: a short word before a 50,000-cell one leaves 49,999 cells empty.
  const long = "x".repeat(50_000);
  assertEquals(referenceWrapWords(["a", long], 50_000), undefined);
  assertEquals(wrapWords(["a", long], 50_000), [["a"], [long]]);
  assertEquals(layoutCell(`a ${long}`, 30).lines, ["a", long]);
});

Deno.test("a 1,000,000-character cell with spaces is laid out", () => {
  const name = "ab ".repeat(333_334).slice(0, 1_000_000);
  const { lines, width } = layoutCell(name, 30);
  assertEquals(width, 30);
  assertEquals(lines.join(" "), name);
  assert(lines.every((line) => displayWidth(line) <= 30));
  const out = renderTable([[name, "x"]], { header: ["NAME", "ID"] });
  assertEquals(out.split("\n").length, lines.length + 2);
});

Deno.test("a 1,000,000-character cell with one long word among short ones is laid out", () => {
  // The long word raises the limit to 100,000 cells: every line may hold thousands of words.
  const name = `${"a ".repeat(200_000)}${"w".repeat(100_000)} ${"a ".repeat(200_000)}`.trim();
  const { lines } = layoutCell(name, 30);
  assertEquals(lines.join(" "), name);
});

Deno.test("a cell of 300,000 lines is laid out", () => {
  // Each line is a word; measuring them once took Math.max(...lines), past the stack's limit.
  const { lines, width } = layoutCell(new Array(300_000).fill("ab").join("\n"), 30);
  assertEquals(width, 2);
  assertEquals(lines, new Array(300_000).fill("ab"));
});
