/**
 * OllamaClient's streams: what they mean (events, progress) handed over one batch per network
 * read, the final object ending the stream, a broken line after what came before it, and the
 * body cancelled when nobody reads it any more.
 */
import { assertEquals, assertRejects } from "../support/assert.ts";
import { OllamaClient, type Streamed } from "../../lib/api/client.ts";
import type { StreamEvent } from "../../lib/api/events.ts";
import { StreamError } from "../../lib/api/errors.ts";

/**
 * A byte stream that delivers `reads` one per pull, then more of `forever` if given; `log` notes
 * each read, the end and a cancel, and `onCancel` runs on a cancel.
 */
function body(
  reads: string[],
  log: string[],
  forever?: string,
  onCancel?: () => void,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const left = [...reads];
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const next = left.shift() ?? forever;
      log.push(next === undefined ? "end" : "read");
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
    cancel() {
      log.push("cancelled");
      onCancel?.();
    },
  });
}

/** A client whose requests all go to `fetch`. */
function clientWith(fetch: () => Promise<Response>): OllamaClient {
  return new OllamaClient({ baseUrl: "http://127.0.0.1:1", userAgent: "t", fetch });
}

/** A client whose every request is answered with `stream` as a 200 body. */
function clientFor(stream: ReadableStream<Uint8Array>): OllamaClient {
  return clientWith(() => Promise.resolve(new Response(stream)));
}

const line = (object: unknown) => JSON.stringify(object) + "\n";

/** Every batch, copied as it came (the client refills one array). */
async function batches<T>(stream: Streamed<T>): Promise<T[][]> {
  const seen: T[][] = [];
  await stream.each((batch) => {
    seen.push([...batch]);
    return undefined;
  });
  return seen;
}

Deno.test("a stream hands over one batch of events per network read, in order", async () => {
  const log: string[] = [];
  const reads = [
    line({ response: "a" }) + line({ thinking: "t", response: "b" }),
    line({ response: "c", done: true, done_reason: "stop", eval_count: 3 }),
  ];
  const seen = await batches(clientFor(body(reads, log)).generate({ model: "m" }));
  const expected: StreamEvent[][] = [
    [
      { type: "content", text: "a" },
      { type: "thinking", text: "t" },
      { type: "content", text: "b" },
    ],
    [{ type: "content", text: "c" }, { type: "done", metrics: { eval_count: 3 }, reason: "stop" }],
  ];
  assertEquals(seen, expected);
});

Deno.test("an error line ends the stream after what the same read brought before it", async () => {
  const seen: StreamEvent[][] = [];
  const stream = clientFor(body([line({ response: "kept" }) + line({ error: "boom" })], []))
    .generate({ model: "m" });
  await assertRejects(
    () =>
      stream.each((batch) => {
        seen.push([...batch]);
        return undefined;
      }),
    (err) => assertEquals([err instanceof StreamError, (err as Error).message], [true, "boom"]),
  );
  assertEquals(seen, [[{ type: "content", text: "kept" }]]);
});

Deno.test("a line that is not JSON ends the stream after what came before it", async () => {
  const seen: StreamEvent[][] = [];
  const reads = [line({ message: { role: "assistant", content: "kept" } }) + "<html>\n"];
  const stream = clientFor(body(reads, [])).chat({ model: "m", messages: [] });
  await assertRejects(
    () =>
      stream.each((batch) => {
        seen.push([...batch]);
        return undefined;
      }),
    (err) => assertEquals((err as Error).message, "<html>"),
  );
  assertEquals(seen, [[{ type: "content", text: "kept" }]]);
});

Deno.test("the final object ends the stream: what follows it is not read as part of it", async () => {
  const log: string[] = [];
  const reads = [line({ response: "a", done: true }) + "not json\n", "more garbage\n"];
  const seen = await batches(clientFor(body(reads, log)).generate({ model: "m" }));
  assertEquals(seen, [[{ type: "content", text: "a" }, {
    type: "done",
    metrics: {},
    reason: undefined,
  }]]);
});

Deno.test("after its final object, a body that keeps sending is cancelled after a few reads", async () => {
  const log: string[] = [];
  const { promise: cancelled, resolve } = Promise.withResolvers<void>();
  const stream = body([line({ response: "a", done: true })], log, line({ response: "x" }), resolve);
  const seen = await batches(clientFor(stream).generate({ model: "m" }));
  assertEquals(seen.length, 1);
  // The rest is read in the background, until the client gives up on it.
  await cancelled;
  const reads = log.filter((entry) => entry === "read").length;
  assertEquals(reads <= 1 + 8 + 2, true, `read ${reads} times`);
});

Deno.test("a handler that throws stops the stream, cancels the body, and its error comes out as it is", async () => {
  const log: string[] = [];
  const reads = [line({ response: "a" }), line({ response: "b", done: true })];
  const seen: StreamEvent[][] = [];
  const thrown = new TypeError("the renderer's own");
  const err = await clientFor(body(reads, log)).generate({ model: "m" }).each((batch) => {
    seen.push([...batch]);
    throw thrown;
  }).catch((e) => e);
  // A TypeError from the reading would become "the connection broke"; the handler's is its own.
  assertEquals(err === thrown, true);
  assertEquals(seen, [[{ type: "content", text: "a" }]]);
  assertEquals(log.at(-1), "cancelled");
});

Deno.test("a handler's promise is waited for before the next read", async () => {
  const log: string[] = [];
  const reads = [line({ response: "a" }), line({ response: "b", done: true })];
  await clientFor(body(reads, log)).generate({ model: "m" }).each(async (batch) => {
    log.push(`handling ${batch.length}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    log.push("handled");
  });
  // (The body's end is then read in the background, after the final object.)
  assertEquals(log.slice(0, 6), [
    "read",
    "handling 1",
    "handled",
    "read",
    "handling 2",
    "handled",
  ]);
});

Deno.test("the request goes out when the stream is made, before anything reads it", async () => {
  let requested = 0;
  const client = clientWith(() => {
    requested++;
    return Promise.resolve(new Response(body([line({ response: "a", done: true })], [])));
  });
  const stream = client.generate({ model: "m" });
  assertEquals(requested, 1);
  assertEquals((await batches(stream)).length, 1);
});

Deno.test("a request that fails before anything reads it fails the reading, not the process", async () => {
  const client = clientWith(() => Promise.reject(new TypeError("connection refused")));
  const stream = client.generate({ model: "m" });
  // Nobody reads yet: an unhandled rejection here would fail the test run.
  await new Promise((resolve) => setTimeout(resolve, 10));
  await assertRejects(() => batches(stream), (err) => {
    assertEquals((err as Error).message.startsWith("could not connect"), true);
  });
});

Deno.test("a pull hands over its progress in batches, up to its success", async () => {
  const reads = [
    line({ status: "pulling manifest" }) + line({ status: "verifying" }),
    line({ status: "success" }),
  ];
  const seen = await batches(clientFor(body(reads, [])).pull({ model: "m" }));
  assertEquals(seen, [[{ status: "pulling manifest" }, { status: "verifying" }], [{
    status: "success",
  }]]);
});
