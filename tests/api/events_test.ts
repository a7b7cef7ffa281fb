import { assertEquals, assertRejects } from "../support/assert.ts";
import { startNow } from "../../lib/api/events.ts";

/** A stream that notes when its body starts and when it is finished with. */
function recorded(values: string[], failAt?: number) {
  const log: string[] = [];
  async function* stream(): AsyncGenerator<string> {
    log.push("started");
    try {
      for (let i = 0; i < values.length; i++) {
        await Promise.resolve();
        if (i === failAt) throw new Error(`broken at ${i}`);
        yield values[i];
      }
    } finally {
      log.push("finished");
    }
  }
  return { log, stream: stream() };
}

async function collect(it: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const value of it) out.push(value);
  return out;
}

Deno.test("startNow takes the first step before anything is asked for", () => {
  const { log, stream } = recorded(["a"]);
  startNow(stream);
  assertEquals(log, ["started"]);
});

Deno.test("startNow yields every value once, the first included, in order", async () => {
  const { log, stream } = recorded(["a", "b", "c"]);
  assertEquals(await collect(startNow(stream)), ["a", "b", "c"]);
  assertEquals(log, ["started", "finished"]);
});

Deno.test("startNow yields nothing for an empty stream", async () => {
  const { stream } = recorded([]);
  assertEquals(await collect(startNow(stream)), []);
});

Deno.test("startNow keeps a failed first step for the first next(), not as an unhandled rejection", async () => {
  const { stream } = recorded(["a"], 0);
  const started = startNow(stream);
  // Several turns of the event loop pass before anyone asks: an unhandled rejection would fail
  // this test here.
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  await assertRejects(() => collect(started), /^broken at 0$/);
});

Deno.test("startNow passes a later failure on", async () => {
  const { stream } = recorded(["a", "b"], 1);
  const seen: string[] = [];
  await assertRejects(
    async () => {
      for await (const value of startNow(stream)) seen.push(value);
    },
    /^broken at 1$/,
  );
  assertEquals(seen, ["a"]);
});

Deno.test("startNow ends the stream when the consumer stops early", async () => {
  const { log, stream } = recorded(["a", "b", "c"]);
  for await (const value of startNow(stream)) {
    assertEquals(value, "a");
    break;
  }
  assertEquals(log, ["started", "finished"]);
});
