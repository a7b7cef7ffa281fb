/** `dollama ps [PREFIX]`: the loaded models as the official client's table. */
import { type Context, ensureServer } from "../context.ts";
import { formatPs } from "../format/ps.ts";
import { psJson } from "../format/json_output.ts";

export async function psCommand(
  ctx: Context,
  prefix?: string,
  flags: { json?: boolean } = {},
): Promise<void> {
  await ensureServer(ctx);
  const response = await ctx.client.ps(ctx.signal);
  const models = response.models ?? [];
  await ctx.io.stdout.write(
    flags.json ? psJson(models, prefix) : formatPs(models, prefix, ctx.io.now()),
  );
}
