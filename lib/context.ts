/**
 * What every command receives: the injected I/O, a client for the configured server, and the
 * signal that Ctrl+C aborts. Built once by `createContext` from the environment.
 */
import { OllamaClient } from "./api/client.ts";
import { basicAuthorization, hostToFetchBase, hostToString } from "./api/host.ts";
import { type Config, readConfig } from "./cli/config.ts";
import { AuthorizationError, ConnectionError, isAbortError } from "./api/errors.ts";
import { CliError, Interrupted } from "./errors.ts";
import type { Io } from "./io.ts";
import { escapeControls, sanitizeForTerminal } from "./term/sanitize.ts";
import { VERSION } from "./version.ts";

/**
 * How long connecting and each start-up request (heartbeat, show, tags, ps, version) may take
 * when DOLLAMA_TIMEOUT is not set: long enough for a slow network, short enough that a server
 * that accepts and never answers does not look like a hang.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface Context {
  io: Io;
  client: OllamaClient;
  /** The environment, read once (lib/cli/config.ts). */
  config: Config;
  /**
   * The process-wide signal, aborted by Ctrl+C when no interrupt scope is open; a top-level
   * command passes it to its server calls. The REPL never uses it: each of its operations
   * opens its own scope (lib/io.ts `openInterruptScope`), so Ctrl+C cancels that operation only.
   */
  signal: AbortSignal;
}

export function userAgent(io: Io): string {
  return `dollama/${VERSION} (${io.os} ${io.arch}) Deno/${io.runtimeVersion}`;
}

export function createContext(io: Io, signal: AbortSignal): Context {
  const config = readConfig(io.env);
  const host = config.host;
  for (const warning of [...host.warnings, ...config.warnings]) {
    void io.stderr.write(`warning: ${sanitizeForTerminal(warning)}\n`);
  }
  const client = new OllamaClient({
    baseUrl: hostToFetchBase(host),
    // Shown in error lines: the password masked, and control characters a user pasted into
    // OLLAMA_HOST visible as escapes on the one line.
    displayUrl: escapeControls(hostToString(host)),
    userAgent: userAgent(io),
    apiKey: config.apiKey,
    basicAuthorization: basicAuthorization(host),
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    streamIdleMs: config.timeoutMs,
    fetch: io.fetch,
  });
  return { io, client, config, signal };
}

/** `HEAD /` before a command runs, as the official client does. */
export async function ensureServer(ctx: Context): Promise<void> {
  await ctx.client.heartbeat(ctx.signal);
}

/**
 * Turns what a server call threw into what the user should see: Ctrl+C becomes `Interrupted`,
 * everything else keeps its message. Commands wrap their bodies with this.
 */
export function explain(err: unknown, signal: AbortSignal): unknown {
  if (signal.aborted || isAbortError(err)) return new Interrupted();
  if (err instanceof AuthorizationError) {
    return new CliError(
      err.signinUrl
        ? `you need to be signed in to Ollama to use this model; sign in at ${err.signinUrl}`
        : "unauthorized: the server refused the request (check OLLAMA_API_KEY)",
    );
  }
  // The runtime's reason may quote the address back, control characters and all: one line.
  if (err instanceof ConnectionError) return new CliError(escapeControls(err.message));
  return err;
}

/**
 * The one `Error: …` line for a message, made harmless for any destination: server text in it
 * (an HTTP error body, a mid-stream error, a sign-in URL) can neither drive a terminal nor a
 * terminal that later shows a log of it. Newlines stay: some messages carry a hint on their
 * own lines. The REPL's error line goes through this too.
 */
export function errorLine(message: string): string {
  return `Error: ${sanitizeForTerminal(message || "unknown error")}\n`;
}
