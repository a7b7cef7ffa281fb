import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../support/assert.ts";
import { blank, GREY, HIDE, LINE, PASTE_OFF, PASTE_ON, RESET, SHOW } from "../support/escapes.ts";
import { baseEnv, TASK_FLAGS } from "../support/cli.ts";
import { TmuxSession } from "../support/tmux.ts";
import { LineReader } from "../../lib/repl/line_reader.ts";
import { ScriptedTerminal as FakeTerminal } from "../support/fake_terminal.ts";
import { openExternalEditor } from "../../lib/repl/external_editor.ts";
import { type Config, readConfig } from "../../lib/cli/config.ts";

const PLACEHOLDER = "Send a message (/? for help)";

const PROMPT = { prompt: ">>> ", continuation: "... ", placeholder: PLACEHOLDER, history: [] };

/** The end of every readLine: paste off and cursor shown, then raw mode off. */
function assertRestored(term: FakeTerminal): void {
  assertEquals(term.raw, false);
  assertEquals(term.log.slice(-2), [PASTE_OFF + SHOW, "<raw off>"]);
}

Deno.test("LineReader returns the submitted line and writes exactly the expected bytes", async () => {
  const term = new FakeTerminal(["hi\r"]);
  const result = await new LineReader(term).readLine(PROMPT);
  assertEquals(result, { type: "line", text: "hi" });
  assertEquals(term.log, [
    "<raw on>",
    PASTE_ON,
    `${HIDE}\r${LINE}>>> ${GREY}${PLACEHOLDER}${RESET}\r\x1b[4C${SHOW}`,
    `${HIDE}\r${LINE}>>> hi${SHOW}`,
    `${HIDE}\r${LINE}>>> hi${SHOW}`,
    "\r\n",
    PASTE_OFF + SHOW,
    "<raw off>",
  ]);
});

Deno.test("LineReader restores the terminal after eof from ctrl-d", async () => {
  const term = new FakeTerminal(["\x04"]);
  assertEquals(await new LineReader(term).readLine(PROMPT), { type: "eof" });
  assertRestored(term);
  // The final state is drawn without the placeholder before the newline.
  assertEquals(term.log.slice(-4, -2), [`${HIDE}\r${LINE}>>> ${SHOW}`, "\r\n"]);
});

Deno.test("LineReader restores the terminal after eof from the input ending", async () => {
  const term = new FakeTerminal(["abc"]);
  assertEquals(await new LineReader(term).readLine(PROMPT), { type: "eof" });
  assertRestored(term);
});

Deno.test("LineReader restores the terminal after an interrupt, leaving the text visible", async () => {
  const term = new FakeTerminal(["some text", "\x03"]);
  assertEquals(await new LineReader(term).readLine(PROMPT), { type: "interrupt" });
  assertRestored(term);
  assertEquals(term.log.slice(-4, -2), [`${HIDE}\r${LINE}>>> some text${SHOW}`, "\r\n"]);
});

Deno.test("LineReader restores the terminal when read throws", async () => {
  const term = new FakeTerminal(["ab", new Error("read failed")]);
  await assertRejects(() => new LineReader(term).readLine(PROMPT), /read failed/);
  assertRestored(term);
});

Deno.test("LineReader keeps type-ahead after enter for the next line", async () => {
  const term = new FakeTerminal(["one\rtwo\r"]);
  const reader = new LineReader(term);
  assertEquals(await reader.readLine(PROMPT), { type: "line", text: "one" });
  assertEquals(await reader.readLine(PROMPT), { type: "line", text: "two" });
  assertEquals(term.reads, 1);
});

Deno.test("LineReader treats a newline ending the first read as Enter: cooked-mode type-ahead", async () => {
  // Typed while an answer streamed: the terminal delivered the line with "\n" for Enter.
  const term = new FakeTerminal(["next question\n"]);
  assertEquals(await new LineReader(term).readLine(PROMPT), {
    type: "line",
    text: "next question",
  });
});

Deno.test("LineReader keeps ctrl-j as a new row inside the first read and in later reads", async () => {
  const term = new FakeTerminal(["a\nb", "\n", "c\r"]);
  assertEquals(await new LineReader(term).readLine(PROMPT), { type: "line", text: "a\nb\nc" });
});

Deno.test("LineReader treats a pasted block as text until enter", async () => {
  const term = new FakeTerminal(["\x1b[200~a\rb", "\r\x1b[201~", "\r"]);
  assertEquals(await new LineReader(term).readLine(PROMPT), { type: "line", text: "a\nb\n" });
  assertStringIncludes(term.text, ">>> a\r\n... b\r\n... ");
});

Deno.test("LineReader recalls history passed in the options", async () => {
  const term = new FakeTerminal(["\x1b[A\x1b[A\r"]);
  const result = await new LineReader(term).readLine({ ...PROMPT, history: ["old", "new"] });
  assertEquals(result, { type: "line", text: "old" });
});

Deno.test("LineReader clears the screen on ctrl-l and draws the input again", async () => {
  const term = new FakeTerminal(["ab\x0c", "\r"]);
  assertEquals(await new LineReader(term).readLine(PROMPT), { type: "line", text: "ab" });
  const at = term.log.indexOf("\x1b[2J\x1b[H");
  assert(at > 0, "screen cleared");
  assertEquals(term.log[at + 1], `${HIDE}\r${LINE}>>> ab${SHOW}`);
});

Deno.test("LineReader re-renders with the new width on resize", async () => {
  const term = new FakeTerminal([
    "abcdefghijklmnopqrst",
    () => {
      term.width = 15;
      term.resize?.();
    },
    "\r",
  ]);
  assertEquals(await new LineReader(term).readLine(PROMPT), {
    type: "line",
    text: "abcdefghijklmnopqrst",
  });
  // The terminal re-wrapped the 24-cell row into two, so the redraw starts one row up.
  assertStringIncludes(
    term.text,
    `${HIDE}\r\x1b[1A${blank(2)}>>> abcdefghij\r\n... klmnopqrst${SHOW}`,
  );
  assertEquals(term.resize, undefined, "resize handler removed");
});

Deno.test("LineReader opens the editor outside raw mode and pre-fills its text", async () => {
  const term = new FakeTerminal(["draft\x07", "typed\r"]);
  let seen: string | undefined;
  const reader = new LineReader(term, {
    openEditor: (text) => {
      seen = text;
      term.log.push("<editor>");
      // A resize while the editor owns the terminal must not draw over it.
      term.width = 12;
      term.resize?.();
      return Promise.resolve("edited\nrows\n\n");
    },
  });
  assertEquals(await reader.readLine(PROMPT), { type: "line", text: "edited\nrowstyped" });
  assertEquals(seen, "draft");
  assertStringIncludes(term.text, `>>> edited\r\n... rowstyp\r\n... ed${SHOW}`);
  const at = term.log.indexOf("<editor>");
  // The input is erased, bracketed paste and raw mode are off while the editor runs.
  assertEquals(term.log.slice(at - 3, at + 4), [
    `${HIDE}\r${LINE}${SHOW}`,
    PASTE_OFF,
    "<raw off>",
    "<editor>",
    "<raw on>",
    PASTE_ON,
    // Drawn afresh at the new width: 7 cells of room per row.
    `${HIDE}\r${LINE}>>> edited\r\n... rows${SHOW}`,
  ]);
  assertRestored(term);
});

Deno.test("LineReader keeps the input when the editor returns blank text", async () => {
  const term = new FakeTerminal(["draft\x07", "\r"]);
  const reader = new LineReader(term, { openEditor: () => Promise.resolve(" \n\n") });
  assertEquals(await reader.readLine(PROMPT), { type: "line", text: "draft" });
});

Deno.test("LineReader reports an editor error and keeps the input", async () => {
  const term = new FakeTerminal(["draft\x07", "\r"]);
  const reader = new LineReader(term, {
    openEditor: () => Promise.reject(new Error("editor exited with error: exit status 3")),
  });
  assertEquals(await reader.readLine(PROMPT), { type: "line", text: "draft" });
  assertStringIncludes(term.text, "<raw off>error: editor exited with error: exit status 3\n");
});

Deno.test("LineReader suspends outside raw mode on ctrl-z and draws the input again", async () => {
  const term = new FakeTerminal(["ab\x1a", "\r"]);
  const reader = new LineReader(term, {
    suspend: () => {
      term.log.push(term.raw ? "<suspended in raw mode>" : "<suspended>");
      return Promise.resolve();
    },
  });
  assertEquals(await reader.readLine(PROMPT), { type: "line", text: "ab" });
  const at = term.log.indexOf("<suspended>");
  assertEquals(term.log.slice(at - 3, at + 4), [
    "\r\n",
    PASTE_OFF,
    "<raw off>",
    "<suspended>",
    "<raw on>",
    PASTE_ON,
    `${HIDE}\r${LINE}>>> ab${SHOW}`,
  ]);
});

// ---------------------------------------------------------------------------------------------
// In a real pseudo-terminal (tmux): raw mode, bracketed paste and restoring the terminal.

const FIXTURE = new URL("./fixtures/read_lines.ts", import.meta.url).pathname;

/** The screen with lines the terminal wrapped joined again, so long results can be matched. */
async function capture(term: TmuxSession): Promise<string> {
  const out = await new Deno.Command("tmux", {
    args: ["-L", term.socket, "capture-pane", "-p", "-J", "-t", term.target],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

async function waitFor(term: TmuxSession, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const screen = await capture(term);
    if (pattern.test(screen)) return screen;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Matches the result line for `text` followed by a fresh prompt (raw mode is on again). */
function gotThenPrompt(text: string): RegExp {
  return new RegExp(
    `\\[got ${escapeRegExp(JSON.stringify(text))}\\]\\n>>> ${
      PLACEHOLDER.replace(/[?()/]/g, "\\$&")
    }`,
  );
}

/**
 * Runs the fixture in tmux: `before` is put in front of it in the shell command line (to pipe
 * something into it), and after it ends the terminal modes it left behind are printed as
 * `STTY: icanon echo ` (or `-icanon`, `-echo` when it failed to restore them).
 */
async function startFixture(
  args: string[],
  options: { before?: string; env?: Record<string, string> } = {},
): Promise<TmuxSession> {
  const env = baseEnv(options.env);
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  // No permissions beyond the ones the dollama task has, and no prompting for more.
  const flags = ["--quiet", "--no-prompt", ...TASK_FLAGS].join(" ");
  const script = `${options.before ?? ""}"$0" run ${flags} "$@"; status=$?; ` +
    `echo "STTY: $(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')"; ` +
    `exit $status`;
  return await TmuxSession.start(["sh", "-c", script, Deno.execPath(), FIXTURE, ...args], {
    env,
    cols: 40,
    rows: 20,
  });
}

const FRESH_PROMPT = new RegExp(`^>>> ${PLACEHOLDER.replace(/[?()/]/g, "\\$&")}`, "m");

Deno.test("LineReader in a real terminal: editing keys, history, paste, rows, wrap, restore", async () => {
  const editor = editorScript(`printf '\\nfrom the editor\\n' >> "$1"`);
  const term = await startFixture([], { env: { OLLAMA_EDITOR: editor } });
  try {
    let screen = await waitFor(
      term,
      new RegExp(`^>>> ${PLACEHOLDER.replace(/[?()/]/g, "\\$&")}`, "m"),
    );

    // Typing, moving by character and to both ends.
    await term.sendText("hello wor");
    await term.sendKeys("Left", "Left", "C-a", "X", "C-e", "Y", "Enter");
    await waitFor(term, gotThenPrompt("Xhello worY"));

    // Alt+B moves back a word.
    await term.sendText("foo bar");
    await term.sendKeys("M-b", "X", "Enter");
    await waitFor(term, gotThenPrompt("foo Xbar"));

    // Ctrl+W deletes the previous word.
    await term.sendText("one two three");
    await term.sendKeys("C-w", "Enter");
    await waitFor(term, gotThenPrompt("one two "));

    // History: Up twice goes back two entries.
    await term.sendKeys("Up", "Up", "Enter");
    await waitFor(term, gotThenPrompt("foo Xbar"));

    // The draft comes back when moving past the newest entry.
    await term.sendText("draft");
    await term.sendKeys("Up", "Down", "Enter");
    await waitFor(term, gotThenPrompt("draft"));

    // A bracketed paste (tmux only brackets it when the program asked for it) does not submit.
    await new Deno.Command("tmux", {
      args: ["-L", term.socket, "set-buffer", "-b", "p", "pasted one\npasted two"],
    }).output();
    await new Deno.Command("tmux", {
      args: ["-L", term.socket, "paste-buffer", "-p", "-d", "-b", "p", "-t", term.target],
    }).output();
    screen = await waitFor(term, /^>>> pasted one\n\.\.\. pasted two$/m);
    assert(!screen.includes('[got "pasted one"]'), "the paste did not submit");
    await term.sendKeys("Enter");
    await waitFor(term, gotThenPrompt("pasted one\npasted two"));

    // Ctrl+J starts a new row.
    await term.sendKeys("a", "C-j", "b");
    await waitFor(term, /^>>> a\n\.\.\. b$/m);
    await term.sendKeys("Enter");
    await waitFor(term, gotThenPrompt("a\nb"));

    // A line longer than the terminal wraps onto "... " rows of 35 cells.
    const long = "abcdefghij".repeat(6);
    await term.sendText(long);
    await waitFor(
      term,
      new RegExp(`^>>> ${long.slice(0, 35)}\\n\\.\\.\\. ${long.slice(35)}$`, "m"),
    );
    await term.sendKeys("Enter");
    await waitFor(term, gotThenPrompt(long));

    // Wide characters: the cursor moves by a whole character.
    await term.sendText("日本語");
    await term.sendKeys("Left", "X", "Enter");
    await waitFor(term, gotThenPrompt("日本X語"));

    // Ctrl+G hands the input to the editor and pre-fills what it wrote.
    await term.sendText("draft");
    await term.sendKeys("C-g");
    await waitFor(term, /^>>> draft\n\.\.\. from the editor$/m);
    await term.sendKeys("Enter");
    await waitFor(term, gotThenPrompt("draft\nfrom the editor"));

    // Ctrl+C is a key in raw mode, not a signal.
    await term.sendText("discard me");
    await term.sendKeys("C-c");
    await waitFor(term, /^>>> discard me\n\[interrupt\]\n>>> Send/m);

    // Ctrl+D on an empty line ends the program, and the terminal is cooked again.
    await term.sendKeys("C-d");
    assertEquals(await term.waitForExit(), 0);
    screen = await waitFor(term, /STTY: /);
    assertStringIncludes(screen, "STTY: icanon echo ");
    assert(await term.cursorVisible(), "cursor visible");
  } finally {
    await term.kill();
  }
});

Deno.test("LineReader in a real terminal: reads the tty while stdin is a pipe; resize", async () => {
  const term = await startFixture(["tty"], { before: "echo not-for-the-editor | " });
  try {
    await waitFor(term, FRESH_PROMPT);
    await term.sendText("from the keyboard");
    await term.sendKeys("C-a", "C-k", "typed", "Enter");
    await waitFor(term, gotThenPrompt("typed"));

    // Resizing re-wraps the input at the new width, with nothing of the old drawing left.
    const line = "abcdefghijklmnopqrstuvwxyz0123";
    await term.sendText(line);
    await waitFor(term, new RegExp(`^>>> ${line}$`, "m"));
    await new Deno.Command("tmux", {
      args: ["-L", term.socket, "resize-window", "-t", term.target, "-x", "20", "-y", "20"],
    }).output();
    const screen = await waitFor(term, /^>>> abcdefghijklmno\n\.\.\. pqrstuvwxyz0123$/m);
    assertEquals(screen.split("abcdefghijklmno").length, 2, `stale rows left:\n${screen}`);
    await term.sendKeys("Enter");
    await waitFor(term, /\[got "abcdefghijklmnopqrstuvwxyz0123"\]\n>>> Send/);
    await term.sendKeys("C-d");
    assertEquals(await term.waitForExit(), 0);
    const after = await waitFor(term, /STTY: /);
    assertStringIncludes(after, "STTY: icanon echo ");
    assert(!after.includes("not-for-the-editor"), "stdin was not read");
  } finally {
    await term.kill();
  }
});

// ---------------------------------------------------------------------------------------------
// The external editor (Ctrl+G), with small shell scripts standing in for editors.

/** Writes an executable script into a fresh directory and returns its path. */
function editorScript(body: string): string {
  const dir = Deno.makeTempDirSync({ prefix: "dollama-editor-" });
  const path = `${dir}/fake-editor`;
  Deno.writeTextFileSync(path, `#!/bin/sh\n${body}\n`);
  Deno.chmodSync(path, 0o755);
  return path;
}

function envOf(vars: Record<string, string>): Config {
  return readConfig((name) => vars[name] ?? (name === "PATH" ? Deno.env.get("PATH") : undefined));
}

Deno.test("openExternalEditor returns the edited text without trailing newlines", async () => {
  const log = Deno.makeTempFileSync();
  // The script gets the file as its last argument, after the words of the variable.
  const editor = editorScript(
    `echo "$1 $(basename "$2")" > ${log}; cat "$2" >> ${log}; printf ' and more\\n\\n' >> "$2"`,
  );
  const text = await openExternalEditor("first\nsecond", envOf({ OLLAMA_EDITOR: `${editor} -x` }));
  assertEquals(text, "first\nsecond and more");
  const [args, ...content] = Deno.readTextFileSync(log).split("\n");
  assertMatch(args, /^-x ollama-prompt-.*\.txt$/);
  assertEquals(content.join("\n"), "first\nsecond");
});

Deno.test("openExternalEditor deletes the temporary file", async () => {
  const log = Deno.makeTempFileSync();
  const editor = editorScript(`echo "$1" > ${log}`);
  assertEquals(await openExternalEditor("x", envOf({ EDITOR: editor })), "x");
  const file = Deno.readTextFileSync(log).trim();
  await assertRejects(() => Deno.stat(file), /No such file/);
});

Deno.test("openExternalEditor prefers OLLAMA_EDITOR, then VISUAL, then EDITOR", async () => {
  const say = (word: string) => editorScript(`printf ${word} > "$1"`);
  const [a, b, c] = [say("ollama"), say("visual"), say("editor")];
  assertEquals(
    await openExternalEditor("", envOf({ OLLAMA_EDITOR: a, VISUAL: b, EDITOR: c })),
    "ollama",
  );
  assertEquals(
    await openExternalEditor("", envOf({ OLLAMA_EDITOR: "", VISUAL: b, EDITOR: c })),
    "visual",
  );
  assertEquals(await openExternalEditor("", envOf({ EDITOR: c })), "editor");
});

Deno.test("openExternalEditor reports a failing editor with its exit status", async () => {
  const editor = editorScript("exit 3");
  await assertRejects(
    () => openExternalEditor("x", envOf({ OLLAMA_EDITOR: editor })),
    /^editor exited with error: exit status 3$/,
  );
});

Deno.test("openExternalEditor reports an editor that is not installed", async () => {
  await assertRejects(
    () => openExternalEditor("x", envOf({ OLLAMA_EDITOR: "no-such-editor-here --wait" })),
    /^editor "no-such-editor-here" not found, set OLLAMA_EDITOR to the path of your preferred editor$/,
  );
});

Deno.test("LineReader runs an answer quietly on a terminal that can, and as it is otherwise", async () => {
  const plain = new FakeTerminal([]);
  assertEquals(await new LineReader(plain).whileAnswering(() => Promise.resolve("plain")), "plain");
  const calls: string[] = [];
  const quiet = Object.assign(new FakeTerminal([]), {
    quietWhile<T>(operation: () => Promise<T>): Promise<T> {
      calls.push("quiet");
      return operation();
    },
  });
  assertEquals(await new LineReader(quiet).whileAnswering(() => Promise.resolve("quiet")), "quiet");
  assertEquals(calls, ["quiet"]);
});
