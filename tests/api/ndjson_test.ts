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

// ---------------------------------------------------------------------------------------------
// Properties: however the bytes are cut, the lines are those of the whole buffer split at once.

import fc from "fast-check";
import { BodyLines, LineSplitter } from "../../lib/api/ndjson.ts";

/** The lines of a body, read with `BodyLines` to its end. */
async function readAllLines(body: ReadableStream<Uint8Array>, maxLineLength?: number) {
  const reader = new BodyLines(body, maxLineLength);
  const lines: string[] = [];
  while (true) {
    const result = await reader.read();
    reader.take(result, lines);
    if (result.done) return lines;
  }
}

const encoder = new TextEncoder();

/** The lines of a whole buffer, split the plain way: the reference the splitter must match. */
function referenceLines(bytes: Uint8Array): string[] {
  return new TextDecoder().decode(bytes).split("\n")
    .map((line) => line.endsWith("\r") ? line.slice(0, -1) : line)
    .filter((line) => line !== "");
}

/** Text made of pieces that stress the splitter: multi-byte characters, CR, LF, blank lines. */
const lineText = fc.array(
  fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 8 }),
    fc.constantFrom("\n", "\r\n", "\n\n", "\r", "é", "日本", "👩‍👩‍👧", '{"response":"x"}'),
  ),
  { maxLength: 40 },
).map((parts) => encoder.encode(parts.join("")));

/** Sorted distinct cut positions inside `length` bytes. */
function cutsFor(length: number) {
  return fc.uniqueArray(fc.nat({ max: Math.max(0, length) }), { maxLength: 30 })
    .map((cuts) => cuts.sort((a, b) => a - b));
}

Deno.test("property: any chunking of a buffer gives the lines of splitting it whole", async () => {
  await fc.assert(
    fc.asyncProperty(
      lineText.chain((bytes) => fc.tuple(fc.constant(bytes), cutsFor(bytes.length))),
      async ([bytes, cuts]) => {
        assertEquals(await collect(splitLines(chunksOf(bytes, cuts))), referenceLines(bytes));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("property: LineSplitter never keeps the caller's bytes, so a reused buffer is safe", () => {
  fc.assert(
    fc.property(
      lineText.chain((bytes) => fc.tuple(fc.constant(bytes), cutsFor(bytes.length))),
      ([bytes, cuts]) => {
        // One buffer for every piece, overwritten with junk after each push, as a BYOB read does.
        const buffer = new Uint8Array(bytes.length + 1);
        const splitter = new LineSplitter();
        const lines: string[] = [];
        let at = 0;
        for (const cut of [...cuts, bytes.length]) {
          const piece = buffer.subarray(0, cut - at);
          piece.set(bytes.subarray(at, cut));
          splitter.push(piece, lines);
          buffer.fill(0x0a);
          at = cut;
        }
        splitter.end(lines);
        assertEquals(lines, referenceLines(bytes));
      },
    ),
    { numRuns: 300 },
  );
});

/** A byte stream (as fetch bodies are) that enqueues `bytes` cut at `cuts`. */
function byteStream(bytes: Uint8Array, cuts: number[], onCancel?: () => void) {
  const pieces: Uint8Array[] = [];
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (cut > at) pieces.push(bytes.slice(at, cut));
    at = cut;
  }
  return new ReadableStream({
    type: "bytes",
    pull(controller: ReadableByteStreamController) {
      const next = pieces.shift();
      if (next !== undefined) return controller.enqueue(next);
      controller.close();
      // A pending BYOB read is only answered once the request is given back empty.
      controller.byobRequest?.respond(0);
    },
    cancel: onCancel,
  });
}

Deno.test("property: BodyLines over a byte stream gives the lines of splitting it whole", async () => {
  await fc.assert(
    fc.asyncProperty(
      lineText.chain((bytes) => fc.tuple(fc.constant(bytes), cutsFor(bytes.length))),
      async ([bytes, cuts]) => {
        assertEquals(await readAllLines(byteStream(bytes, cuts)), referenceLines(bytes));
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("BodyLines reads a 9 MB line through its 64 KiB buffer", async () => {
  const big = `{"response":"${"ü".repeat(4_500_000)}"}`;
  const bytes = encoder.encode(`{"a":1}\n${big}\r\n{"done":true}`);
  const cuts: number[] = [];
  for (let at = 1000; at < bytes.length; at += 100_003) cuts.push(at);
  const lines = await readAllLines(byteStream(bytes, cuts));
  assertEquals(lines.length, 3);
  assertEquals(lines[1] === big, true);
  assertEquals([lines[0], lines[2]], ['{"a":1}', '{"done":true}']);
});

Deno.test("BodyLines refuses a line over its limit", async () => {
  const bytes = encoder.encode(`${"x".repeat(100)}\n`);
  for (const cuts of [[], [10, 20, 30]]) {
    await assertRejects(
      () => readAllLines(byteStream(bytes, cuts), 50),
      (err) => assertEquals(err instanceof LineTooLongError, true),
    );
  }
});

Deno.test("BodyLines cancels the body when the reader stops early", async () => {
  let cancelled = false;
  const body = byteStream(encoder.encode("a\nb\nc\n"), [2, 4], () => cancelled = true);
  const reader = new BodyLines(body);
  const lines: string[] = [];
  reader.take(await reader.read(), lines);
  assertEquals(lines, ["a"]);
  await reader.cancel();
  assertEquals(cancelled, true);
});

Deno.test("BodyLines reads a stream that is not a byte stream", async () => {
  const pieces = [encoder.encode('{"a":1}\n{"b"'), encoder.encode(":2}\n")];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = pieces.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
  assertEquals(await readAllLines(body), ['{"a":1}', '{"b":2}']);
});

Deno.test("BodyLines over a real fetch body ends with AbortError when the request is aborted", async () => {
  const first = encoder.encode('{"response":"a"}\n');
  let release = () => {};
  const released = new Promise<void>((resolve) => release = resolve);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    () =>
      new Response(
        new ReadableStream({
          async pull(controller) {
            controller.enqueue(first);
            await released;
            controller.close();
          },
        }),
      ),
  );
  try {
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${server.addr.port}/`, {
      signal: controller.signal,
    });
    const seen: string[] = [];
    const reader = new BodyLines(response.body!);
    await assertRejects(async () => {
      while (true) {
        const result = await reader.read();
        reader.take(result, seen);
        if (result.done) return;
        controller.abort();
      }
    }, (err) => assertEquals((err as Error).name, "AbortError"));
    assertEquals(seen, ['{"response":"a"}']);
  } finally {
    release();
    await server.shutdown();
  }
});
