/**
 * The real `Io`, built from Deno's globals. Only `main.ts` and the terminal factory of the line
 * editor (`denoTerminal`) use this file.
 */
import { CliError, osReason } from "./errors.ts";
import type { Input, Io, Output } from "./io.ts";

const encoder = new TextEncoder();

/** The width of the terminal, asking stdout, stderr and stdin in turn; undefined if none is one. */
export function consoleColumns(): number | undefined {
  try {
    return Deno.consoleSize().columns || undefined;
  } catch {
    return undefined;
  }
}

/**
 * How long an Output trusts the width it last asked for. A streamed answer on a terminal asks
 * before every token, to follow a resize, and each question is a system call: over 100k tokens
 * into a pseudo-terminal, 2.4% of the CPU profile. A resize reaches the wrap this much later at
 * most. (The line editor asks the terminal itself, each time.)
 */
const COLUMNS_TRUSTED_MS = 100;

/**
 * An Output over a Deno file (stdout, stderr, /dev/tty); writes until every byte is out. `ask`
 * and `clock` are for tests.
 */
export function fileOutput(
  file: { write(p: Uint8Array): Promise<number>; isTerminal(): boolean },
  ask: () => number | undefined = consoleColumns,
  clock: () => number = Date.now,
): Output {
  const isTerminal = file.isTerminal();
  let columns: number | undefined;
  let askedAt = -Infinity;
  return {
    isTerminal,
    async write(chunk) {
      let bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
      while (bytes.length > 0) bytes = bytes.subarray(await file.write(bytes));
    },
    columns() {
      if (!isTerminal) return undefined;
      const now = clock();
      if (now - askedAt >= COLUMNS_TRUSTED_MS || now < askedAt) {
        columns = ask();
        askedAt = now;
      }
      return columns;
    },
  };
}

/** Closes a standard stream; one already closed is no error. */
function closeQuietly(stream: { close(): void }): void {
  try {
    stream.close();
  } catch {
    // Closed already: the end is what was wanted.
  }
}

function denoInput(): Input {
  return {
    isTerminal: Deno.stdin.isTerminal(),
    read: (into) => Deno.stdin.read(into),
  };
}

/**
 * Ctrl+C goes to the most recently registered handler only: main's handler aborts the command,
 * and while a REPL operation runs, the handler of its interrupt scope (lib/io.ts) cancels just
 * that operation.
 */
const interruptHandlers: (() => void)[] = [];
let listening = false;

function onInterrupt(handler: () => void): () => void {
  if (!listening) {
    listening = true;
    Deno.addSignalListener("SIGINT", () => interruptHandlers.at(-1)?.());
  }
  interruptHandlers.push(handler);
  return () => {
    const at = interruptHandlers.lastIndexOf(handler);
    if (at >= 0) interruptHandlers.splice(at, 1);
  };
}

/**
 * What must happen before the process ends on SIGTERM, SIGHUP or SIGQUIT: the terminal's owner
 * registers how to give it back (lib/term/modal_terminal.ts) while it holds raw or quiet mode.
 * The signals are only listened for while a hook is registered; otherwise they end the process
 * as they always do, with nothing to repair. SIGQUIT is among them because quiet mode leaves the
 * keyboard's signals on: Ctrl+\ during an answer sends it.
 */
const terminationHooks: (() => Promise<void>)[] = [];
const TERMINATION_SIGNALS = [
  // 128 + the signal's number, the status a shell reports for a process the signal ended.
  { signal: "SIGTERM", code: 143 },
  { signal: "SIGHUP", code: 129 },
  { signal: "SIGQUIT", code: 131 },
] as const;
const terminationListeners = TERMINATION_SIGNALS.map(({ signal, code }) => ({
  signal,
  listener: () => void terminate(code),
}));
/** The listeners added, so exactly those are removed: a runtime may refuse some signals. */
let listeningFor: typeof terminationListeners = [];
/** The longest the hooks may take: a terminal that hung up must not keep the process alive. */
const TERMINATION_GRACE_MS = 1000;

async function terminate(code: number): Promise<never> {
  const hooks = terminationHooks.splice(0).reverse();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    for (const hook of hooks) await hook().catch(() => {});
  };
  await Promise.race([
    run(),
    new Promise((resolve) => timer = setTimeout(resolve, TERMINATION_GRACE_MS)),
  ]);
  clearTimeout(timer);
  Deno.exit(code);
}

export function onTerminate(hook: () => Promise<void>): () => void {
  // Windows has none of these signals; a closed console ends the process without asking.
  if (Deno.build.os === "windows") return () => {};
  if (terminationHooks.length === 0) {
    listeningFor = terminationListeners.filter(({ signal, listener }) => {
      try {
        Deno.addSignalListener(signal, listener);
        return true;
      } catch {
        // A platform where this signal cannot be listened for: it ends the process as it
        // would anyway, and the others are still caught.
        return false;
      }
    });
  }
  terminationHooks.push(hook);
  return () => {
    const at = terminationHooks.lastIndexOf(hook);
    if (at < 0) return;
    terminationHooks.splice(at, 1);
    if (terminationHooks.length > 0) return;
    for (const { signal, listener } of listeningFor) Deno.removeSignalListener(signal, listener);
    listeningFor = [];
  };
}

/** The variables that make the runtime send requests through a proxy. */
const PROXY_VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY"];
const NO_PROXY_VARIABLES = ["NO_PROXY", "no_proxy"];

/** An environment variable; none when the runtime may not read it. */
function envValue(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/**
 * `fetch` as the official client proxies: never for this machine. Go's proxy rules leave out
 * `localhost` and every loopback address, and read a `NO_PROXY` of `*` as no proxy at all; the
 * runtime's own rules proxy loopback too (a corporate HTTP_PROXY then swallowed every request to
 * the local server) and read `*` as every name but no address. With a proxy set, requests go
 * through a client made with those exceptions added to NO_PROXY for the moment it is made; the
 * environment is put back at once, so the commands the agent runs see it as it was. Without a
 * proxy this is the plain `fetch`, and costs nothing.
 */
function proxyAwareFetch(): typeof fetch {
  if (!PROXY_VARIABLES.some((name) => envValue(name))) return globalThis.fetch;
  let client: Deno.HttpClient | undefined;
  return (input, init) => {
    client ??= clientSparingThisMachine();
    return fetch(input, { ...init, client });
  };
}

function clientSparingThisMachine(): Deno.HttpClient {
  const saved = NO_PROXY_VARIABLES.map((name) => envValue(name));
  const entries = (saved.find((value) => value !== undefined) ?? "").split(",")
    .map((entry) => entry.trim()).filter((entry) => entry !== "");
  const spared = ["localhost", "127.0.0.0/8", "::1"];
  if (entries.includes("*")) spared.push("0.0.0.0/0", "::/0");
  try {
    for (const name of NO_PROXY_VARIABLES) Deno.env.set(name, [...entries, ...spared].join(","));
    return Deno.createHttpClient({});
  } finally {
    NO_PROXY_VARIABLES.forEach((name, i) => {
      const value = saved[i];
      if (value === undefined) Deno.env.delete(name);
      else Deno.env.set(name, value);
    });
  }
}

/**
 * stdout's failures in the user's words (`could not write to stdout: no space left on device`),
 * but for its reader going away, which ends a run quietly (lib/exit.ts) and so stays as it is.
 */
function namedFailures(output: Output): Output {
  return {
    ...output,
    write: (chunk) =>
      output.write(chunk).catch((err) => {
        if (err instanceof Deno.errors.BrokenPipe) throw err;
        throw new CliError(`could not write to stdout: ${osReason(err)}`);
      }),
  };
}

/**
 * stderr carries what is said about the work (progress, thinking, warnings, the error line),
 * never the work itself: a write that fails there, its reader gone or its disk full, is dropped,
 * so it can cost neither the answer on stdout nor the exit status.
 */
export function bestEffort(output: Output): Output {
  return { ...output, write: (chunk) => output.write(chunk).catch(() => {}) };
}

export function denoIo(): Io {
  return {
    stdin: denoInput(),
    stdout: { ...namedFailures(fileOutput(Deno.stdout)), end: () => closeQuietly(Deno.stdout) },
    stderr: bestEffort(fileOutput(Deno.stderr)),
    env: envValue,
    now: () => Date.now(),
    onInterrupt,
    fetch: proxyAwareFetch(),
    os: Deno.build.os,
    arch: Deno.build.arch,
    runtimeVersion: Deno.version.deno,
  };
}
