/** `dollama stop MODEL`: unload a model by asking for a generation with keep-alive 0. */
import { type Context, ensureServer } from "../context.ts";
import { CliError } from "../errors.ts";

function notFound(err: unknown): boolean {
  return err instanceof Error && err.message.includes("not found");
}

export async function stopCommand(ctx: Context, model: string): Promise<void> {
  await ensureServer(ctx);
  const missing = new CliError(`couldn't find model "${model}" to stop`);
  let info;
  try {
    info = await ctx.client.show({ model }, ctx.signal);
  } catch (err) {
    throw notFound(err) ? missing : err;
  }
  // A cloud or remote model is not loaded here, so there is nothing to unload.
  if (info.remote_host) return;
  try {
    // There is no unload endpoint: an empty prompt with keep_alive 0 tells the server to unload.
    await ctx.client.generateOnce({ model, prompt: "", keep_alive: "0s" }, ctx.signal);
  } catch (err) {
    throw notFound(err) ? missing : err;
  }
}
