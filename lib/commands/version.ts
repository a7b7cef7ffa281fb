import type { Context } from "../context.ts";
import { VERSION } from "../version.ts";

export async function versionCommand(ctx: Context): Promise<void> {
  await ctx.io.stdout.write(`dollama version ${VERSION}\n`);
}
