/** `dollama list` / `ls [PREFIX]`: the local models as the official client's table. */
import { type Context, ensureServer } from "../context.ts";
import { formatList } from "../format/list.ts";

export async function listCommand(ctx: Context, prefix?: string): Promise<void> {
  await ensureServer(ctx);
  const response = await ctx.client.list(ctx.signal);
  await ctx.io.stdout.write(formatList(response.models ?? [], prefix, ctx.io.now()));
}
