/**
 * The interactive chat in a real pseudo-terminal (tmux) against the fake server: what users
 * type, what they see, what reaches the server, and that every way out restores the terminal.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { type FakeModel, FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";
import { poll, TmuxSession } from "../support/tmux.ts";

const llama: FakeModel = { name: "llama3:latest", reply: "Hi there." };
const llava: FakeModel = {
  name: "llava:latest",
  capabilities: ["completion", "vision"],
  reply: "A cat.",
};
const repoRoot = new URL("../../", import.meta.url).pathname;

interface Repl {
  term: TmuxSession;
  server: FakeOllama;
  home: string;
  /** The terminal settings (`stty -a`) after dollama exited. */
  sttyAfter(): Promise<string>;
  /** Every byte dollama wrote to the terminal. */
  bytes(): Promise<string>;
  chats(): Record<string, unknown>[];
}

function pollFile(path: string): Promise<string> {
  return poll(
    async () => (await Deno.readTextFile(path).catch(() => "")) || undefined,
    15_000,
    () => Promise.resolve(`${path} never appeared`),
  );
}

/**
 * Starts `dollama run ARGS` in tmux. The wrapper waits until the pane's output is being
 * recorded, and after dollama exits records the terminal settings.
 */
async function startRepl(
  args: string[],
  options: {
    fake?: FakeOptions;
    env?: Record<string, string>;
    cols?: number;
    home?: string;
    stdin?: string;
  } = {},
): Promise<Repl> {
  const server = new FakeOllama({ models: [llama, llava], ...options.fake });
  const dir = Deno.makeTempDirSync({ prefix: "dollama-repl-" });
  const home = options.home ?? Deno.makeTempDirSync({ prefix: "dollama-home-" });
  // A terminal test: colour on unless a test asks for NO_COLOR.
  const env = baseEnv({ OLLAMA_HOST: server.url, HOME: home, NO_COLOR: "", ...options.env });
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  const input = options.stdin === undefined ? "" : ` < ${dir}/stdin`;
  if (options.stdin !== undefined) Deno.writeTextFileSync(`${dir}/stdin`, options.stdin);
  // `trap true INT`: Ctrl+C is for dollama; the wrapper must live on to record the settings.
  const script = `trap true INT; while [ ! -e ${dir}/go ]; do sleep 0.02; done; "$@"${input}; ` +
    `status=$?; stty -a > ${dir}/stty; exit $status`;
  const term = await TmuxSession.start(
    ["sh", "-c", script, "sh", Deno.execPath(), ...dollamaCommand(["run", ...args])],
    { env, cols: options.cols ?? 80, rows: 24, cwd: repoRoot },
  );
  await new Deno.Command("tmux", {
    args: ["-L", term.socket, "pipe-pane", "-o", "-t", term.target, `cat >> ${dir}/bytes`],
  }).output();
  Deno.writeTextFileSync(`${dir}/go`, "");
  return {
    term,
    server,
    home,
    sttyAfter: () => pollFile(`${dir}/stty`),
    bytes: () => Deno.readTextFile(`${dir}/bytes`).catch(() => ""),
    chats: () => server.requestsTo("/api/chat").map((r) => r.body),
  };
}

async function stop(repl: Repl): Promise<void> {
  await repl.term.kill();
  await repl.server.close();
}

/** The terminal is back to normal: cooked mode, cursor shown, bracketed paste off. */
async function assertRestored(repl: Repl): Promise<void> {
  const stty = await repl.sttyAfter();
  assert(/(^|\s)icanon(\s|$)/.test(stty), `raw mode left on:\n${stty}`);
  assert(/(^|\s)echo(\s|$)/.test(stty), `echo left off:\n${stty}`);
  assertEquals(await repl.term.cursorVisible(), true);
  const bytes = await repl.bytes();
  const last = bytes.lastIndexOf("\x1b[?2004");
  assert(last >= 0, "bracketed paste was never turned on");
  assertEquals(bytes[last + 7], "l", "bracketed paste left on");
}

async function typeLine(repl: Repl, text: string): Promise<void> {
  await repl.term.sendText(text);
  await repl.term.sendKeys("Enter");
}

/** Waits until the server has seen `n` chat requests. */
async function chatsReach(repl: Repl, n: number): Promise<void> {
  await poll(
    () => Promise.resolve(repl.chats().length >= n ? true : undefined),
    15_000,
    async () => `${n} chat requests never arrived; screen:\n${await repl.term.capture()}`,
  );
  assertEquals(repl.chats().length, n, await repl.term.capture());
}

Deno.test("repl handles a message and its answer, then Ctrl+D exits 0 and restores the terminal", async () => {
  const repl = await startRepl(["llama3"]);
  try {
    await repl.term.waitFor(">>> Send a message (/? for help)");
    await typeLine(repl, "hello");
    const screen = await repl.term.waitFor(/Hi there\.\n\n>>> /);
    assertStringIncludes(screen, ">>> hello\nHi there.\n");
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
    await assertRestored(repl);
    assertEquals(repl.chats(), [{
      model: "llama3",
      messages: [{ role: "user", content: "hello" }],
      options: {},
    }]);
  } finally {
    await stop(repl);
  }
});

Deno.test('repl handles """ blocks and a bracketed paste as one message each', async () => {
  const repl = await startRepl(["llama3"]);
  try {
    await repl.term.waitFor(">>> ");
    await typeLine(repl, '"""first line');
    await repl.term.waitFor(/\n\.\.\.(?: |\n|$)/);
    await typeLine(repl, 'second line"""');
    await chatsReach(repl, 1);
    await repl.term.waitFor(/Hi there\.\n\n>>> /);
    // A paste with newlines is inserted, not sent; Enter sends all of it.
    await new Deno.Command("tmux", {
      args: ["-L", repl.term.socket, "set-buffer", "pasted one\npasted two"],
    }).output();
    await new Deno.Command("tmux", {
      args: ["-L", repl.term.socket, "paste-buffer", "-p", "-t", repl.term.target],
    }).output();
    await repl.term.waitFor("pasted two");
    assertEquals(repl.chats().length, 1);
    await repl.term.sendKeys("Enter");
    await chatsReach(repl, 2);
    const contents = repl.chats().map((c) => (c.messages as { content: string }[]).at(-1)!.content);
    assertEquals(contents, ["first line\nsecond line", "pasted one\npasted two"]);
    await typeLine(repl, "/bye");
    assertEquals(await repl.term.waitForExit(), 0);
    await assertRestored(repl);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles history across two sessions, and none with OLLAMA_NOHISTORY", async () => {
  const home = Deno.makeTempDirSync();
  const first = await startRepl(["llama3"], { home });
  try {
    await first.term.waitFor(">>> ");
    await typeLine(first, "remember me");
    await first.term.waitFor(/Hi there\.\n\n>>> /);
    await typeLine(first, "/bye");
    assertEquals(await first.term.waitForExit(), 0);
  } finally {
    await stop(first);
  }
  assertEquals(Deno.readTextFileSync(`${home}/.ollama/history`), "remember me\n/bye\n");
  const second = await startRepl(["llama3"], { home });
  try {
    await second.term.waitFor(">>> ");
    await second.term.sendKeys("Up", "Up");
    await second.term.waitFor(">>> remember me");
    await second.term.sendKeys("Enter");
    await chatsReach(second, 1);
    assertEquals((second.chats()[0].messages as { content: string }[])[0].content, "remember me");
  } finally {
    await stop(second);
  }
  const quiet = Deno.makeTempDirSync();
  const third = await startRepl(["llama3"], { home: quiet, env: { OLLAMA_NOHISTORY: "1" } });
  try {
    await third.term.waitFor(">>> ");
    await typeLine(third, "secret");
    await third.term.waitFor(/Hi there\.\n\n>>> /);
    await typeLine(third, "/bye");
    assertEquals(await third.term.waitForExit(), 0);
    let wrote = true;
    try {
      Deno.statSync(`${quiet}/.ollama`);
    } catch {
      wrote = false;
    }
    assertEquals(wrote, false, "~/.ollama was created with OLLAMA_NOHISTORY set");
  } finally {
    await stop(third);
  }
});

Deno.test("repl handles /set parameter and /clear on the wire", async () => {
  const repl = await startRepl(["llama3"]);
  try {
    await repl.term.waitFor(">>> ");
    await typeLine(repl, "/set parameter num_ctx 8192");
    await repl.term.waitFor("Set parameter 'num_ctx' to '8192'");
    await typeLine(repl, "one");
    await chatsReach(repl, 1);
    await repl.term.waitFor(/Hi there\.\n\n>>> /);
    await typeLine(repl, "/clear");
    await repl.term.waitFor("Cleared session context");
    await typeLine(repl, "two");
    await chatsReach(repl, 2);
    assertEquals(repl.chats()[0].options, { num_ctx: 8192 });
    assertEquals(repl.chats()[1].messages, [{ role: "user", content: "two" }]);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles Ctrl+C during a slow answer: the prompt works again", async () => {
  const slow = { ...llama, reply: "one two three four five six seven eight nine ten" };
  const repl = await startRepl(["llama3"], { fake: { models: [slow], chunkDelayMs: 300 } });
  try {
    await repl.term.waitFor(">>> ");
    await typeLine(repl, "tell me slowly");
    await repl.term.waitFor("one two");
    await repl.term.sendKeys("C-c");
    await repl.server.clientWentAway;
    await repl.term.waitFor(/>>> Send a message/);
    await typeLine(repl, "again");
    await chatsReach(repl, 2);
    // The cancelled turn was taken out of the conversation.
    assertEquals(repl.chats()[1].messages, [{ role: "user", content: "again" }]);
    await repl.term.waitFor(/ten\n\n>>> /);
    await repl.term.sendKeys("C-c");
    await repl.term.waitFor("Use Ctrl + d or /bye to exit.");
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
    await assertRestored(repl);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles /load of an image: sent base64-encoded", async () => {
  const dir = Deno.makeTempDirSync();
  Deno.writeFileSync(
    `${dir}/cat.png`,
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]),
  );
  const repl = await startRepl(["llava"]);
  try {
    await repl.term.waitFor(">>> ");
    await typeLine(repl, `/load ${dir}/cat.png`);
    await repl.term.waitFor(`Added image '${dir}/cat.png'`);
    await typeLine(repl, "what is this?");
    await chatsReach(repl, 1);
    assertEquals(repl.chats()[0].messages, [{
      role: "user",
      content: "what is this?",
      images: ["iVBORw0KGgoH"],
    }]);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles a 40-column window by wrapping answers at word boundaries", async () => {
  const long = {
    ...llama,
    reply: "The quick brown fox jumps over the lazy dog and keeps running through the forest.",
  };
  const repl = await startRepl(["llama3"], { cols: 40, fake: { models: [long] } });
  try {
    await repl.term.waitFor(">>> ");
    await typeLine(repl, "go");
    const screen = await repl.term.waitFor(/forest\.\n/);
    const answer = screen.slice(screen.indexOf(">>> go\n") + 7, screen.indexOf("forest.") + 7);
    assertEquals(answer.split("\n"), [
      "The quick brown fox jumps over the lazy",
      "dog and keeps running through the",
      "forest.",
    ]);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles a fatal server error: Error line, exit 1, terminal restored", async () => {
  const fake: FakeOptions = {
    handler: (req) =>
      req.path === "/api/chat"
        ? new Response(JSON.stringify({ error: "model runner has unexpectedly stopped" }), {
          status: 500,
        })
        : undefined,
  };
  const repl = await startRepl(["llama3"], { fake });
  try {
    await repl.term.waitFor(">>> ");
    await typeLine(repl, "hi");
    await repl.term.waitFor(
      "Error: 500 Internal Server Error: model runner has unexpectedly stopped",
    );
    assertEquals(await repl.term.waitForExit(), 1);
    await assertRestored(repl);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles -i after piped stdin: answers it, then keeps chatting from the terminal", async () => {
  const repl = await startRepl(["llama3", "-i", "summarize"], { stdin: "piped text\n" });
  try {
    await repl.term.waitFor(/Hi there\.\n\n>>> /);
    await typeLine(repl, "and more");
    await chatsReach(repl, 2);
    assertEquals(repl.chats()[1].messages, [
      { role: "user", content: "piped text\n summarize" },
      { role: "assistant", content: "Hi there." },
      { role: "user", content: "and more" },
    ]);
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
    await assertRestored(repl);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles a line typed while an answer streams: sent when the answer ends", async () => {
  const slow = { ...llama, reply: "one two three four five" };
  const repl = await startRepl(["llama3"], { fake: { models: [slow], chunkDelayMs: 150 } });
  try {
    await repl.term.waitFor(">>> ");
    await typeLine(repl, "first");
    await repl.term.waitFor("one");
    await typeLine(repl, "typed ahead");
    await chatsReach(repl, 2);
    assertEquals(
      (repl.chats()[1].messages as { content: string }[]).at(-1)!.content,
      "typed ahead",
    );
  } finally {
    await stop(repl);
  }
});

Deno.test("repl handles NO_COLOR: no placeholder and no colour codes", async () => {
  const repl = await startRepl(["llama3"], { env: { NO_COLOR: "1" } });
  try {
    await repl.term.waitFor(">>>");
    await typeLine(repl, "hello");
    await repl.term.waitFor(/Hi there\.\n\n>>>/);
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
    const bytes = await repl.bytes();
    assertEquals(bytes.includes("Send a message"), false);
    // No SGR sequence (ESC [ params m): nothing coloured, dimmed or bold.
    const sgr = bytes.split("\x1b[").slice(1).some((rest) => /^[0-9;]*m/.test(rest));
    assertEquals(sgr, false, JSON.stringify(bytes));
  } finally {
    await stop(repl);
  }
});

/**
 * Ctrl+C while `command` waits on a stalled request (no command: the preload) cancels just that
 * operation: the prompt comes back, a message still gets its answer from llama3, and the REPL
 * ends with Ctrl+D as usual.
 */
async function ctrlCReturnsToPrompt(
  command: string | undefined,
  stall: FakeOptions["stall"],
  expectOnScreen?: string,
): Promise<void> {
  const slow: FakeModel = { name: "slow:latest", reply: "Slowly." };
  const repl = await startRepl(["llama3"], { fake: { models: [llama, slow], stall } });
  try {
    if (command !== undefined) {
      await repl.term.waitFor(">>> Send a message");
      await typeLine(repl, command);
    }
    await repl.server.stallStarted;
    await repl.term.sendKeys("C-c");
    await repl.server.clientWentAway;
    const screen = await repl.term.waitFor(/>>> Send a message/);
    if (expectOnScreen) assertStringIncludes(screen, expectOnScreen);
    await typeLine(repl, "hello");
    await repl.term.waitFor(/Hi there\.\n\n>>> /);
    assertEquals(repl.chats().map((c) => c.model), ["llama3"]);
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
    await assertRestored(repl);
  } finally {
    await stop(repl);
  }
}

Deno.test("repl handles Ctrl+C during /load of a slow model: the old model stays", async () => {
  await ctrlCReturnsToPrompt(
    "/load slow",
    [{ path: "/api/generate", model: "slow" }],
    "Loading model 'slow'",
  );
});

Deno.test("repl handles Ctrl+C during /show info: the prompt comes back", async () => {
  // The first /api/show is dollama run's own, before the chat starts.
  await ctrlCReturnsToPrompt("/show info", [{ path: "/api/show", after: 1 }]);
});

Deno.test("repl handles Ctrl+C during /list: the prompt comes back", async () => {
  await ctrlCReturnsToPrompt("/list", [{ path: "/api/tags" }]);
});

Deno.test("repl handles Ctrl+C during /save: the prompt comes back", async () => {
  await ctrlCReturnsToPrompt("/save snap", [{ path: "/api/create" }]);
});

Deno.test("repl handles Ctrl+C during the preload: the chat starts anyway", async () => {
  await ctrlCReturnsToPrompt(undefined, [{ path: "/api/generate", model: "llama3" }]);
});
