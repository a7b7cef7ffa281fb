/**
 * Server text on a real terminal (tmux): escape sequences a server sends must neither retitle
 * the terminal nor reach the clipboard, in the commands and in the chat; a silent generation
 * shows that it is waiting, and Ctrl+C ends it (docs/reliability.md).
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { startDollama, type TmuxSession } from "../support/tmux.ts";
import { TEXT_MODEL, withFaults } from "./helpers.ts";

const TITLE = "\x1b]0;pwned\x07";
const CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07";
const SHOWN_TITLE = "\u241b]0;pwned\u2407";

async function tmuxFormat(term: TmuxSession, format: string): Promise<string> {
  const out = await new Deno.Command("tmux", {
    args: ["-L", term.socket, "display-message", "-p", "-t", term.target, format],
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

/** Neither OSC 0 nor OSC 52 took effect: the pane keeps its title, tmux has no clipboard. */
async function assertUndriven(term: TmuxSession): Promise<void> {
  const title = await tmuxFormat(term, "#{pane_title}");
  assert(!title.includes("pwned"), `the pane title became ${JSON.stringify(title)}`);
  const buffers = await new Deno.Command("tmux", {
    args: ["-L", term.socket, "list-buffers"],
    stdout: "piped",
    stderr: "null",
  }).output();
  assertEquals(new TextDecoder().decode(buffers.stdout), "");
}

const evil = {
  name: `evil${TITLE}${CLIPBOARD}:latest`,
  show: { license: `MIT${TITLE}${CLIPBOARD}`, capabilities: ["completion"] },
};
const plain = { name: "m:latest", show: { license: `MIT${TITLE}${CLIPBOARD}` } };

async function withTerminal(
  args: string[],
  host: string,
  fn: (term: TmuxSession) => Promise<void>,
): Promise<void> {
  const term = await startDollama(args, { host, cols: 100, rows: 20 });
  // Let applications write tmux's clipboard (OSC 52), so a leak would show in its buffers. The
  // commands may have printed before this; the chat test types only after it.
  await new Deno.Command("tmux", {
    args: ["-L", term.socket, "set-option", "-s", "set-clipboard", "on"],
    stderr: "null",
  }).output();
  try {
    await fn(term);
  } finally {
    await term.kill();
  }
}

Deno.test("list on a terminal handles OSC 0 and OSC 52 in a model name as inert text", async () => {
  const server = new FakeOllama({ models: [evil, plain] });
  try {
    await withTerminal(["list"], server.url, async (term) => {
      assertEquals(await term.waitForExit(), 0);
      assertStringIncludes(await term.capture(), `evil${SHOWN_TITLE}`);
      await assertUndriven(term);
    });
  } finally {
    await server.close();
  }
});

Deno.test("show --license on a terminal handles escape sequences as inert text", async () => {
  const server = new FakeOllama({ models: [evil, plain] });
  try {
    await withTerminal(["show", "m", "--license"], server.url, async (term) => {
      assertEquals(await term.waitForExit(), 0);
      assertStringIncludes(await term.capture(), `MIT${SHOWN_TITLE}`);
      await assertUndriven(term);
    });
  } finally {
    await server.close();
  }
});

Deno.test("/list and /show license in the chat handle escape sequences as inert text", async () => {
  const server = new FakeOllama({ models: [plain, evil] });
  try {
    await withTerminal(["run", "m"], server.url, async (term) => {
      await term.waitFor(">>>");
      await term.sendText("/list");
      await term.sendKeys("Enter");
      await term.waitFor(`evil${SHOWN_TITLE}`);
      await term.sendText("/show license");
      await term.sendKeys("Enter");
      await term.waitFor(`MIT${SHOWN_TITLE}`);
      await assertUndriven(term);
      await term.sendText("/bye");
      await term.sendKeys("Enter");
      assertEquals(await term.waitForExit(), 0);
    });
  } finally {
    await server.close();
  }
});

Deno.test("a silent generation shows that it is waiting, and Ctrl+C ends it", async () => {
  await withFaults({
    "POST /api/show": TEXT_MODEL,
    "POST /api/generate": (c) => c.stall(),
  }, async (server) => {
    await withTerminal(["run", "m", "hi"], server.url, async (term) => {
      // The spinner's braille frames, drawn while nothing has arrived.
      await term.waitFor(/[\u2800-\u28ff]/);
      await term.sendKeys("C-c");
      assertEquals(await term.waitForExit(), 130);
    });
  });
});

Deno.test("a tool call's name and arguments on a terminal handle escape sequences as inert text", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.ndjson([{
        model: "m",
        response: "",
        done: true,
        tool_calls: [{ function: { name: `f${TITLE}`, arguments: { cmd: `x${CLIPBOARD}` } } }],
      }]),
  }, async (server) => {
    await withTerminal(["run", "m", "hi"], server.url, async (term) => {
      assertEquals(await term.waitForExit(), 0);
      const screen = await term.capture();
      assertStringIncludes(screen, `Model called a non-existent function 'f${SHOWN_TITLE}()'`);
      await assertUndriven(term);
    });
  });
});
