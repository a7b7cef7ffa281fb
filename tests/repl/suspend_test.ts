/**
 * Stopping the chat and bringing it back with `fg`, in a real pseudo-terminal (tmux) under an
 * interactive bash with job control, against the fake server. While dollama is stopped bash puts
 * the terminal back in its own (cooked) mode, so after `fg` dollama must set its mode again: quiet
 * while an answer streams, raw (and the prompt redrawn) at the prompt.
 */
import { assertEquals } from "../support/assert.ts";
import { type FakeModel, FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";
import { poll, TmuxSession } from "../support/tmux.ts";

const repoRoot = new URL("../../", import.meta.url).pathname;
/** bash's prompt; the screen shows it without its trailing space. */
const PS1 = "shell$ ";

interface Run {
  term: TmuxSession;
  server: FakeOllama;
  /** The pid of dollama (the deno process bash started). */
  pid(): Promise<number>;
  chats(): { messages: { role: string; content: string }[] }[];
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Types `dollama ARGS` at an interactive bash (no rc files, no history) in tmux. */
async function start(args: string[], fake: FakeOptions): Promise<Run> {
  const server = new FakeOllama(fake);
  const env = baseEnv({ OLLAMA_HOST: server.url, PS1, NO_COLOR: "" });
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  const term = await TmuxSession.start(
    ["bash", "--norc", "--noprofile", "+o", "history", "-i"],
    { env, cols: 80, rows: 24, cwd: repoRoot },
  );
  await term.waitFor(PS1.trim());
  const dir = Deno.makeTempDirSync({ prefix: "dollama-suspend-" });
  await term.sendText(`echo $$ > ${dir}/shell`);
  await term.sendKeys("Enter");
  const shell = await poll(
    async () => (await Deno.readTextFile(`${dir}/shell`).catch(() => "")).trim() || undefined,
    15_000,
    () => Promise.resolve("bash never wrote its pid"),
  );
  await term.sendKeys("C-l");
  await term.sendText([Deno.execPath(), ...dollamaCommand(args)].map(shellQuote).join(" "));
  await term.sendKeys("Enter");
  return {
    term,
    server,
    pid: async () => {
      const out = await new Deno.Command("pgrep", { args: ["-P", shell], stdout: "piped" })
        .output();
      return Number(new TextDecoder().decode(out.stdout).trim().split("\n")[0]);
    },
    chats: () => server.requestsTo("/api/chat").map((r) => r.body),
  };
}

async function stop(run: Run): Promise<void> {
  await run.term.kill();
  await run.server.close();
}

async function chatsReach(run: Run, n: number): Promise<void> {
  await poll(
    () => Promise.resolve(run.chats().length >= n ? true : undefined),
    15_000,
    async () => `${n} chat requests never arrived; screen:\n${await run.term.capture()}`,
  );
}

/** Brings the stopped job back with bash's `fg`. */
async function fg(run: Run): Promise<void> {
  await run.term.waitFor(/Stopped/);
  await run.term.sendText("fg");
  await run.term.sendKeys("Enter");
}

/** The highest N of the `wN` words on screen. */
function lastWord(screen: string): number {
  return Math.max(0, ...[...screen.matchAll(/\bw(\d+)\b/g)].map((m) => Number(m[1])));
}

Deno.test("suspend: after Ctrl+Z during an answer and fg, typed keys are still kept out of the answer", async () => {
  const words = Array.from({ length: 40 }, (_, i) => `w${i + 1}`);
  const model: FakeModel = { name: "llama3:latest", reply: words.join(" ") };
  const run = await start(["run", "llama3"], { models: [model], chunkDelayMs: 100 });
  try {
    await run.term.waitFor(">>> Send a message");
    await run.term.sendText("go");
    await run.term.sendKeys("Enter");
    await run.term.waitFor("w3 ");
    // The keyboard is quiet, not raw, while the answer streams: Ctrl+Z is a signal.
    await run.term.sendKeys("C-z");
    await fg(run);
    // Two more words: the answer goes on after fg, so dollama runs again.
    const seen = lastWord(await run.term.waitFor(/\bfg\b/));
    await run.term.waitFor(new RegExp(`\\bw${seen + 2}\\b`));
    await run.term.sendText("xyz");
    const screen = await run.term.waitFor(/w40\n/);
    const answer = screen.slice(screen.indexOf("w1 "), screen.indexOf("w40") + 3);
    assertEquals(answer.includes("xyz"), false, `typed keys landed in the answer:\n${screen}`);
    // What was typed is the next prompt's draft, and Enter sends it.
    await run.term.waitFor(">>> xyz");
    await run.term.sendKeys("Enter");
    await chatsReach(run, 2);
    assertEquals(run.chats()[1].messages.at(-1), { role: "user", content: "xyz" });
    await run.term.sendKeys("C-d");
    await run.term.waitFor(/^shell\$$/m);
  } finally {
    await stop(run);
  }
});

Deno.test("suspend: stopped at the prompt from outside, fg makes the keyboard raw again and redraws the prompt", async () => {
  const model: FakeModel = { name: "llama3:latest", reply: "Hi there." };
  const run = await start(["run", "llama3"], { models: [model] });
  try {
    await run.term.waitFor(">>> Send a message");
    await run.term.sendText("abc");
    await run.term.waitFor(">>> abc");
    // At the prompt Ctrl+Z is a key the editor reads; a SIGTSTP from elsewhere stops dollama
    // without the editor knowing.
    Deno.kill(await run.pid(), "SIGTSTP");
    await fg(run);
    // The prompt is drawn again below bash's lines, and keys are read one at a time.
    await run.term.waitFor(/shell\$ fg\n[\s\S]*\n>>> abc\s*$/);
    await run.term.sendKeys("Left");
    await run.term.sendText("X");
    await run.term.waitFor(/>>> abXc$/m);
    await run.term.sendKeys("Enter");
    await chatsReach(run, 1);
    assertEquals(run.chats()[0].messages.at(-1), { role: "user", content: "abXc" });
  } finally {
    await stop(run);
  }
});
