import { assertEquals } from "../support/assert.ts";
import { escapeControls, safeFor, sanitizeForTerminal } from "../../lib/term/sanitize.ts";

Deno.test("sanitizeForTerminal() handles plain text, newlines and tabs untouched", () => {
  assertEquals(sanitizeForTerminal("a\tb\nc\r\nd"), "a\tb\nc\r\nd");
});

Deno.test("sanitizeForTerminal() handles escape sequences by making them visible", () => {
  assertEquals(sanitizeForTerminal("\x1b]0;pwned\x07"), "\u241b]0;pwned\u2407");
  assertEquals(sanitizeForTerminal("\x1b[2J"), "\u241b[2J");
});

Deno.test("sanitizeForTerminal() handles a lone carriage return, DEL and C1 codes", () => {
  assertEquals(sanitizeForTerminal("abc\rX"), "abc\u240dX");
  assertEquals(sanitizeForTerminal("a\x7fb"), "a\u2421b");
  assertEquals(sanitizeForTerminal("a\x9b31mb"), "a\ufffd31mb");
});

Deno.test("sanitizeForTerminal() handles bidirectional overrides and isolates", () => {
  assertEquals(
    sanitizeForTerminal("a\u202ab\u202bc\u202cd\u202de\u202ef"),
    "a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf",
  );
  assertEquals(sanitizeForTerminal("\u2066x\u2067y\u2068z\u2069"), "\ufffdx\ufffdy\ufffdz\ufffd");
  // Right-to-left text itself and the marks next to the ranges are not controls.
  assertEquals(sanitizeForTerminal("שלום \u200f\u2029\u2065"), "שלום \u200f\u2029\u2065");
});

Deno.test("safeFor() handles a terminal by sanitising and a pipe by leaving bytes alone", () => {
  const text = "name\x1b]52;c;cm0=\x07\u202e";
  assertEquals(safeFor({ isTerminal: true }, text), "name\u241b]52;c;cm0=\u2407\ufffd");
  assertEquals(safeFor({ isTerminal: false }, text), text);
});

Deno.test("escapeControls() handles controls and bidi by writing them as escapes on one line", () => {
  assertEquals(escapeControls("http://a\nb\tc\rd"), "http://a\\nb\\tc\\rd");
  assertEquals(escapeControls("x\x1b[2Jy\x7f\x9b"), "x\\x1b[2Jy\\x7f\\x9b");
  assertEquals(escapeControls("e\u202ef"), "e\\u202ef");
  assertEquals(escapeControls("plain: ünïcode ✓"), "plain: ünïcode ✓");
});
