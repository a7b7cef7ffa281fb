import { assertEquals } from "../support/assert.ts";
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
