/**
 * Keys typed while a slash command waits for the server (/show, /list) are neither echoed into
 * its output nor lost: the next prompt reads them, as it does for keys typed during an answer.
 * In a real pseudo-terminal (tmux) against the fake server, whose /api/show is held until the
 * keys were typed.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { poll, startDollama } from "../support/tmux.ts";

Deno.test("repl: keys typed while /show waits are not echoed into its output, and come back at the prompt", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  let shows = 0;
  const server = new FakeOllama({
    models: [{ name: "llama3:latest", reply: "Hi there." }],
    handler: async (req) => {
      // The first /api/show is the start-up's; the second is /show license's.
      if (req.path === "/api/show" && ++shows === 2) await released;
      return undefined;
    },
  });
  const term = await startDollama(["run", "llama3"], { host: server.url });
  try {
    await term.waitFor(/^>>>/m);
    await term.sendText("/show license");
    await term.sendKeys("Enter");
    await poll(
      () => Promise.resolve(shows === 2 ? true : undefined),
      15_000,
      () => Promise.resolve("/show never asked the server"),
    );
    await term.sendText("typed ahead");
    // Give the terminal every chance to echo the keys before the answer comes.
    await poll(
      async () => (await term.capture()).includes("typed ahead") ? true : undefined,
      300,
      () => Promise.resolve(""),
    ).catch(() => undefined);
    release();
    const screen = await term.waitFor(/>>> typed ahead/);
    assertStringIncludes(
      screen,
      ">>> /show license\nNo license was specified for this model.\n>>> typed ahead",
    );
    await term.sendKeys("C-u", "C-d");
    assertEquals(await term.waitForExit(), 0);
  } finally {
    release();
    await term.kill();
    await server.close();
  }
});
