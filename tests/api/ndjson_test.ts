import { assertEquals, assertRejects } from "../support/assert.ts";
import { LineTooLongError, splitLines } from "../../lib/api/ndjson.ts";

async function* chunksOf(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.slice(at, cut);
    at = cut;
  }
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of it) out.push(line);
  return out;
}

/** A small seeded generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

const LINES = [
  '{"response":"héllo wörld"}',
  '{"response":"日本語のテキスト"}',
  '{"response":"emoji 👩‍👩‍👧 family"}',
  '{"done":true}',
];
const BYTES = new TextEncoder().encode(LINES.join("\n") + "\n");

Deno.test("splitLines() handles every single cut point, including inside UTF-8 characters", async () => {
  for (let cut = 0; cut <= BYTES.length; cut++) {
    assertEquals(await collect(splitLines(chunksOf(BYTES, [cut]))), LINES, `cut at ${cut}`);
  }
});

Deno.test("splitLines() handles random chunk boundaries", async () => {
  const random = rng(42);
  for (let round = 0; round < 200; round++) {
    const cuts = [
      ...new Set(
        Array.from(
          { length: 1 + Math.floor(random() * 12) },
          () => Math.floor(random() * BYTES.length),
        ),
      ),
    ].sort((a, b) => a - b);
    assertEquals(await collect(splitLines(chunksOf(BYTES, cuts))), LINES, `cuts ${cuts}`);
  }
});

Deno.test("splitLines() handles one byte at a time", async () => {
  const cuts = Array.from({ length: BYTES.length - 1 }, (_, i) => i + 1);
  assertEquals(await collect(splitLines(chunksOf(BYTES, cuts))), LINES);
});

Deno.test("splitLines() handles a last line without a newline, CRLF and blank lines", async () => {
  const bytes = new TextEncoder().encode('{"a":1}\r\n\n{"b":2}');
  assertEquals(await collect(splitLines(chunksOf(bytes, [3]))), ['{"a":1}', '{"b":2}']);
});

Deno.test("splitLines() handles a 9 MB line arriving in 64 KiB chunks", async () => {
  const big = `{"response":"${"x".repeat(9_000_000)}"}`;
  const bytes = new TextEncoder().encode(`${big}\n{"done":true}\n`);
  const cuts: number[] = [];
  for (let at = 65536; at < bytes.length; at += 65536) cuts.push(at);
  const lines = await collect(splitLines(chunksOf(bytes, cuts)));
  assertEquals(lines.length, 2);
  assertEquals(lines[0].length, big.length);
  assertEquals(lines[1], '{"done":true}');
});

Deno.test("splitLines() refuses a line over its limit", async () => {
  const bytes = new TextEncoder().encode("x".repeat(100));
  await assertRejects(
    () => collect(splitLines(chunksOf(bytes, [10, 20, 30]), 50)),
    (err) => assertEquals(err instanceof LineTooLongError, true),
  );
});
