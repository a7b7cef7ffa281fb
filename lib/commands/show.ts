/** `dollama show MODEL`: a model's details as the official client's sectioned tables. */
import { type Context, ensureServer } from "../context.ts";
import { CliError } from "../errors.ts";
import { chosenField, formatField, formatShowInfo, type ShowFlags } from "../format/show.ts";
import { safeFor } from "../term/sanitize.ts";
import { showJson } from "../format/json_output.ts";

export async function showCommand(
  ctx: Context,
  model: string,
  flags: ShowFlags & { json?: boolean },
): Promise<void> {
  // A usage error needs no server, so it is reported before contacting one.
  const field = chosenField(flags);
  if (flags.json && field !== undefined) {
    throw new CliError(`--json prints every field: leave out --${field}`);
  }
  await ensureServer(ctx);
  const verbose = flags.verbose === true;
  const info = await ctx.client.show({ model, verbose }, ctx.signal);
  if (info.capabilities?.includes("image")) {
    throw new CliError("image generation models are not currently supported");
  }
  if (flags.json) return await ctx.io.stdout.write(showJson(model, info, verbose));
  // A field is data (`--modelfile > Modelfile`): byte-exact on a pipe, harmless on a terminal.
  await ctx.io.stdout.write(
    field !== undefined
      ? safeFor(ctx.io.stdout, formatField(info, field))
      : formatShowInfo(info, verbose),
  );
}
