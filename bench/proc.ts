/**
 * Child processes for the bench, measured by the OS: GNU time (`/usr/bin/time`) reports the
 * child's CPU (user + system) and its peak RSS from the kernel's own accounting. Without GNU
 * time only the wall time is known and CPU and RSS are reported as missing.
 */
import { baseEnv, dollamaCommand } from "../tests/support/cli.ts";
import { RUNTIME_FLAGS } from "../scripts/compile.ts";

export const ROOT = new URL("../", import.meta.url).pathname;
const TIME = "/usr/bin/time";

export const HAVE_TIME = (() => {
  try {
    return Deno.statSync(TIME).isFile;
  } catch {
    return false;
  }
})();

/** One environment for every child: no colour, a private HOME, the caller's PATH and DENO_DIR. */
const sharedEnv = baseEnv();
if (sharedEnv.DENO_DIR === "") delete sharedEnv.DENO_DIR;

/** Removes the private HOME made for the children. */
export function removeChildHome(): void {
  try {
    Deno.removeSync(sharedEnv.HOME, { recursive: true });
  } catch {
    // already gone
  }
}

/** What one run cost. CPU in seconds, RSS in bytes; NaN when GNU time is missing. */
export interface Measured {
  wallMs: number;
  cpuS: number;
  rssBytes: number;
  stdoutBytes: number;
  /** The first few KB of stdout, to check the answer. */
  stdoutHead: string;
  stderr: string;
  code: number;
}

/** A command to measure, and what its environment adds to the shared one. */
export interface Command {
  argv: string[];
  env?: Record<string, string>;
}

/**
 * dollama's own Deno cache. Deno's code cache is made for one set of V8 flags: a process with
 * other flags than the one before it finds the cached code unusable and compiles afresh, so
 * dollama (with the task's flags) and the floors (without) sharing one cache each started cold
 * after the other. Measured: a floor run right after dollama took 13 ms longer than right after
 * another floor run, and not at all longer once dollama ran without flags. With a cache of its
 * own, as a compiled binary has, each side runs warm whatever ran before it.
 */
const DOLLAMA_DENO_DIR = `${sharedEnv.HOME}/deno-dir`;

/** `dollama ARGS`, exactly as the `dollama` task runs it, with its own Deno cache. */
export function dollama(args: string[]): Command {
  return {
    argv: [Deno.execPath(), ...dollamaCommand(args)],
    env: { DENO_DIR: DOLLAMA_DENO_DIR },
  };
}

/** The Deno cache of transpiled dollama, trimmed to what a binary code-caches. */
export const TRANSPILED_DENO_DIR = `${DOLLAMA_DENO_DIR}-transpiled`;

/**
 * dollama transpiled ahead of time (bench/transpiled.ts): the entry point of that tree, with the
 * flags a compiled binary carries (scripts/compile.ts) and a Deno cache of its own.
 */
export function transpiledDollama(entryJs: string, args: string[]): Command {
  return {
    argv: [Deno.execPath(), "run", "--quiet", ...RUNTIME_FLAGS, entryJs, ...args],
    env: { DENO_DIR: TRANSPILED_DENO_DIR },
  };
}

/** Where the bench keeps what it builds for one run; removed with the children's HOME. */
export const BENCH_DIR = `${sharedEnv.HOME}/bench`;

/** `deno run -A bench/floors/NAME.ts ARGS`. */
export function floor(name: string, args: string[]): Command {
  return {
    argv: [Deno.execPath(), "run", "--quiet", "-A", `${ROOT}bench/floors/${name}.ts`, ...args],
  };
}

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

export interface RunOptions {
  host: string;
  /** Bytes written to stdin (then closed); stdin is /dev/null otherwise. */
  stdin?: Uint8Array;
  /**
   * `pipe`: stdout is a pipe the bench drains; `pty`: stdout is a pseudo-terminal made by
   * util-linux `script`, whose own copy of the output goes to /dev/null.
   */
  stdout: "pipe" | "pty";
  /** For `pty` runs: called with script's stdin and stdout to drive a conversation. */
  drive?: (input: WritableStream<Uint8Array>, output: ReadableStream<Uint8Array>) => Promise<void>;
}

/** Runs `command` once and measures it. */
export async function measure(command: Command, options: RunOptions): Promise<Measured> {
  const argv = command.argv;
  const dir = await Deno.makeTempDir({ prefix: "dollama-bench-" });
  const timeFile = `${dir}/time`;
  const timed = HAVE_TIME ? [TIME, "-o", timeFile, "-f", "%U %S %M", ...argv] : argv;
  const spawned = options.stdout === "pty"
    // The pty starts 0×0 without a terminal behind the bench; 80 columns turn word wrap on.
    ? ["script", "-qfec", `stty cols 80 rows 24; exec ${timed.map(quote).join(" ")}`, "/dev/null"]
    : timed;
  const env = {
    ...sharedEnv,
    ...command.env,
    OLLAMA_HOST: options.host,
    SHELL: "/bin/sh",
    TERM: "xterm-256color",
  };
  try {
    const start = performance.now();
    const child = new Deno.Command(spawned[0], {
      args: spawned.slice(1),
      cwd: ROOT,
      env,
      clearEnv: true,
      stdin: options.stdin || options.drive ? "piped" : "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let out: Promise<{ bytes: number; head: string }>;
    let feeding: Promise<void> = Promise.resolve();
    if (options.drive) {
      const [forDriver, forCount] = child.stdout.tee();
      out = drain(forCount);
      feeding = options.drive(child.stdin, forDriver);
    } else {
      out = drain(child.stdout);
      if (options.stdin) {
        const bytes = options.stdin;
        feeding = (async () => {
          const writer = child.stdin.getWriter();
          // A child that fails early closes its stdin; its exit code tells the story.
          await writer.write(bytes).catch(() => {});
          await writer.close().catch(() => {});
        })();
      }
    }
    const err = drain(child.stderr);
    // A driver that gives up (no prompt in time) ends the child, so the bench cannot hang.
    feeding.catch(() => child.kill());
    const [status, o, e] = await Promise.all([child.status, out, err, feeding]);
    const wallMs = performance.now() - start;
    let cpuS = NaN;
    let rssBytes = NaN;
    if (HAVE_TIME) {
      // The last line: GNU time writes "Command exited with non-zero status N" before it.
      const fields = (await Deno.readTextFile(timeFile)).trim().split("\n").at(-1)!.split(" ");
      cpuS = Number(fields[0]) + Number(fields[1]);
      rssBytes = Number(fields[2]) * 1024;
    }
    return {
      wallMs,
      cpuS,
      rssBytes,
      stdoutBytes: o.bytes,
      stdoutHead: o.head,
      stderr: e.head,
      code: status.code,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Reads a stream to its end, counting bytes and keeping only the first `keep` of them. */
export async function drain(
  stream: ReadableStream<Uint8Array>,
  keep = 4096,
): Promise<{ bytes: number; head: string }> {
  let bytes = 0;
  let head = "";
  const decoder = new TextDecoder();
  for await (const part of stream) {
    bytes += part.length;
    if (head.length < keep) head += decoder.decode(part.subarray(0, keep), { stream: true });
  }
  return { bytes, head };
}
