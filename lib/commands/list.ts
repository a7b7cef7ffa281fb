/** `dollama list` / `ls [PREFIX]`: the local models as the official client's table. */
import { type Context, ensureServer } from "../context.ts";
import { formatList } from "../format/list.ts";
import { listJson } from "../format/json_output.ts";

export async function listCommand(
  ctx: Context,
  prefix?: string,
  flags: { json?: boolean } = {},
): Promise<void> {
  await ensureServer(ctx);
  const response = await ctx.client.list(ctx.signal);
  const models = response.models ?? [];
  await ctx.io.stdout.write(
    flags.json ? listJson(models, prefix) : formatList(models, prefix, ctx.io.now()),
  );
}
