/**
 * Escape sequences are named in lib/term/ansi.ts and nowhere else: every other module of lib/
 * builds its bytes from those names. Only the key decoder and the sanitiser, which read escapes
 * rather than write them, may spell one out too.
 */
import { assertEquals } from "../support/assert.ts";

const LIB = new URL("../../lib/", import.meta.url);
const ALLOWED = new Set(["term/ansi.ts", "term/keys.ts", "term/sanitize.ts"]);
/** `\x1b`, `\u001b`, `\u{1b}` and `\033` spelled out, in any case. */
const SPELLED = /\\x1b|\\u001b|\\u\{1b\}|\\033/i;
const ESC = String.fromCharCode(0x1b);
const hasEscape = (line: string) => SPELLED.test(line) || line.includes(ESC);

function* sources(dir: URL, prefix = ""): Generator<string> {
  for (const entry of Deno.readDirSync(dir)) {
    const path = prefix + entry.name;
    if (entry.isDirectory) yield* sources(new URL(`${entry.name}/`, dir), `${path}/`);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

Deno.test("lib/ spells out escape sequences only in ansi.ts, keys.ts and sanitize.ts", () => {
  const offenders: string[] = [];
  for (const path of sources(LIB)) {
    if (ALLOWED.has(path)) continue;
    const lines = Deno.readTextFileSync(new URL(path, LIB)).split("\n");
    lines.forEach((line, i) => {
      if (hasEscape(line)) offenders.push(`${path}:${i + 1}: ${line.trim()}`);
    });
  }
  assertEquals(offenders, []);
});

Deno.test("the escape scan finds each spelling", () => {
  for (const s of ["\\x1b[1m", "\\X1B", "\\u001b", "\\u{1b}", "\\033[0m", "\x1b[0m"]) {
    assertEquals(hasEscape(s), true, s);
  }
  assertEquals(hasEscape("x1b"), false);
});
