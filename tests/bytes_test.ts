/** joinBytes: the parts end to end, in a new array the parts do not share. */
import { assertEquals } from "./support/assert.ts";
import { joinBytes } from "../lib/bytes.ts";

Deno.test("joinBytes puts the parts end to end, empty ones included", () => {
  const joined = joinBytes([
    new Uint8Array([1, 2]),
    new Uint8Array([]),
    new Uint8Array([3]),
    new Uint8Array([4, 5, 6]),
  ]);
  assertEquals(joined, new Uint8Array([1, 2, 3, 4, 5, 6]));
});

Deno.test("joinBytes of nothing is an empty array", () => {
  assertEquals(joinBytes([]), new Uint8Array([]));
});

Deno.test("joinBytes copies: changing a part later leaves the result alone", () => {
  const part = new Uint8Array([7, 8]);
  const joined = joinBytes([part]);
  part[0] = 0;
  assertEquals(joined, new Uint8Array([7, 8]));
});

Deno.test("joinBytes takes views at their offset, not their whole buffer", () => {
  const buffer = new Uint8Array([9, 1, 2, 9]);
  assertEquals(
    joinBytes([buffer.subarray(1, 3), buffer.subarray(0, 1)]),
    new Uint8Array([1, 2, 9]),
  );
});
