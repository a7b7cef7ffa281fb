import { assertEquals } from "../support/assert.ts";
import { sanitizeForTerminal } from "../../lib/term/sanitize.ts";

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
