/** `dollama --version`: our version, and the server's when one answers promptly. */
import type { Context } from "../context.ts";
import { escapeControls } from "../term/sanitize.ts";
import { boundedSignal } from "../timer.ts";
import { VERSION } from "../version.ts";

/** How long `--version` waits for the server before giving up on its version. */
export const SERVER_VERSION_TIMEOUT_MS = 2000;

export async function versionCommand(ctx: Context): Promise<void> {
  await ctx.io.stdout.write(`dollama version ${VERSION}\n`);
  let server: string | undefined;
  const bound = boundedSignal(ctx.signal, SERVER_VERSION_TIMEOUT_MS);
  try {
    const response = await ctx.client.version(bound.signal);
    if (typeof response.version === "string" && response.version !== "") server = response.version;
  } catch (err) {
    // Ctrl+C still ends the program as an interruption; anything else only means no server.
    if (ctx.signal.aborted) throw err;
  } finally {
    bound.release();
  }
  if (server !== undefined) {
    // The server's words, on one line and unable to drive a terminal, even on a pipe: a version
    // is a word, and a script that reads this line expects one line.
    await ctx.io.stdout.write(`ollama server version is ${escapeControls(server)}\n`);
  } else {
    await ctx.io.stderr.write("Warning: could not connect to a running Ollama instance\n");
  }
}
