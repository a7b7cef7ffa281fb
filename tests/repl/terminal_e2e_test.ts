/**
 * The terminal is always given back, in a real pseudo-terminal (tmux) against the fake server:
 * keys typed while an answer streams or the model loads at start-up (not echoed, each Enter its
 * own message), SIGTERM and SIGHUP at the prompt, while an answer streams and at the approval
 * prompt, Ctrl+\ (SIGQUIT) while an answer streams (under `sh`, which unlike bash does not repair
 * the terminal itself), no copy of the screen in tmux's scrollback per key, a resize while an
 * answer streams, and Ctrl+C in a one-shot run.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { type FakeModel, FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";
import { poll, TmuxSession } from "../support/tmux.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;
const llama: FakeModel = { name: "llama3:latest", reply: "Hi there." };

interface Run {
  term: TmuxSession;
  server: FakeOllama;
  /** The pid of dollama (the deno process), once it runs. */
  pid(): Promise<number>;
  /** dollama's exit status, as the wrapping shell saw it. */
  status(): Promise<number>;
  /** `stty -a` in the wrapping shell after dollama ended. */
  sttyAfter(): Promise<string>;
  /** Every byte written to the terminal. */
  bytes(): Promise<string>;
  chats(): { messages: { role: string; content: string }[] }[];
  tmux(...args: string[]): Promise<string>;
}

function pollFile(path: string): Promise<string> {
  return poll(
    async () => (await Deno.readTextFile(path).catch(() => "")).trim() || undefined,
    15_000,
    () => Promise.resolve(`${path} never appeared`),
  );
}

/**
 * Runs `dollama ARGS` under `sh` (dash here) in tmux. The shell records its own pid first, and
 * after dollama ends its exit status, the terminal settings, and a line `AFTER` — where the
 * shell's next output lands.
 */
async function start(
  args: string[],
  options: { fake?: FakeOptions; env?: Record<string, string>; cols?: number } = {},
): Promise<Run> {
  const server = new FakeOllama({ models: [llama], ...options.fake });
  const dir = Deno.makeTempDirSync({ prefix: "dollama-termfix-" });
  const env = baseEnv({
    OLLAMA_HOST: server.url,
    NO_COLOR: "",
    DOLLAMA_APPROVAL_TYPEAHEAD_MS: "0",
    ...options.env,
  });
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  // The shell traps the keyboard's signals (with a command, so dollama still gets the default
  // disposition): Ctrl+C or Ctrl+\ must not end it before it records dollama's status.
  const script = `trap true INT QUIT; echo $$ > ${dir}/shell; ` +
    `while [ ! -e ${dir}/go ]; do sleep 0.02; done; "$@"; status=$?; ` +
    `stty -a > ${dir}/stty; echo $status > ${dir}/status; echo AFTER; exit $status`;
  const term = await TmuxSession.start(
    ["sh", "-c", script, "sh", Deno.execPath(), ...dollamaCommand(args)],
    { env, cols: options.cols ?? 80, rows: 24, cwd: repoRoot },
  );
  const tmux = async (...tmuxArgs: string[]) => {
    const out = await new Deno.Command("tmux", {
      args: ["-L", term.socket, ...tmuxArgs],
      stdout: "piped",
      stderr: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout);
  };
  await tmux("pipe-pane", "-o", "-t", term.target, `cat >> ${dir}/bytes`);
  Deno.writeTextFileSync(`${dir}/go`, "");
  return {
    term,
    server,
    tmux,
    pid: async () => {
      const shell = await pollFile(`${dir}/shell`);
      return Number(
        await poll(
          async () => {
            const out = await new Deno.Command("pgrep", { args: ["-P", shell], stdout: "piped" })
              .output();
            return new TextDecoder().decode(out.stdout).trim().split("\n")[0] || undefined;
          },
          15_000,
          () => Promise.resolve("dollama never started"),
        ),
      );
    },
    status: async () => Number(await pollFile(`${dir}/status`)),
    sttyAfter: () => pollFile(`${dir}/stty`),
    bytes: () => Deno.readTextFile(`${dir}/bytes`).catch(() => ""),
    chats: () => server.requestsTo("/api/chat").map((r) => r.body),
  };
}

async function stop(run: Run): Promise<void> {
  await run.term.kill();
  await run.server.close();
}

async function typeLine(run: Run, text: string): Promise<void> {
  await run.term.sendText(text);
  await run.term.sendKeys("Enter");
}

async function chatsReach(run: Run, n: number): Promise<void> {
  await poll(
    () => Promise.resolve(run.chats().length >= n ? true : undefined),
    15_000,
    async () => `${n} chat requests never arrived; screen:\n${await run.term.capture()}`,
  );
}

/** Cooked mode, echo, CR→NL, the cursor shown and bracketed paste off, as a shell expects. */
async function assertGivenBack(run: Run): Promise<void> {
  const stty = await run.sttyAfter();
  for (const flag of ["icanon", "echo", "icrnl", "isig"]) {
    assert(new RegExp(`(^|\\s)${flag}(\\s|$)`).test(stty), `${flag} left off:\n${stty}`);
  }
  assertEquals(await run.term.cursorVisible(), true, "cursor left hidden");
  const bytes = await run.bytes();
  const last = bytes.lastIndexOf("\x1b[?2004");
  assert(last >= 0, "bracketed paste was never turned on");
  assertEquals(bytes[last + 7], "l", "bracketed paste left on");
}

// ---------------------------------------------------------------------------------------------
// Typing while an answer streams.

Deno.test("terminal: two lines typed during a slow answer are two messages, not echoed into it", async () => {
  const slow = { ...llama, reply: "one two three four five six seven eight" };
  const run = await start(["run", "llama3"], { fake: { models: [slow], chunkDelayMs: 150 } });
  try {
    await run.term.waitFor(">>> ");
    await typeLine(run, "first");
    await run.term.waitFor("one");
    await typeLine(run, "second line");
    await typeLine(run, "third line");
    await chatsReach(run, 3);
    const lastUser = (n: number) => run.chats()[n].messages.at(-1)!.content;
    assertEquals([lastUser(0), lastUser(1), lastUser(2)], ["first", "second line", "third line"]);
    // The second is sent with the whole first exchange, the third with the second's.
    assertEquals(run.chats()[2].messages.map((m) => m.content), [
      "first",
      "one two three four five six seven eight",
      "second line",
      "one two three four five six seven eight",
      "third line",
    ]);
    const screen = await run.term.waitFor(
      />>> third line\none two three four five six seven eight\n/,
    );
    assertStringIncludes(
      screen,
      ">>> first\none two three four five six seven eight\n\n>>> second line\none two",
    );
    await run.term.sendKeys("C-d");
    assertEquals(await run.status(), 0);
    await assertGivenBack(run);
  } finally {
    await stop(run);
  }
});

Deno.test("terminal: Ctrl+C during a quiet answer still cancels it, and typed keys never show in it", async () => {
  const slow = { ...llama, reply: "one two three four five six seven eight nine ten" };
  const run = await start(["run", "llama3"], { fake: { models: [slow], chunkDelayMs: 300 } });
  try {
    await run.term.waitFor(">>> ");
    await typeLine(run, "tell me");
    await run.term.waitFor("one two");
    await run.term.sendText("draft");
    await run.term.sendKeys("C-c");
    await run.server.clientWentAway;
    // Ctrl+C discards what was typed ahead, as a terminal does with a half-typed line.
    const screen = await run.term.waitFor(/>>> Send a message/);
    assertEquals(screen.includes("draft"), false, screen);
    await typeLine(run, "again");
    await chatsReach(run, 2);
    assertEquals(run.chats()[1].messages, [{ role: "user", content: "again" }]);
    await run.term.sendKeys("C-d");
    assertEquals(await run.status(), 0);
    await assertGivenBack(run);
  } finally {
    await stop(run);
  }
});

Deno.test("terminal: two lines typed while the model loads at start-up are two messages, not echoed over the spinner", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const fake: FakeOptions = {
    models: [llama],
    // The preload (a generate request without a prompt) takes as long as the test wants.
    handler: async (req) => {
      if (req.path === "/api/generate" && !req.body?.prompt) await released;
      return undefined;
    },
  };
  const run = await start(["run", "llama3"], { fake });
  try {
    const frame = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/g;
    /** The spinner's frame now: the last on screen, in case an echo left an old one above. */
    const current = async () => [...(await run.term.capture()).matchAll(frame)].at(-1)?.[0];
    await poll(current, 15_000, () => Promise.resolve("no spinner"));
    await typeLine(run, "first line");
    await typeLine(run, "second line");
    // An echo is written at once, as the keys arrive; two later frames of the spinner are
    // written after it, so by then any echo is on screen.
    for (let i = 0; i < 2; i++) {
      const before = await current();
      await poll(
        async () => await current() !== before ? true : undefined,
        15_000,
        async () => `the spinner stopped:\n${await run.term.capture()}`,
      );
    }
    const loading = await run.term.capture();
    assertEquals(loading.includes("line"), false, `typed keys echoed while loading:\n${loading}`);
    release();
    await chatsReach(run, 2);
    const lastUser = (n: number) => run.chats()[n].messages.at(-1)!.content;
    assertEquals([lastUser(0), lastUser(1)], ["first line", "second line"]);
    await run.term.waitFor(/>>> second line\nHi there\.\n\n>>> Send a message/);
    await run.term.sendKeys("C-d");
    assertEquals(await run.status(), 0);
    await assertGivenBack(run);
  } finally {
    release();
    await stop(run);
  }
});

// ---------------------------------------------------------------------------------------------
// SIGTERM, SIGHUP and SIGQUIT give the terminal back.

for (const signal of ["SIGTERM", "SIGHUP"] as const) {
  Deno.test(`terminal: ${signal} at the prompt restores cooked mode, echo, icrnl, paste and cursor`, async () => {
    const run = await start(["run", "llama3"]);
    try {
      await run.term.waitFor(">>> ");
      await run.term.sendText("half typed");
      await run.term.waitFor(">>> half typed");
      Deno.kill(await run.pid(), signal);
      assertEquals(await run.status(), signal === "SIGTERM" ? 143 : 129);
      await assertGivenBack(run);
    } finally {
      await stop(run);
    }
  });
}

Deno.test("terminal: SIGTERM while an answer streams restores the terminal", async () => {
  const slow = { ...llama, reply: "one two three four five six seven eight nine ten" };
  const run = await start(["run", "llama3"], { fake: { models: [slow], chunkDelayMs: 300 } });
  try {
    await run.term.waitFor(">>> ");
    await typeLine(run, "go");
    await run.term.waitFor("one two");
    Deno.kill(await run.pid(), "SIGTERM");
    assertEquals(await run.status(), 143);
    await assertGivenBack(run);
  } finally {
    await stop(run);
  }
});

Deno.test("terminal: Ctrl+\\ (SIGQUIT) while an answer streams restores the terminal and exits 131", async () => {
  const slow = { ...llama, reply: "one two three four five six seven eight nine ten" };
  const run = await start(["run", "llama3"], { fake: { models: [slow], chunkDelayMs: 300 } });
  try {
    await run.term.waitFor(">>> ");
    await typeLine(run, "go");
    await run.term.waitFor("one two");
    // The keyboard is quiet, not raw, while the answer streams: Ctrl+\ is a signal.
    await run.term.sendKeys("C-\\");
    assertEquals(await run.status(), 131);
    await assertGivenBack(run);
  } finally {
    await stop(run);
  }
});

Deno.test("terminal: SIGTERM at the approval prompt restores the terminal", async () => {
  const agent: FakeModel = {
    name: "agent:latest",
    capabilities: ["completion", "tools"],
    toolCalls: [{
      id: "call_term0001",
      function: { index: 0, name: "bash", arguments: { command: "echo hi" } },
    }],
    reply: "Done.",
  };
  const run = await start(["run", "agent", "--experimental"], { fake: { models: [agent] } });
  try {
    await run.term.waitFor(">>> ");
    await typeLine(run, "run it");
    await run.term.waitFor("ctrl+c cancel");
    Deno.kill(await run.pid(), "SIGTERM");
    assertEquals(await run.status(), 143);
    await assertGivenBack(run);
  } finally {
    await stop(run);
  }
});

// ---------------------------------------------------------------------------------------------
// Scrollback and width.

/** How many lines tmux keeps in the window's scrollback. */
async function historySize(run: Run): Promise<number> {
  const size = await run.tmux("display-message", "-p", "-t", run.term.target, "#{history_size}");
  return Number(size.trim());
}

/**
 * Ctrl+L, then waits for the prompt on the first row. Clearing the screen may itself keep a copy
 * in the scrollback, so a test measures it only after this.
 */
async function promptToFirstRow(run: Run): Promise<void> {
  await run.term.sendKeys("C-l");
  await poll(
    async () => (await run.term.capture()).startsWith(">>> ") ? true : undefined,
    15_000,
    async () => `the prompt never reached the first row:\n${await run.term.capture()}`,
  );
}

Deno.test("terminal: 20 keys typed with the prompt on the first row add nothing to tmux's scrollback", async () => {
  const run = await start(["run", "llama3"]);
  try {
    await run.term.waitFor(">>> ");
    await promptToFirstRow(run);
    const before = await historySize(run);
    const keys = "abcdefghijklmnopqrst";
    for (const key of keys) await run.term.sendText(key);
    await run.term.waitFor(`>>> ${keys}`);
    assertEquals(await historySize(run), before);
  } finally {
    await stop(run);
  }
});

Deno.test("terminal: in a 40-column window the prompt on the first row keeps the scrollback, and answers wrap at spaces", async () => {
  const long = {
    ...llama,
    reply: "The quick brown fox jumps over the lazy dog and keeps running through the forest.",
  };
  const run = await start(["run", "llama3"], { cols: 40, fake: { models: [long] } });
  try {
    await run.term.waitFor(">>> ");
    await promptToFirstRow(run);
    const before = await historySize(run);
    // Long enough to take two rows of the 40-column window while it is typed.
    const keys = "tell me about the quick brown fox please";
    for (const key of keys) await run.term.sendText(key);
    // The editor breaks the input at the window's last column but one, inside the last word.
    await run.term.waitFor(">>> tell me about the quick brown fox p\n... lease");
    assertEquals(await historySize(run), before);
    await run.term.sendKeys("Enter");
    const screen = await run.term.waitFor(/forest\.\n/);
    const answer = screen.slice(screen.indexOf("... lease\n") + 10, screen.indexOf("forest.") + 7);
    assertEquals(answer.split("\n"), [
      "The quick brown fox jumps over the lazy",
      "dog and keeps running through the",
      "forest.",
    ]);
  } finally {
    await stop(run);
  }
});

/** Pastes `text` as a terminal does when the program asked for bracketed paste. */
async function paste(run: Run, text: string): Promise<void> {
  await run.tmux("set-buffer", "-b", "paste", text);
  await run.tmux("paste-buffer", "-p", "-d", "-b", "paste", "-t", run.term.target);
}

/** Where the terminal's cursor is: column and row on the visible screen, from 0. */
async function cursorAt(run: Run): Promise<[number, number]> {
  const at = await run.tmux(
    "display-message",
    "-p",
    "-t",
    run.term.target,
    "#{cursor_x} #{cursor_y}",
  );
  const [x, y] = at.trim().split(" ").map(Number);
  return [x, y];
}

Deno.test("terminal: input of 40 lines in a 24-row window: keys add nothing to the scrollback, and the cursor is where typing goes", async () => {
  const run = await start(["run", "llama3"]);
  try {
    await run.term.waitFor(">>> ");
    const lines = Array.from({ length: 40 }, (_, i) => `line${String(i + 1).padStart(2, "0")}`);
    await paste(run, lines.join("\n"));
    // Taller than the screen: the rows around the cursor are shown, the last one at the bottom.
    await run.term.waitFor(/\.\.\. line40\s*$/);
    const before = await historySize(run);
    for (const key of "abc") await run.term.sendText(key);
    const screen = await run.term.waitFor(/\.\.\. line40abc\s*$/);
    assertEquals(screen.trimEnd().split("\n").length, 24, screen);
    assertEquals(await historySize(run), before);
    assertEquals(await cursorAt(run), [13, 23]);
    await run.term.sendKeys("Enter");
    await chatsReach(run, 1);
    assertEquals(run.chats()[0].messages[0].content, lines.join("\n") + "abc");
    // Once sent, the whole input is written out, once, above the answer.
    await run.term.waitFor("Hi there.");
    const all = await run.tmux("capture-pane", "-p", "-S", "-", "-t", run.term.target);
    const sent = [`>>> ${lines[0]}`, ...lines.slice(1, -1).map((l) => `... ${l}`), "... line40abc"];
    assertStringIncludes(all, sent.join("\n") + "\nHi there.\n");
    assertEquals(all.split("line01").length, 2, all);
  } finally {
    await stop(run);
  }
});

Deno.test("terminal: a 9,000-character line in a 24-row window: Ctrl+A shows its start, and typing lands where the cursor is shown", async () => {
  const run = await start(["run", "llama3"]);
  try {
    await run.term.waitFor(">>> ");
    const text = "0123456789".repeat(900);
    await paste(run, text);
    // The editor breaks it into 120 rows of 75 characters (the last column stays empty).
    const lastRow = /\.\.\. 56789(0123456789){7}\s*$/;
    await run.term.waitFor(lastRow);
    const before = await historySize(run);
    await run.term.sendKeys("C-a");
    await run.term.sendText("X");
    const screen = await run.term.waitFor(/^>>> X0123456789/);
    assertEquals(screen.trimEnd().split("\n").length, 24, screen);
    assertEquals(await cursorAt(run), [5, 0]);
    assertEquals(await historySize(run), before);
    // With the X, the last character has a row of its own; End brings it back at the bottom.
    await run.term.sendKeys("End");
    await run.term.waitFor(/5678\n\.\.\. 9\s*$/);
    assertEquals(await cursorAt(run), [5, 23]);
    await run.term.sendText("Y");
    await run.term.waitFor(/5678\n\.\.\. 9Y\s*$/);
    assertEquals(await cursorAt(run), [6, 23]);
    assertEquals(await historySize(run), before);
    await run.term.sendKeys("Enter");
    await chatsReach(run, 1);
    assertEquals(run.chats()[0].messages[0].content, `X${text}Y`);
  } finally {
    await stop(run);
  }
});

Deno.test("terminal: a resize while an answer streams wraps the lines after it at the new width", async () => {
  // Six-letter words: at 40 columns a line holds five (34 cells) and a sixth would need 41, so a
  // line wrapped at 80 and cut by the terminal at 40 would split a word.
  const words = Array.from({ length: 60 }, () => "abcdef");
  const long = { ...llama, reply: words.join(" ") + "." };
  const run = await start(["run", "llama3"], { fake: { models: [long], chunkDelayMs: 40 } });
  try {
    await run.term.waitFor(">>> ");
    await typeLine(run, "go");
    await run.term.waitFor("abcdef");
    await run.tmux("resize-window", "-t", run.term.target, "-x", "40");
    const screen = await run.term.waitFor(/abcdef\.\n/);
    const lines = screen.slice(0, screen.indexOf("abcdef.") + 7).split("\n");
    // The last lines were all written after the resize.
    for (const line of lines.slice(-4)) {
      assert(line.length <= 40, `wider than the window: ${JSON.stringify(line)}\n${screen}`);
      assert(/^abcdef( abcdef)*\.?$/.test(line), `a word was split: ${JSON.stringify(line)}`);
    }
  } finally {
    await stop(run);
  }
});

// ---------------------------------------------------------------------------------------------
// One-shot Ctrl+C.

Deno.test("terminal: Ctrl+C in a one-shot run leaves the next prompt on a fresh line, no held-back word", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => release = resolve);
  const fake: FakeOptions = {
    handler: (req) => {
      if (req.path !== "/api/generate" || !req.body?.prompt) return undefined;
      const line = JSON.stringify({
        model: "llama3",
        created_at: "2026-11-24T10:00:00.000Z",
        response: "hello wor",
        done: false,
      }) + "\n";
      // "wor" is held back by the wrapper, waiting to learn where the word ends; the stream
      // then stays open until the client goes away.
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(line));
        },
        cancel() {
          release();
        },
      });
      return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
    },
  };
  const run = await start(["run", "llama3", "say hello"], { fake });
  try {
    await run.term.waitFor("hello");
    await run.term.sendKeys("C-c");
    await released;
    assertEquals(await run.status(), 130);
    const screen = await run.term.waitFor("AFTER");
    assertEquals(screen.includes("wor"), false, screen);
    assert(
      /(^|\n)AFTER/.test(screen),
      `the shell's next output is not on a fresh line:\n${screen}`,
    );
  } finally {
    await stop(run);
  }
});
