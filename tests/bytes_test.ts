/** joinBytes: the parts end to end, in a new array the parts do not share. */
import { assertEquals } from "./support/assert.ts";
import fc from "fast-check";
import { encodeInto, GrowingBytes, joinBytes } from "../lib/bytes.ts";

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

Deno.test("GrowingBytes keeps what was committed, growing by doubling up to its limit", () => {
  const bytes = new GrowingBytes(10_000, 16);
  let room = bytes.room(3);
  assertEquals(room.length, 16); // the first growth
  room.set([1, 2, 3]);
  bytes.commit(3);
  room = bytes.room(20);
  assertEquals(room.length, 29); // 3 + 20 needed, 32 by doubling: 29 free
  room.set([4]);
  bytes.commit(1);
  assertEquals(bytes.length, 4);
  assertEquals(bytes.bytes(), new Uint8Array([1, 2, 3, 4]));
  assertEquals(bytes.trimmed(), new Uint8Array([1, 2, 3, 4]));
});

Deno.test("GrowingBytes stops at its limit: the room shrinks to nothing", () => {
  const bytes = new GrowingBytes(8, 4);
  assertEquals(bytes.room(100).length, 8);
  bytes.commit(8);
  assertEquals(bytes.room(1).length, 0);
});

Deno.test("GrowingBytes.release empties it and gives the buffer back; it can grow again", () => {
  const bytes = new GrowingBytes(1000, 16);
  const view = bytes.room(100);
  bytes.commit(5);
  bytes.release();
  assertEquals(bytes.length, 0);
  assertEquals(view.length, 0); // the old view now sees an empty buffer
  bytes.room(2).set([7, 8]);
  bytes.commit(2);
  assertEquals(bytes.bytes(), new Uint8Array([7, 8]));
});

Deno.test("encodeInto writes ASCII, multi-byte text and a lone surrogate from an offset", () => {
  const buffer = new Uint8Array(16).fill(0xee);
  assertEquals(encodeInto("hi", buffer, 1), 3);
  assertEquals(encodeInto("é€", buffer, 3), 8);
  assertEquals(encodeInto("\ud800", buffer, 8), 11);
  assertEquals(
    buffer,
    new Uint8Array([
      0xee,
      0x68,
      0x69,
      0xc3,
      0xa9,
      0xe2,
      0x82,
      0xac,
      0xef,
      0xbf,
      0xbd,
      0xee,
      0xee,
      0xee,
      0xee,
      0xee,
    ]),
  );
});

Deno.test("encodeInto gives TextEncoder's bytes for any text, short or long", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 100 }), fc.nat(8), (text, at) => {
      const buffer = new Uint8Array(at + text.length * 3);
      const end = encodeInto(text, buffer, at);
      assertEquals(buffer.subarray(at, end), new TextEncoder().encode(text));
    }),
  );
});
