/**
 * Pseudo-terminal tests through tmux: run a command in a detached session of a given size, type
 * at it, and read the screen back. Each session gets its own tmux server (`-L`), so tests never
 * touch a user's tmux and can run in parallel.
 *
 *     const term = await startDollama(["pull", "m"], { host: fake.url, cols: 80, rows: 20 });
 *     try {
 *       await term.waitFor("success");        // polls the screen, fails after a timeout
 *       assertEquals(await term.waitForExit(), 0);
 *       const screen = await term.capture();   // the visible lines, trailing blanks trimmed
 *     } finally {
 *       await term.kill();
 *     }
 *
 * `TmuxSession.start(argv, { env, cols, rows, cwd })` runs any program the same way.
 * Keys: `sendKeys("Enter")`, `sendKeys("C-c")`, `sendKeys("Left")` use tmux key names;
 * `sendText("hello")` types text literally.
 */
import { baseEnv, dollamaCommand } from "./cli.ts";

export interface TmuxOptions {
  /** Environment of the command; nothing else is inherited. Defaults to `baseEnv()` of cli.ts. */
  env?: Record<string, string>;
  cols?: number;
  rows?: number;
  cwd?: string;
}

export interface WaitOptions {
  /** Give up (and throw, showing the screen) after this long. Default 15 s. */
  timeoutMs?: number;
}

let counter = 0;

async function tmux(socket: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("tmux", {
    args: ["-L", socket, "-f", "/dev/null", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  if (!out.success) {
    throw new Error(`tmux ${args[0]} failed: ${decoder.decode(out.stderr).trim()}`);
  }
  return decoder.decode(out.stdout);
}

/** Single-quotes a word for sh. */
function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Polls `probe` every 25 ms until it returns a value other than undefined, or times out. */
export async function poll<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(await describe());
    await new Promise((r) => setTimeout(r, 25));
  }
}

export class TmuxSession {
  private constructor(
    readonly socket: string,
    readonly target: string,
    readonly exitFile: string,
    /** Where tmux put the server's socket; tmux leaves the file behind when the server ends. */
    readonly socketPath: string,
  ) {}

  /** Starts `argv` (program and arguments, no shell) in a new detached session. */
  static async start(argv: string[], options: TmuxOptions = {}): Promise<TmuxSession> {
    const socket = `dollama-test-${Deno.pid}-${++counter}`;
    const exitFile = await Deno.makeTempFile({ prefix: "dollama-tmux-exit-" });
    await Deno.remove(exitFile);
    const env = { TERM: "tmux-256color", ...(options.env ?? baseEnv()) };
    // The command's exit status goes to a file rather than onto the screen; the pane then stays
    // open (sleeping) so the final screen can still be captured.
    // Trapping INT and QUIT in the shell (with a command, so the program still gets the default
    // disposition) keeps Ctrl+C and Ctrl+\ from killing the wrapper before it can record the
    // status.
    const script = `trap true INT QUIT; "$@"; echo $? > ${shellQuote(exitFile)}; exec sleep 86400`;
    const command = [
      "env",
      "-i",
      ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
      "sh",
      "-c",
      script,
      "sh",
      ...argv,
    ].map(shellQuote).join(" ");
    const args = ["new-session", "-d", "-s", "t", "-x", String(options.cols ?? 80)];
    args.push("-y", String(options.rows ?? 24));
    args.push("-c", options.cwd ?? Deno.cwd());
    await tmux(socket, [...args, command]);
    const socketPath = (await tmux(socket, ["display-message", "-p", "#{socket_path}"])).trim();
    return new TmuxSession(socket, "t", exitFile, socketPath);
  }

  /** Sends tmux key names: `Enter`, `C-c`, `Escape`, `Up`, or plain words (each its keys). */
  async sendKeys(...keys: string[]): Promise<void> {
    await tmux(this.socket, ["send-keys", "-t", this.target, ...keys]);
  }

  /** Types `text` literally, no key-name interpretation. */
  async sendText(text: string): Promise<void> {
    await tmux(this.socket, ["send-keys", "-t", this.target, "-l", text]);
  }

  /** The visible screen, one string with `\n` between rows; tmux trims trailing blanks. */
  async capture(): Promise<string> {
    return await tmux(this.socket, ["capture-pane", "-p", "-t", this.target]);
  }

  /** Whether the terminal's cursor is currently shown (a program may hide it with `ESC[?25l`). */
  async cursorVisible(): Promise<boolean> {
    const flag = await tmux(this.socket, [
      "display-message",
      "-p",
      "-t",
      this.target,
      "#{cursor_flag}",
    ]);
    return flag.trim() === "1";
  }

  /** Waits until the screen contains `text` (or matches it); returns that screen. */
  async waitFor(text: string | RegExp, options: WaitOptions = {}): Promise<string> {
    return await poll(
      async () => {
        const screen = await this.capture();
        const hit = typeof text === "string" ? screen.includes(text) : text.test(screen);
        return hit ? screen : undefined;
      },
      options.timeoutMs ?? 15_000,
      async () => `timed out waiting for ${String(text)}; screen:\n${await this.capture()}`,
    );
  }

  /** Waits for the command to end and returns its exit status (130 after Ctrl+C, …). */
  async waitForExit(options: WaitOptions = {}): Promise<number> {
    return await poll(
      async () => {
        try {
          const text = (await Deno.readTextFile(this.exitFile)).trim();
          return text === "" ? undefined : Number(text);
        } catch {
          return undefined;
        }
      },
      options.timeoutMs ?? 15_000,
      async () => `timed out waiting for the command to exit; screen:\n${await this.capture()}`,
    );
  }

  /** Ends the session and its tmux server, and removes its files. Safe to call twice. */
  async kill(): Promise<void> {
    try {
      await tmux(this.socket, ["kill-server"]);
    } catch {
      // already gone
    }
    // tmux 3.3 does not unlink the socket when its server exits: without this every test run
    // would leave one socket per session in tmux's socket directory.
    await Deno.remove(this.socketPath).catch(() => {});
    await Deno.remove(this.exitFile).catch(() => {});
  }
}

const repoRoot = new URL("../../", import.meta.url).pathname;

/**
 * Starts dollama in a session exactly as `runCli` runs it (same flags, clean `baseEnv()`,
 * repository root as cwd), with OLLAMA_HOST set to `host` when given.
 */
export async function startDollama(
  args: string[],
  options: { host?: string; env?: Record<string, string>; cols?: number; rows?: number } = {},
): Promise<TmuxSession> {
  const env = baseEnv(options.env);
  if (options.host !== undefined) env.OLLAMA_HOST = options.host;
  if (env.DENO_DIR === "") delete env.DENO_DIR;
  return await TmuxSession.start([Deno.execPath(), ...dollamaCommand(args)], {
    env,
    cols: options.cols,
    rows: options.rows,
    cwd: repoRoot,
  });
}
