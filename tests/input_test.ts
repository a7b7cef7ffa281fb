import fc from "fast-check";
import { assertEquals } from "./support/assert.ts";
import { CliError, Interrupted } from "../lib/errors.ts";
import type { Input } from "../lib/io.ts";
import {
  decodeAndRelease,
  inputChunks,
  inputText,
  readHead,
  readWhole,
  stdinError,
} from "../lib/input.ts";

/** An input holding `bytes` whose reads give at most `sizes[i]` bytes each, in turn. */
function scripted(bytes: Uint8Array, sizes: number[] = [7]): Input & { reads: number } {
  let at = 0;
  let turn = 0;
  return {
    isTerminal: false,
    reads: 0,
    read(into) {
      this.reads++;
      if (at >= bytes.length) return Promise.resolve(null);
      const size = Math.min(sizes[turn++ % sizes.length], into.length, bytes.length - at);
      into.set(bytes.subarray(at, at + size));
      at += size;
      return Promise.resolve(size);
    },
  };
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

Deno.test("readHead() of an empty input reads once and holds nothing", async () => {
  const input = scripted(new Uint8Array(0));
  const head = await readHead(input, 100);
  assertEquals([head.bytes.length, head.ended, input.reads], [0, true, 1]);
});

Deno.test("readHead() stops at its limit and leaves the rest for readWhole()", async () => {
  const input = scripted(bytesOf("abcdefghij"), [3]);
  const head = await readHead(input, 4);
  assertEquals([new TextDecoder().decode(head.bytes), head.ended], ["abcd", false]);
  assertEquals(new TextDecoder().decode(await readWhole(input, head)), "abcdefghij");
});

Deno.test("readHead() says the input ended when it ended within the limit", async () => {
  const head = await readHead(scripted(bytesOf("abc"), [2]), 4);
  assertEquals([new TextDecoder().decode(head.bytes), head.ended], ["abc", true]);
});

Deno.test("inputText() decodes a character split between the head and the next read", async () => {
  const bytes = bytesOf("ab😀c");
  // The head ends inside the emoji's four bytes; the reads go on one byte at a time.
  const input = scripted(bytes, [1]);
  const head = await readHead(input, 4);
  const text = (await collect(inputText(head.bytes, inputChunks(input), " tail"))).join("");
  assertEquals(text, "ab😀c tail");
});

Deno.test("inputText() gives invalid UTF-8 as U+FFFD, as a whole decode does", async () => {
  const bytes = new Uint8Array([0x61, 0xff, 0xe6, 0x97, 0x62]);
  const input = scripted(bytes, [1]);
  const head = await readHead(input, 2);
  const text = (await collect(inputText(head.bytes, inputChunks(input)))).join("");
  assertEquals(text, "a\ufffd\ufffdb");
});

Deno.test("property: head, then whole or chunks, give back every byte in order", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uint8Array({ maxLength: 300 }),
      fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 5 }),
      fc.integer({ min: 1, max: 200 }),
      fc.boolean(),
      async (bytes, sizes, limit, whole) => {
        const input = scripted(bytes, sizes);
        const head = await readHead(input, limit);
        assertEquals(head.bytes, bytes.slice(0, Math.min(limit, bytes.length)));
        assertEquals(head.ended, bytes.length < limit);
        if (whole) {
          assertEquals(await readWhole(input, head), bytes);
        } else {
          const text = (await collect(inputText(head.bytes.slice(), inputChunks(input), "!")))
            .join("");
          assertEquals(text, new TextDecoder().decode(bytes) + "!");
        }
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("readWhole() without a head reads the input to its end", async () => {
  const text = "x".repeat(100_000) + "é";
  assertEquals(new TextDecoder().decode(await readWhole(scripted(bytesOf(text), [4096]))), text);
});

Deno.test("decodeAndRelease() decodes, and gives a resizable buffer's memory back", () => {
  const buffer = new ArrayBuffer(3, { maxByteLength: 16 });
  new Uint8Array(buffer).set(bytesOf("abc"));
  assertEquals(decodeAndRelease(new Uint8Array(buffer)), "abc");
  assertEquals(buffer.byteLength, 0);
});

Deno.test("stdinError() names stdin, and passes Ctrl+C and finished messages through", () => {
  const directory = stdinError(new Error("Is a directory (os error 21)"));
  assertEquals(
    [directory instanceof CliError, directory.message],
    [true, "stdin is a directory, not a file: cannot read a prompt from it"],
  );
  assertEquals(
    stdinError(new Error("Input/output error (os error 5)")).message,
    "could not read stdin: input/output error",
  );
  const interrupted = new Interrupted();
  assertEquals(stdinError(interrupted), interrupted);
  const done = new CliError("already said");
  assertEquals(stdinError(done), done);
});
