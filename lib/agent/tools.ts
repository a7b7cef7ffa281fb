/**
 * The agent's tools (docs/agent.md, Tools): their
 * definitions as sent to the model, and how each one runs. `bash` runs `bash -c` with a 60 s
 * timeout; `web_search` and `web_fetch` go through the local server's
 * `/api/experimental/web_search|web_fetch` (dollama has no request signing for ollama.com).
 */
import type { OllamaClient } from "../api/client.ts";
import { AuthorizationError, StatusError } from "../api/errors.ts";
import type { WebFetchResponse, WebSearchResponse } from "../api/types.ts";
import { styleIf } from "../term/style.ts";

export interface ToolDefinition {
  type: "function";
  function: {
    name: string;
    description: string;
    parameters: {
      type: "object";
      properties: Record<string, { type: string; description: string }>;
      required: string[];
    };
  };
}

function definition(
  name: string,
  description: string,
  param: string,
  paramDescription: string,
): ToolDefinition {
  return {
    type: "function",
    function: {
      name,
      description,
      parameters: {
        type: "object",
        properties: { [param]: { type: "string", description: paramDescription } },
        required: [param],
      },
    },
  };
}

export const BASH_TOOL = definition(
  "bash",
  "Execute a bash command on the system. Use this to run shell commands, check files, run programs, etc.",
  "command",
  "The bash command to execute",
);

export const WEB_SEARCH_TOOL = definition(
  "web_search",
  "Search the web for current information. Use this when you need up-to-date information that may not be in your training data.",
  "query",
  "The search query",
);

export const WEB_FETCH_TOOL = definition(
  "web_fetch",
  "Fetch and extract text content from a web page. Use this to read the full content of a URL found in search results or provided by the user.",
  "url",
  "The URL to fetch",
);

/** The tools to offer, sorted by name as upstream sends them. */
export function toolDefinitions(options: { bash: boolean; web: boolean }): ToolDefinition[] {
  const tools: ToolDefinition[] = [];
  if (options.bash) tools.push(BASH_TOOL);
  if (options.web) tools.push(WEB_FETCH_TOOL, WEB_SEARCH_TOOL);
  return tools.sort((a, b) => a.function.name < b.function.name ? -1 : 1);
}

/** `web_search` → `Web Search`. */
export function displayName(name: string): string {
  const spaced = name.replaceAll("_", " ");
  const words = spaced.split(" ").map((w) => w ? w[0].toUpperCase() + w.slice(1) : w);
  return name.startsWith("web_") ? words.join(" ") : spaced[0].toUpperCase() + spaced.slice(1);
}

/** At most `n` runes of `text`, with `...` when cut. */
export function truncateRunes(text: string, n: number): string {
  const runes = [...text];
  return runes.length > n ? runes.slice(0, n).join("") + "..." : text;
}

/** The one-line form of a call: `Bash: ls -la`, `Web Search: <q>`, or the display name. */
export function shortForm(name: string, args: Record<string, unknown>, limit = 50): string {
  if (name === "bash") {
    return `Bash: ${truncateRunes(String(args.command ?? "").replace(/\s+/g, " ").trim(), limit)}`;
  }
  if (name === "web_search") return `Web Search: ${truncateRunes(String(args.query ?? ""), limit)}`;
  if (name === "web_fetch") return `Web Fetch: ${truncateRunes(String(args.url ?? ""), limit)}`;
  return displayName(name);
}

export const BASH_TIMEOUT_MS = 60_000;
export const STREAM_CAP = 50_000;

/** The text bash output becomes for the model, from its parts (docs/agent.md, bash). */
export function formatBashResult(result: {
  stdout: string;
  stdoutTruncated: boolean;
  stderr: string;
  stderrTruncated: boolean;
  exitCode: number;
  timedOut: boolean;
}): string {
  let text = "";
  if (result.stdout !== "") {
    text += result.stdout + (result.stdoutTruncated ? "\n... (output truncated)" : "");
  }
  if (result.stderr !== "") {
    if (text !== "") text += "\n";
    text += "stderr:\n" + result.stderr +
      (result.stderrTruncated ? "\n... (stderr truncated)" : "");
  }
  if (result.timedOut) return text + "\n\nError: command timed out after 60 seconds";
  if (result.exitCode !== 0) text += `\n\nExit code: ${result.exitCode}`;
  return text === "" ? "(no output)" : text;
}

/** The caught abort, rethrown so the turn ends as a Ctrl+C ends it. */
function abortError(): DOMException {
  return new DOMException("The operation was aborted.", "AbortError");
}

/**
 * How long output may still arrive after the shell itself has exited. Only background children
 * that inherited the pipes write then; a daemon (`setsid sleep 100 &`) would hold them open for
 * as long as it lives, and the agent must not wait for it.
 */
export const EXIT_GRACE_MS = 300;

/** How the bash tool's process is started: plain `bash -c`, or inside the sandbox. */
export interface BashLaunch {
  program: string;
  args: string[];
  /** With `clearEnv`, the whole environment the command gets. */
  env?: Record<string, string>;
  clearEnv?: boolean;
}

/**
 * Runs `bash -c command` in its own process group (so a timeout or Ctrl+C can stop everything
 * it started), with stdin closed, and returns the text for the model. It returns when the shell
 * exits: output arriving later is read for a short grace period, then the process group is
 * killed and the pipes are let go of.
 */
export async function runBash(
  command: string,
  options: {
    signal: AbortSignal;
    timeoutMs?: number;
    cwd?: string;
    /** Builds the launch for `command` in `cwd` (the sandbox); plain `bash -c` without it. */
    launch?: (command: string, cwd: string) => BashLaunch;
  },
): Promise<string> {
  options.signal.throwIfAborted();
  const cwd = options.cwd ?? Deno.cwd();
  const launch = options.launch?.(command, cwd) ?? { program: "bash", args: ["-c", command] };
  const child = new Deno.Command(launch.program, {
    args: launch.args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    detached: Deno.build.os !== "windows",
    cwd,
    ...(launch.env && { env: launch.env }),
    ...(launch.clearEnv && { clearEnv: true }),
  }).spawn();
  const stdout = collect(child.stdout, STREAM_CAP);
  const stderr = collect(child.stderr, STREAM_CAP);
  let timedOut = false;
  const kill = () => {
    try {
      if (Deno.build.os !== "windows") Deno.kill(-child.pid, "SIGKILL");
      else child.kill("SIGKILL");
    } catch {
      try {
        child.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  const stopReading = () => {
    stdout.stop();
    stderr.stop();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs ?? BASH_TIMEOUT_MS);
  const onAbort = () => {
    kill();
    stopReading();
  };
  options.signal.addEventListener("abort", onAbort);
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  try {
    const status = await child.status;
    const drained = Promise.all([stdout.done, stderr.done]);
    const inTime = await Promise.race([
      drained.then(() => true),
      new Promise<boolean>((resolve) => {
        graceTimer = setTimeout(() => resolve(false), EXIT_GRACE_MS);
      }),
    ]);
    if (!inTime) {
      // Something the command left behind still holds the pipes: stop it and stop waiting.
      kill();
      stopReading();
    }
    const [out, err] = await drained;
    if (options.signal.aborted) throw abortError();
    const decoder = new TextDecoder();
    return formatBashResult({
      stdout: decoder.decode(out.bytes),
      stdoutTruncated: out.truncated,
      stderr: decoder.decode(err.bytes),
      stderrTruncated: err.truncated,
      exitCode: status.code,
      timedOut,
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(graceTimer);
    options.signal.removeEventListener("abort", onAbort);
    stopReading();
  }
}

/** Reads a stream to its end, keeping at most `cap` bytes. */
export async function capture(
  stream: ReadableStream<Uint8Array>,
  cap: number,
): Promise<{ bytes: Uint8Array; truncated: boolean }> {
  return await collect(stream, cap).done;
}

/**
 * Reads a stream to its end or until `stop()`, keeping at most `cap` bytes. Stopping cancels
 * the read, so a pipe held open by a process that outlives the command is let go of.
 */
function collect(
  stream: ReadableStream<Uint8Array>,
  cap: number,
): { done: Promise<{ bytes: Uint8Array; truncated: boolean }>; stop(): void } {
  const reader = stream.getReader();
  let stopped = false;
  const done = (async () => {
    const bytes = new Uint8Array(cap);
    let kept = 0;
    let truncated = false;
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        const room = cap - kept;
        if (value.length > room) truncated = true;
        const taken = value.subarray(0, Math.max(0, room));
        bytes.set(taken, kept);
        kept += taken.length;
      }
    } catch (err) {
      if (!stopped) throw err;
    }
    return { bytes: bytes.subarray(0, kept), truncated };
  })();
  return {
    done,
    stop() {
      if (stopped) return;
      stopped = true;
      reader.cancel().catch(() => {});
    },
  };
}

/** Caps text for the model: 16 000 chars for a local model, 40 000 otherwise. */
export function capForModel(text: string, cloud: boolean): string {
  const cap = cloud ? 40_000 : 16_000;
  return text.length > cap ? text.slice(0, cap) + "\n... (output truncated)" : text;
}

/** Tool output as shown to the user: grey, indented 2 spaces, at most 300 bytes. */
export function displayOutput(text: string, style: boolean): string {
  const bytes = new TextEncoder().encode(text);
  let shown = text;
  if (bytes.length > 300) {
    // Cut on a character boundary.
    let end = 300;
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
    shown = new TextDecoder().decode(bytes.subarray(0, end)) + "... (truncated)";
  }
  const indented = "  " + shown.replace(/\n+$/, "").replaceAll("\n", "\n  ");
  return `${styleIf(style).darkGrey(indented)}\n`;
}

export interface WebContext {
  /** The same client every other call uses: its host, user agent, API key and error texts. */
  client: OllamaClient;
  signal: AbortSignal;
}

const WEB_SEARCH_TIMEOUT_MS = 15_000;
const WEB_FETCH_TIMEOUT_MS = 30_000;

/**
 * A failed web call in the words the model sees: the timeout gets its own sentence, a 401 asks
 * for `ollama signin`, a 403 (ollama.com refusing, e.g. cloud disabled) is the server's message
 * alone, any other status names itself. The caller's own abort passes through untouched.
 */
function webError(err: unknown, what: "search" | "fetch", signal: AbortSignal, ms: number) {
  if (signal.aborted) return err;
  if (err instanceof DOMException && err.name === "TimeoutError") {
    return new Error(`web ${what} timed out after ${ms / 1000} seconds`);
  }
  if (err instanceof AuthorizationError) {
    return new Error("Not authenticated. Run `ollama signin` and try again.");
  }
  if (err instanceof StatusError) {
    if (err.status === 403) return new Error(err.serverMessage);
    return new Error(`web ${what} API returned status ${err.status}: ${err.serverMessage}`);
  }
  return err;
}

export async function webSearch(web: WebContext, query: string): Promise<string> {
  let data: WebSearchResponse;
  try {
    data = await web.client.webSearch(
      { query, max_results: 5 },
      web.signal,
      WEB_SEARCH_TIMEOUT_MS,
    );
  } catch (err) {
    throw webError(err, "search", web.signal, WEB_SEARCH_TIMEOUT_MS);
  }
  const results = data.results ?? [];
  if (results.length === 0) return `No results found for query: ${query}`;
  let text = `Search results for: ${query}\n\n`;
  results.forEach((r, i) => {
    text += `${i + 1}. ${r.title ?? ""}\n   URL: ${r.url ?? ""}\n   ${
      truncateRunes(r.content ?? "", 300)
    }\n\n`;
  });
  return text;
}

export async function webFetch(web: WebContext, url: string): Promise<string> {
  let data: WebFetchResponse;
  try {
    data = await web.client.webFetch({ url }, web.signal, WEB_FETCH_TIMEOUT_MS);
  } catch (err) {
    throw webError(err, "fetch", web.signal, WEB_FETCH_TIMEOUT_MS);
  }
  let text = "";
  if (data.title) text += `Title: ${data.title}\n\n`;
  text += data.content
    ? `Content:\n${data.content}`
    : "No content could be extracted from the page.";
  return text;
}
