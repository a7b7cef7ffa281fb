import { assertEquals } from "./support/assert.ts";
import { startInterval, startTimer } from "../lib/timer.ts";

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
