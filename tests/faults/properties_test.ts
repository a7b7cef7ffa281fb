/**
 * Property tests (docs/reliability.md, Properties): the sanitiser, the NDJSON splitter and the
 * line editor hold their promises for any input fast-check can think of.
 */
import fc from "fast-check";
import { assert, assertEquals } from "../support/assert.ts";
import { sanitizeForTerminal } from "../../lib/term/sanitize.ts";
import { splitLines } from "../../lib/api/ndjson.ts";
import { createEditor, type EditorState, onKey, render } from "../../lib/repl/editor.ts";
import { type Key, KEY_NAMES, type KeyName } from "../../lib/term/keys.ts";

// deno-lint-ignore no-control-regex -- the characters the sanitiser must never let through
const DANGEROUS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\r(?!\n)/;

/** Strings rich in what terminals react to: ESC, BEL, CR, C1 and bidi controls. */
const hostile = fc.array(
  fc.oneof(
    fc.string({ unit: "grapheme" }),
    fc.constantFrom("\x1b", "\x07", "\r", "\n", "\t", "\x9b", "\x9d", "\u202e", "\u2066", "\x00"),
    fc.integer({ min: 0, max: 0x2100 }).map((c) => String.fromCharCode(c)),
  ),
).map((parts) => parts.join(""));

Deno.test("property: the sanitiser never lets ESC, C1 or bidi controls through", () => {
  fc.assert(
    fc.property(hostile, (text) => {
      const safe = sanitizeForTerminal(text);
      assert(!DANGEROUS.test(safe), JSON.stringify(safe));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: the sanitiser is the identity on plain text", () => {
  // Printable text: everything from space on, minus DEL, C1 and the bidi controls.
  const plain = fc.string({ unit: "grapheme" }).map((s) =>
    s.replace(new RegExp(DANGEROUS, "g"), "")
  );
  fc.assert(
    fc.property(fc.array(fc.oneof(plain, fc.constantFrom("\n", "\t", "\r\n"))), (parts) => {
      const text = parts.join("");
      assertEquals(sanitizeForTerminal(text), text);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("property: sanitising is idempotent and keeps the number of lines", () => {
  fc.assert(
    fc.property(hostile, (text) => {
      const once = sanitizeForTerminal(text);
      assertEquals(sanitizeForTerminal(once), once);
      assertEquals(once.split("\n").length, text.split("\n").length);
    }),
    { numRuns: 1000 },
  );
});

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

async function* chunksOf(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    if (cut <= start || cut >= bytes.length) continue;
    yield bytes.subarray(start, cut);
    start = cut;
  }
  yield bytes.subarray(start);
}

Deno.test("property: the NDJSON splitter over any chunking equals splitting the whole buffer", async () => {
  const line = fc.string({ unit: "grapheme" }).map((s) => s.replace(/[\r\n]/g, ""));
  const body = fc.tuple(
    fc.array(fc.oneof(line.map((l) => JSON.stringify({ response: l })), line), { maxLength: 20 }),
    fc.constantFrom("\n", "\r\n"),
    fc.boolean(),
  ).map(([lines, eol, trailing]) => lines.join(eol) + (trailing ? eol : ""));
  await fc.assert(
    fc.asyncProperty(body, fc.array(fc.nat(), { maxLength: 40 }), async (text, cuts) => {
      const bytes = new TextEncoder().encode(text);
      const whole = await collect(splitLines(chunksOf(bytes, [])));
      const chunked = await collect(
        splitLines(chunksOf(bytes, cuts.map((c) => c % (bytes.length + 1)))),
      );
      assertEquals(chunked, whole);
      // And the whole buffer gives the non-empty lines of the text.
      assertEquals(whole, text.split(/\r?\n/).filter((l) => l !== ""));
    }),
    { numRuns: 500 },
  );
});

/**
 * Keys whose work is an event for the line reader (submit, clear screen, the external editor,
 * interrupt, end of input, suspend) stay out: only editing is under test.
 */
const ENDING_KEYS = new Set<KeyName>(["enter", "ctrl-l", "ctrl-g", "ctrl-c", "ctrl-d", "ctrl-z"]);
const EDITING_KEYS = KEY_NAMES.filter((name) => !ENDING_KEYS.has(name));

const key: fc.Arbitrary<Key> = fc.oneof(
  fc.constantFrom(...EDITING_KEYS).map((type) => ({ type }) as Key),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 2 }).map((text) => ({
    type: "char" as const,
    text,
  })),
  fc.string({ unit: "grapheme", maxLength: 12 }).map((text) => ({ type: "paste" as const, text })),
  fc.constantFrom("界", "👍🏽", "e\u0301", "\u202e", "\x1b").map((text) => ({
    type: "char" as const,
    text,
  })),
);

Deno.test("property: random keys never crash the line editor and keep the cursor in the buffer", () => {
  fc.assert(
    fc.property(
      fc.array(key, { maxLength: 60 }),
      fc.integer({ min: 10, max: 100 }),
      fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
      (keys, width, history) => {
        let state: EditorState = createEditor({
          prompt: ">>> ",
          continuation: "... ",
          placeholder: "Send a message",
          width,
          history,
        });
        for (const k of keys) {
          state = onKey(state, k).state;
          assert(
            state.cursor >= 0 && state.cursor <= state.buffer.length,
            `cursor ${state.cursor}`,
          );
          const screen = render(state);
          assert(screen.cursorRow >= 0 && screen.cursorRow < screen.rows.length);
          assert(screen.cursorCol >= 0 && screen.cursorCol <= width, `column ${screen.cursorCol}`);
        }
      },
    ),
    { numRuns: 500 },
  );
});
