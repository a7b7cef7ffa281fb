/**
 * What every command receives: the injected I/O, a client for the configured server, and the
 * signal that Ctrl+C aborts. Built once by `createContext` from the environment.
 */
import { OllamaClient } from "./api/client.ts";
import { hostToFetchBase, hostToString } from "./api/host.ts";
import { type Config, readConfig } from "./cli/config.ts";
import { AuthorizationError, ConnectionError, isAbortError } from "./api/errors.ts";
import { CliError, Interrupted } from "./errors.ts";
import type { Io } from "./io.ts";
import { VERSION } from "./version.ts";

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
  for (const warning of host.warnings) void io.stderr.write(`warning: ${warning}\n`);
  const client = new OllamaClient({
    baseUrl: hostToFetchBase(host),
    displayUrl: hostToString(host),
    userAgent: userAgent(io),
    apiKey: config.apiKey,
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
  if (err instanceof ConnectionError) return new CliError(err.message);
  return err;
}
