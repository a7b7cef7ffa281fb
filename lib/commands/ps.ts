/** `dollama ps [PREFIX]`: the loaded models as the official client's table. */
import { type Context, ensureServer } from "../context.ts";
import { formatPs } from "../format/ps.ts";

export async function psCommand(ctx: Context, prefix?: string): Promise<void> {
  await ensureServer(ctx);
  const response = await ctx.client.ps(ctx.signal);
  await ctx.io.stdout.write(formatPs(response.models ?? [], prefix, ctx.io.now()));
}
