import { assertEquals } from "../support/assert.ts";
import { BufferOutput, type Output } from "../../lib/io.ts";
import { Coalescer } from "../../lib/render/coalesce.ts";
import { HeldOutput } from "../../lib/render/held_response.ts";

/** An output that logs each write as `name:text`, to see both order and batching. */
function logging(name: string, log: string[]): Output {
  return {
    isTerminal: true,
    columns: () => 80,
    write(chunk) {
      const text = typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      log.push(`${name}:${text}`);
      return Promise.resolve();
    },
  };
}

Deno.test("Coalescer handles the first write at once, then joins a burst", async () => {
  let now = 0;
  const log: string[] = [];
  const out = logging("out", log);
  const c = new Coalescer({ intervalMs: 8, now: () => now });
  await c.write(out, "a");
  assertEquals(log, ["out:a"]);
  now = 1;
  await c.write(out, "b");
  await c.write(out, "c");
  assertEquals(log, ["out:a"]);
  await c.flush();
  assertEquals(log, ["out:a", "out:bc"]);
});

Deno.test("Coalescer handles a pause: the waiting text is written by the timer", async () => {
  const out = new BufferOutput();
  const c = new Coalescer({ intervalMs: 5 });
  await c.write(out, "first ");
  await c.write(out, "second");
  assertEquals(out.text, "first ");
  await new Promise((r) => setTimeout(r, 30));
  assertEquals(out.text, "first second");
});

Deno.test("Coalescer handles two streams in the order they were written", async () => {
  let now = 0;
  const log: string[] = [];
  const [out, err] = [logging("out", log), logging("err", log)];
  const c = new Coalescer({ now: () => now });
  await c.write(out, "x");
  now = 1;
  await c.write(err, "1");
  await c.write(out, "y");
  await c.write(out, "z");
  await c.write(err, "2");
  await c.flush();
  assertEquals(log, ["out:x", "err:1", "out:yz", "err:2"]);
});

Deno.test("Coalescer handles a large backlog by writing without waiting", async () => {
  const log: string[] = [];
  const out = logging("out", log);
  const c = new Coalescer({ maxPending: 4, now: () => 0 });
  await c.write(out, "ab");
  await c.write(out, "cd");
  await c.write(out, "ef");
  assertEquals(log, ["out:ab", "out:cdef"]);
  await c.flush();
});

Deno.test("Coalescer handles a failing write by reporting it to the next caller", async () => {
  const broken: Output = {
    isTerminal: false,
    columns: () => undefined,
    write: () => Promise.reject(new Error("broken pipe")),
  };
  const c = new Coalescer({ intervalMs: 1 });
  let message = "";
  try {
    await c.write(broken, "x");
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message, "broken pipe");
});

Deno.test("Coalescer reuses its blocks without changing text an Output was given", async () => {
  // HeldOutput keeps what it is given until release: the block written to it is reused for the
  // next flush, so it must have kept a copy.
  const target = new BufferOutput();
  const held = new HeldOutput(target);
  const c = new Coalescer({ maxPending: 4, now: () => 0 });
  const words = ["été ", "naïf ", "ab ", "日本語 ", "end"];
  for (const word of words) await c.write(held, word);
  await c.flush();
  await held.release();
  assertEquals(target.text, words.join(""));
});

Deno.test("Coalescer writes text longer than a block whole", async () => {
  const out = new BufferOutput();
  const c = new Coalescer({ now: () => 0 });
  const long = "€".repeat(5000);
  await c.write(out, "a");
  await c.write(out, long);
  await c.flush();
  assertEquals(out.text, "a" + long);
});

Deno.test("Coalescer keeps a surrogate pair split across writes whole", async () => {
  const log: string[] = [];
  const [out, err] = [logging("out", log), logging("err", log)];
  const c = new Coalescer({ now: () => 0 });
  await c.write(out, "smile \ud83d");
  await c.write(out, "\ude00!");
  await c.flush();
  // A half that nothing completes is written as it is, as TextEncoder writes it.
  await c.write(out, "\ud83d");
  await c.write(err, "e");
  await c.write(out, "x\ud83d");
  await c.flush();
  assertEquals(log, ["out:smile ", "out:\u{1f600}!", "out:\ufffd", "err:e", "out:x\ufffd"]);
});
