/**
 * The chat survives a bad history file or home directory (docs/reliability.md, History file): it
 * starts, answers, and exits cleanly. What it says about the file is the history's own business
 * (tests/repl/history_test.ts); here only that nothing of it stops the chat.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { startDollama } from "../support/tmux.ts";

async function chatsWithHome(home: string): Promise<void> {
  const server = new FakeOllama({ models: [{ name: "m:latest", reply: "Still here." }] });
  const term = await startDollama(["run", "m"], {
    host: server.url,
    env: { HOME: home },
    cols: 80,
    rows: 20,
  });
  try {
    await term.waitFor(">>>");
    await term.sendText("hello");
    await term.sendKeys("Enter");
    await term.waitFor("Still here.");
    await term.sendText("/bye");
    await term.sendKeys("Enter");
    assertEquals(await term.waitForExit(), 0);
    assertStringIncludes(await term.capture(), "Still here.");
  } finally {
    await term.kill();
    await server.close();
  }
}

function homeWithHistory(write: (path: string) => void): string {
  const home = Deno.makeTempDirSync({ prefix: "dollama-home-" });
  Deno.mkdirSync(`${home}/.ollama`);
  write(`${home}/.ollama/history`);
  return home;
}

Deno.test("a corrupt history file (invalid UTF-8, NUL bytes, escapes) does not stop the chat", async () => {
  await chatsWithHome(homeWithHistory((path) =>
    Deno.writeFileSync(
      path,
      new Uint8Array([0xff, 0xfe, 0x00, 0x1b, 0x5d, 0x30, 0x3b, 0x78, 0x07, 0x0a, 0xc3, 0x0a]),
    )
  ));
});

Deno.test("a huge history file does not stop the chat", async () => {
  await chatsWithHome(
    homeWithHistory((path) => Deno.writeTextFileSync(path, "an old prompt\n".repeat(1_500_000))),
  );
});

Deno.test("a history path that is a directory does not stop the chat", async () => {
  await chatsWithHome(homeWithHistory((path) => Deno.mkdirSync(path)));
});

Deno.test("a home directory that cannot hold .ollama does not stop the chat", async () => {
  // Nothing can be created in /proc, even by root (the tests may run as root, for whom a
  // read-only mode means nothing).
  await chatsWithHome("/proc");
});
