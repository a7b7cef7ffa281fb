import { assertEquals } from "../support/assert.ts";
import { BufferOutput } from "../../lib/io.ts";
import { PLAIN, STYLED, styleFor, styleIf } from "../../lib/term/style.ts";

Deno.test("styleFor() styles a terminal unless colour is turned off", () => {
  assertEquals(styleFor(new BufferOutput(true, 80), false), STYLED);
  assertEquals(styleFor(new BufferOutput(true, 80), true), PLAIN);
  assertEquals(styleFor(new BufferOutput(false), false), PLAIN);
  assertEquals(styleIf(true), STYLED);
  assertEquals(styleIf(false), PLAIN);
});

Deno.test("STYLED wraps text in its sequence and a reset", () => {
  assertEquals(STYLED.enabled, true);
  assertEquals(STYLED.bold("b"), "\x1b[1mb\x1b[0m");
  assertEquals(STYLED.grey("g"), "\x1b[38;5;245mg\x1b[0m");
  assertEquals(STYLED.darkGrey("d"), "\x1b[90md\x1b[0m");
  assertEquals(STYLED.white("w"), "\x1b[37mw\x1b[0m");
});

Deno.test("PLAIN returns text unchanged", () => {
  assertEquals(PLAIN.enabled, false);
  assertEquals([PLAIN.bold("b"), PLAIN.grey("g"), PLAIN.darkGrey("d"), PLAIN.white("w")], [
    "b",
    "g",
    "d",
    "w",
  ]);
});
