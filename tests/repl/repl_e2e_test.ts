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

Deno.test("repl handles a server error: Error line, the prompt back, Ctrl+D exits 0", async () => {
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
      /Error: 500 Internal Server Error: model runner has unexpectedly stopped\n>>> /,
    );
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
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

/** A chat stream of `pieces`, then `last` (an error line, or a malformed message). */
function ndjson(pieces: string[], last: unknown): Response {
  const lines = pieces.map((content) =>
    JSON.stringify({ model: "llava", message: { role: "assistant", content }, done: false })
  );
  return new Response([...lines, JSON.stringify(last)].join("\n") + "\n", {
    headers: { "content-type": "application/x-ndjson" },
  });
}

/** The user messages of a chat request, in order. */
function userContents(chat: Record<string, unknown>): string[] {
  return (chat.messages as { role: string; content: string }[]).filter((m) => m.role === "user")
    .map((m) => m.content);
}

Deno.test("repl survives every failure: Error line, prompt back, the chat goes on without it", async () => {
  const failed = new Set<string>();
  /** Each trigger fails once, so /retry can show that the same message then goes through. */
  const once = (trigger: string) => !failed.has(trigger) && (failed.add(trigger), true);
  const fake: FakeOptions = {
    handler: (req) => {
      const last = req.body?.messages?.at(-1)?.content;
      if (req.path === "/api/chat" && last === "crash" && once(last)) {
        return ndjson(["Half ", "an ", "answer"], { error: "the runner crashed" });
      }
      if (req.path === "/api/chat" && last === "refuse" && once(last)) {
        return new Response(JSON.stringify({ error: "out of memory" }), { status: 500 });
      }
      if (req.path === "/api/chat" && last === "badtool" && once(last)) {
        return ndjson([], {
          model: "llava",
          message: { role: "assistant", content: "", tool_calls: [{ function: null }] },
          done: false,
        });
      }
      if (req.path === "/api/tags" || req.path === "/api/create") {
        return new Response(JSON.stringify({ error: "disk on fire" }), { status: 500 });
      }
      return undefined;
    },
  };
  const dir = Deno.makeTempDirSync();
  Deno.writeTextFileSync(`${dir}/notes.png`, "plain text");
  const repl = await startRepl(["llava"], { fake, env: { NO_COLOR: "1" } });
  const errors = async (n: number) => {
    await poll(
      async () =>
        ((await repl.term.capture()).match(/^Error: .*$/gm) ?? []).length >= n || undefined,
      15_000,
      async () => `${n} error lines never appeared:\n${await repl.term.capture()}`,
    );
    await repl.term.waitFor(/\n>>>\s*$/);
  };
  try {
    await repl.term.waitFor(">>>");
    await typeLine(repl, "hello");
    await repl.term.waitFor(/A cat\.\n\n>>>\s*$/);
    await typeLine(repl, "crash");
    await errors(1);
    // What was streamed stays, and the error line starts a line of its own.
    await repl.term.waitFor("Half an answer\nError: the runner crashed\n>>>");
    await typeLine(repl, "refuse");
    await errors(2);
    await typeLine(repl, "/list");
    await errors(3);
    await typeLine(repl, "/save snap");
    await errors(4);
    await typeLine(repl, `look at ${dir}/notes.png`);
    await errors(5);
    await typeLine(repl, "badtool");
    await errors(6);
    await typeLine(repl, "/retry");
    await chatsReach(repl, 5);
    await repl.term.waitFor(/A cat\.\n\n>>>\s*$/);
    await typeLine(repl, "last");
    await chatsReach(repl, 6);
    // Only the turns that completed are in the conversation.
    assertEquals(userContents(repl.chats()[5]), ["hello", "badtool", "last"]);
    const screen = await repl.term.capture();
    assertStringIncludes(screen, "Error: 500 Internal Server Error: out of memory\n");
    assertStringIncludes(screen, "Error: disk on fire\n");
    assertStringIncludes(screen, "Error: 500 Internal Server Error: disk on fire\n");
    assertStringIncludes(screen, "Error: invalid file type: text/plain; charset=utf-8\n");
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
    await assertRestored(repl);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl survives a server stopped between turns, and /retry resends the message", async () => {
  const repl = await startRepl(["llama3"], { env: { NO_COLOR: "1" } });
  let second: FakeOllama | undefined;
  try {
    await repl.term.waitFor(">>>");
    await typeLine(repl, "one");
    await repl.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    const port = repl.server.port;
    await repl.server.close();
    await typeLine(repl, "two");
    await repl.term.waitFor(/\nError: could not connect[\s\S]+\n>>>\s*$/);
    second = new FakeOllama({ models: [llama], port });
    await typeLine(repl, "/retry");
    await repl.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    const chats = second.requestsTo("/api/chat").map((r) => r.body);
    assertEquals(chats.length, 1);
    assertEquals(userContents(chats[0]), ["one", "two"]);
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
  } finally {
    await repl.term.kill();
    await second?.close();
  }
});

/** The pid of the dollama (deno) process running under the tmux pane's wrapper shell. */
async function dollamaPid(term: TmuxSession): Promise<number> {
  const out = await new Deno.Command("tmux", {
    args: ["-L", term.socket, "display-message", "-p", "-t", term.target, "#{pane_pid}"],
    stdout: "piped",
  }).output();
  let pid = Number(new TextDecoder().decode(out.stdout).trim());
  // pane shell → sh -c wrapper → deno: follow the only child down to the last one.
  while (true) {
    const children = Deno.readTextFileSync(`/proc/${pid}/task/${pid}/children`).trim();
    if (children === "") return pid;
    pid = Number(children.split(/\s+/)[0]);
  }
}

Deno.test("repl saves every turn: killed mid-turn keeps 3 turns, --continue shows and sends them", async () => {
  const home = Deno.makeTempDirSync({ prefix: "dollama-home-" });
  const chatsDir = `${home}/.local/state/dollama/chats`;
  // The fourth answer never comes: the process is killed while it waits.
  const first = await startRepl(["llama3"], {
    home,
    env: { NO_COLOR: "1" },
    fake: { stall: [{ path: "/api/chat", after: 3 }] },
  });
  try {
    await first.term.waitFor(">>>");
    for (const [i, line] of ["one", "two", "three"].entries()) {
      await typeLine(first, line);
      await chatsReach(first, i + 1);
      await first.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    }
    await typeLine(first, "four");
    await first.server.stallStarted;
    Deno.kill(await dollamaPid(first.term), "SIGKILL");
    await first.term.waitForExit();
  } finally {
    await stop(first);
  }
  const [file] = [...Deno.readDirSync(chatsDir)].map((e) => e.name);
  const records = Deno.readTextFileSync(`${chatsDir}/${file}`).trimEnd().split("\n")
    .map((l) => JSON.parse(l));
  assertEquals(records.map((r) => r.messages[0].content), ["one", "two", "three"]);

  const second = await startRepl(["llama3", "--continue"], { home, env: { NO_COLOR: "1" } });
  try {
    await second.term.waitFor(
      ">>> one\nHi there.\n\n>>> two\nHi there.\n\n>>> three\nHi there.\n\n>>>",
    );
    await typeLine(second, "five");
    await chatsReach(second, 1);
    assertEquals(userContents(second.chats()[0]), ["one", "two", "three", "five"]);
    await second.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    await second.term.sendKeys("C-d");
    assertEquals(await second.term.waitForExit(), 0);
  } finally {
    await stop(second);
  }
  // The continued chat was appended to the same file.
  assertEquals([...Deno.readDirSync(chatsDir)].length, 1);
  assertEquals(Deno.readTextFileSync(`${chatsDir}/${file}`).trimEnd().split("\n").length, 4);
});

Deno.test("repl with OLLAMA_NOHISTORY: /set history says it is disabled, nothing is saved", async () => {
  const home = Deno.makeTempDirSync({ prefix: "dollama-home-" });
  const repl = await startRepl(["llama3"], { home, env: { OLLAMA_NOHISTORY: "1", NO_COLOR: "1" } });
  try {
    await repl.term.waitFor(">>>");
    await typeLine(repl, "/set history");
    await repl.term.waitFor("History is disabled (OLLAMA_NOHISTORY is set).\n>>>");
    await typeLine(repl, "secret");
    await repl.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    await repl.term.sendKeys("C-d");
    assertEquals(await repl.term.waitForExit(), 0);
    assertEquals([...Deno.readDirSync(home)].map((e) => e.name), []);
  } finally {
    await stop(repl);
  }
});

Deno.test("repl history: two chats open at once both keep their lines, through a symlink", async () => {
  const home = Deno.makeTempDirSync({ prefix: "dollama-home-" });
  const target = `${Deno.makeTempDirSync()}/history`;
  Deno.mkdirSync(`${home}/.ollama`);
  Deno.symlinkSync(target, `${home}/.ollama/history`);
  const a = await startRepl(["llama3"], { home, env: { NO_COLOR: "1" } });
  const b = await startRepl(["llama3"], { home, env: { NO_COLOR: "1" } });
  try {
    await a.term.waitFor(">>>");
    await b.term.waitFor(">>>");
    await typeLine(a, "from a");
    await a.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    await typeLine(b, "from b");
    await b.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    await typeLine(a, "again a");
    await a.term.waitFor(/Hi there\.\n\n>>>\s*$/);
    assertEquals(Deno.lstatSync(`${home}/.ollama/history`).isSymlink, true);
    assertEquals(Deno.readTextFileSync(target), "from a\nfrom b\nagain a\n");
  } finally {
    await stop(a);
    await stop(b);
  }
});
