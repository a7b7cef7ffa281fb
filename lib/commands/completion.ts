/** `dollama completion bash|zsh|fish`: prints the shell's completion script (lib/cli/completion.ts). */
import type { Context } from "../context.ts";
import { completionScript } from "../cli/completion.ts";

export async function completionCommand(ctx: Context, shell: string): Promise<void> {
  await ctx.io.stdout.write(completionScript(shell));
}
