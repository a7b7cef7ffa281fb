/**
 * `dollama pull MODEL`, and the pull with progress that `run` starts for a missing model
 * (docs/commands.md, `dollama pull MODEL`; docs/run.md, Automatic pull).
 */
import { type Context, ensureServer } from "../context.ts";
import { CliError } from "../errors.ts";
import { PullProgressDisplay } from "../render/progress.ts";

const DEFAULT_REGISTRY = "registry.ollama.ai";
const MANIFEST_MISSING = "pull model manifest: file does not exist";

export async function pullCommand(
  ctx: Context,
  model: string,
  opts: { insecure?: boolean },
): Promise<void> {
  await ensureServer(ctx);
  await pullWithProgress(ctx, model, { insecure: opts.insecure, verb: "pull" });
}

/**
 * Pulls `model`, showing progress on stderr. No heartbeat: callers that need one send it first.
 * On failure the progress lines written so far stay and the error is thrown; an unknown model
 * that exists as a cloud model gets the cloud hint added (docs/run.md, Automatic pull), naming `dollama <verb> <model>:cloud`.
 * Ctrl+C (`ctx.signal`) ends the pull with the abort error, after the display is stopped.
 */
export async function pullWithProgress(
  ctx: Context,
  model: string,
  opts: { insecure?: boolean; verb?: string },
): Promise<void> {
  const display = new PullProgressDisplay({ output: ctx.io.stderr, now: () => ctx.io.now() });
  try {
    // `insecure` only when asked for, so the body stays `{"model": …}` for ordinary pulls.
    const request = opts.insecure ? { model, insecure: true } : { model };
    await ctx.client.pull(request, ctx.signal).each((batch) => {
      for (const progress of batch) display.update(progress);
      return undefined;
    });
  } catch (err) {
    // Stop first, so the hint and main's `Error:` line come after the progress, not inside it.
    await display.stop();
    throw await withCloudHint(ctx, model, opts, err);
  } finally {
    // Also on Ctrl+C: the final frame leaves the cursor visible and below the display.
    await display.stop();
  }
}

/**
 * Whether an unknown model is worth asking about as `<name>:cloud`: a plain name from the
 * default registry with no tag (and so no `:cloud`/`:local` suffix), pulled securely.
 */
export function cloudHintApplies(name: string, insecure: boolean): boolean {
  if (insecure) return false;
  const slash = name.lastIndexOf("/");
  if (name.indexOf(":", slash + 1) >= 0) return false;
  // `host/namespace/model`: with fewer than three parts the host is the default registry.
  const parts = name.split("/");
  if (parts.length < 3) return true;
  return parts.slice(0, -2).join("/").toLowerCase() === DEFAULT_REGISTRY;
}

async function withCloudHint(
  ctx: Context,
  model: string,
  opts: { insecure?: boolean; verb?: string },
  err: unknown,
): Promise<unknown> {
  if (ctx.signal.aborted) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (!message.includes(MANIFEST_MISSING) || !cloudHintApplies(model, opts.insecure ?? false)) {
    return err;
  }
  const cloud = `${model}:cloud`;
  try {
    await ctx.client.show({ model: cloud }, ctx.signal);
  } catch {
    // No cloud model either (or the probe failed): the pull's own error is the one to show.
    return err;
  }
  return new CliError(
    `${message}\n\n"${cloud}" is available as a cloud model. Try:\n` +
      `  dollama ${opts.verb ?? "pull"} ${cloud}`,
  );
}
