import { assert, assertEquals } from "../support/assert.ts";
import { BufferOutput } from "../../lib/io.ts";
import {
  type IntervalTimer,
  Spinner,
  SPINNER_ERASE,
  spinnerFrame,
  spinnerText,
} from "../../lib/render/spinner.ts";

/** A timer that only fires when the test says so. */
class ManualTimer implements IntervalTimer {
  callbacks = new Map<number, () => void>();
  intervals: number[] = [];
  #next = 1;
  setInterval(callback: () => void, ms: number): number {
    const id = this.#next++;
    this.callbacks.set(id, callback);
    this.intervals.push(ms);
    return id;
  }
  clearInterval(id: unknown): void {
    this.callbacks.delete(id as number);
  }
  fire(times = 1): void {
    for (let i = 0; i < times; i++) for (const cb of [...this.callbacks.values()]) cb();
  }
}

const ESC = "\x1b";

Deno.test("spinnerText() shows the message, a frame and one trailing space", () => {
  assertEquals(spinnerText("pulling manifest", 0), "pulling manifest ⠋ ");
  assertEquals(spinnerText("  padded  ", 1), "padded ⠙ ");
});

Deno.test("spinnerText() without a message is just the frame and a space", () => {
  assertEquals(spinnerText("", 2), "⠹ ");
});

Deno.test("spinnerText() cycles through the ten braille frames", () => {
  const frames = Array.from({ length: 11 }, (_, i) => spinnerText("", i).trim());
  assertEquals(frames.join(""), "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏⠋");
});

Deno.test("spinnerFrame() returns to column 0 and erases the rest of the line", () => {
  assertEquals(spinnerFrame("loading", 3), `\rloading ⠸ ${ESC}[K`);
});

Deno.test("Spinner draws frames on each tick with the cursor hidden", async () => {
  const out = new BufferOutput(true, 80);
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: out, message: "loading", timer });
  spinner.start();
  assertEquals(timer.intervals, [100]);
  timer.fire(3);
  await spinner.stop();
  assertEquals(
    out.text,
    `${ESC}[?25l\rloading ⠋ ${ESC}[K\rloading ⠙ ${ESC}[K\rloading ⠹ ${ESC}[K` +
      `\r${ESC}[K${ESC}[?25h`,
  );
});

Deno.test("Spinner.stop() erases the line and shows the cursor again", async () => {
  const out = new BufferOutput(true, 80);
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: out, timer });
  spinner.start();
  timer.fire();
  await spinner.stop();
  assert(out.text.endsWith(SPINNER_ERASE), JSON.stringify(out.text));
  assertEquals(SPINNER_ERASE, `\r${ESC}[K${ESC}[?25h`);
  assertEquals(timer.callbacks.size, 0, "the interval is cleared");
});

Deno.test("Spinner.stop() is idempotent", async () => {
  const out = new BufferOutput(true, 80);
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: out, timer });
  spinner.start();
  timer.fire();
  await spinner.stop();
  const once = out.text;
  await spinner.stop();
  spinner.tick();
  assertEquals(out.text, once);
});

Deno.test("Spinner.stop() before start() writes nothing and start() after it does nothing", async () => {
  const out = new BufferOutput(true, 80);
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: out, timer });
  await spinner.stop();
  spinner.start();
  timer.fire(2);
  assertEquals(out.text, "");
  assertEquals(timer.intervals, []);
});

Deno.test("Spinner stopped before its first tick leaves no trace", async () => {
  const out = new BufferOutput(true, 80);
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: out, message: "loading", timer });
  spinner.start();
  await spinner.stop();
  assertEquals(out.text, "");
});

Deno.test("Spinner writes nothing at all when the output is not a terminal", async () => {
  const out = new BufferOutput(false);
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: out, message: "loading", timer });
  spinner.start();
  timer.fire(5);
  spinner.tick();
  await spinner.stop();
  assertEquals(out.text, "");
  assertEquals(timer.intervals, [], "no timer is even started");
});

Deno.test("Spinner.setMessage() changes the text of the next frame", async () => {
  const out = new BufferOutput(true, 80);
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: out, message: "a", timer });
  spinner.start();
  timer.fire();
  spinner.setMessage("bb");
  timer.fire();
  await spinner.stop();
  assertEquals(
    out.text,
    `${ESC}[?25l\ra ⠋ ${ESC}[K\rbb ⠙ ${ESC}[K${SPINNER_ERASE}`,
  );
});

Deno.test("Spinner honours a custom interval", async () => {
  const timer = new ManualTimer();
  const spinner = new Spinner({ output: new BufferOutput(true, 80), timer, intervalMs: 250 });
  spinner.start();
  await spinner.stop();
  assertEquals(timer.intervals, [250]);
});

Deno.test("Spinner with the real timer stops cleanly", async () => {
  // No assertion on timing: only that a real interval is cleared (Deno's leak check fails the
  // test otherwise) and the cursor ends visible if anything was drawn.
  const out = new BufferOutput(true, 80);
  const spinner = new Spinner({ output: out, message: "x" });
  spinner.start();
  await spinner.stop();
  assert(out.text === "" || out.text.endsWith(SPINNER_ERASE));
});
