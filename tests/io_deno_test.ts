import { assertEquals } from "./support/assert.ts";
import { fileOutput, onTerminate } from "../lib/io_deno.ts";

function fakeFile(isTerminal: boolean) {
  return { write: (p: Uint8Array) => Promise.resolve(p.length), isTerminal: () => isTerminal };
}

Deno.test("fileOutput asks a terminal's width again only once the last answer is 100 ms old", () => {
  let width = 80;
  let asked = 0;
  let now = 1_000;
  const out = fileOutput(fakeFile(true), () => (asked++, width), () => now);
  assertEquals(out.columns(), 80);
  width = 40;
  now += 99;
  assertEquals(out.columns(), 80);
  assertEquals(asked, 1);
  now += 1;
  assertEquals(out.columns(), 40);
  assertEquals(asked, 2);
  // A clock that went back (the system time was set) does not freeze the width.
  width = 60;
  now -= 5_000;
  assertEquals(out.columns(), 60);
});

Deno.test("fileOutput has no width when it is not a terminal, and does not ask", () => {
  let asked = 0;
  const out = fileOutput(fakeFile(false), () => (asked++, 80), () => 0);
  assertEquals(out.columns(), undefined);
  assertEquals(asked, 0);
});

Deno.test({
  name:
    "onTerminate listens for SIGTERM, SIGHUP and SIGQUIT, and a signal the runtime refuses is skipped, not thrown",
  ignore: Deno.build.os === "windows",
  fn: () => {
    const added: string[] = [];
    const removed: string[] = [];
    const add = Deno.addSignalListener;
    const remove = Deno.removeSignalListener;
    // Stand-ins for the runtime's, so no real listener is left behind by the test.
    Deno.addSignalListener = (signal: Deno.Signal) => {
      if (signal === "SIGHUP") throw new TypeError(`Binding to signal '${signal}' is not allowed`);
      added.push(signal);
    };
    Deno.removeSignalListener = (signal: Deno.Signal) => void removed.push(signal);
    try {
      const stop = onTerminate(() => Promise.resolve());
      assertEquals(added, ["SIGTERM", "SIGQUIT"]);
      stop();
      assertEquals(removed, ["SIGTERM", "SIGQUIT"]);
    } finally {
      Deno.addSignalListener = add;
      Deno.removeSignalListener = remove;
    }
  },
});
