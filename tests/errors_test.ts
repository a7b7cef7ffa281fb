import { assertEquals } from "./support/assert.ts";
import { osReason } from "../lib/errors.ts";

Deno.test("osReason() says a Deno I/O error in the user's words", () => {
  assertEquals(
    osReason(new Error("Not a directory (os error 20): mkdir '/tmp/x/dollama'")),
    "not a directory: /tmp/x/dollama",
  );
  assertEquals(
    osReason(new Error("No such device or address (os error 6): open '/dev/tty'")),
    "no such device or address: /dev/tty",
  );
  assertEquals(osReason(new Error("Permission denied (os error 13)")), "permission denied");
  assertEquals(osReason(new Error("something else")), "something else");
  assertEquals(osReason("a string"), "a string");
});
