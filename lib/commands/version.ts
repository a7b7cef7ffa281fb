/** `dollama --version`: our version, and the server's when one answers promptly. */
import type { Context } from "../context.ts";
import { VERSION } from "../version.ts";

/** How long `--version` waits for the server before giving up on its version. */
export const SERVER_VERSION_TIMEOUT_MS = 2000;

export async function versionCommand(ctx: Context): Promise<void> {
  await ctx.io.stdout.write(`dollama version ${VERSION}\n`);
  let server: string | undefined;
  try {
    const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(SERVER_VERSION_TIMEOUT_MS)]);
    const response = await ctx.client.version(signal);
    if (typeof response.version === "string" && response.version !== "") server = response.version;
  } catch (err) {
    // Ctrl+C still ends the program as an interruption; anything else only means no server.
    if (ctx.signal.aborted) throw err;
  }
  if (server !== undefined) {
    await ctx.io.stdout.write(`ollama server version is ${server}\n`);
  } else {
    await ctx.io.stderr.write("Warning: could not connect to a running Ollama instance\n");
  }
}
