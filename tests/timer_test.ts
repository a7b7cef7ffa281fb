import { assertEquals } from "./support/assert.ts";
import { boundedSignal, startInterval, startTimer } from "../lib/timer.ts";

/**
 * These timers do not keep the process alive, as the code that uses them always has a request
 * pending beside them; here a long ordinary timer stands in for that request.
 */
async function besideSomethingPending<T>(work: () => Promise<T>): Promise<T> {
  const keepAlive = setTimeout(() => {}, 60_000);
  try {
    return await work();
  } finally {
    clearTimeout(keepAlive);
  }
}

Deno.test("startTimer calls back once; a cancelled one never does", async () => {
  await besideSomethingPending(async () => {
    const calls: string[] = [];
    const cancel = startTimer(1, () => calls.push("cancelled"));
    cancel();
    await new Promise<void>((resolve) =>
      startTimer(5, () => {
        calls.push("fired");
        resolve();
      })
    );
    // The cancelled timer was due first: had it fired, it would be in the list by now.
    assertEquals(calls, ["fired"]);
  });
});

Deno.test("startInterval calls back again and again until it is cancelled", async () => {
  await besideSomethingPending(async () => {
    let ticks = 0;
    let stop = () => {};
    await new Promise<void>((resolve) => {
      stop = startInterval(1, () => {
        ticks++;
        if (ticks === 3) resolve();
      });
    });
    stop();
    const seen = ticks;
    // Another timer, later than the next tick would have been: no tick may come in between.
    await new Promise<void>((resolve) => startTimer(20, resolve));
    assertEquals(ticks, seen);
  });
});

Deno.test("boundedSignal aborts with a TimeoutError once its time is up", async () => {
  const caller = new AbortController();
  const bound = boundedSignal(caller.signal, 5);
  await besideSomethingPending(() =>
    new Promise<void>((resolve) =>
      bound.signal.addEventListener("abort", () => resolve(), { once: true })
    )
  );
  assertEquals(bound.timedOut(), true);
  assertEquals((bound.signal.reason as Error).name, "TimeoutError");
  bound.release();
});

Deno.test("boundedSignal follows the caller's abort, before or after, and not the other way", () => {
  const early = new AbortController();
  early.abort(new Error("early"));
  const before = boundedSignal(early.signal, 60_000);
  assertEquals((before.signal.reason as Error).message, "early");
  before.release();

  const caller = new AbortController();
  const bound = boundedSignal(caller.signal, 60_000);
  assertEquals(bound.signal.aborted, false);
  caller.abort(new Error("Ctrl+C"));
  assertEquals((bound.signal.reason as Error).message, "Ctrl+C");
  assertEquals(bound.timedOut(), false);
  bound.release();

  // Released: a later abort of the caller no longer reaches it.
  const other = new AbortController();
  const released = boundedSignal(other.signal, 60_000);
  released.release();
  other.abort();
  assertEquals(released.signal.aborted, false);
});
