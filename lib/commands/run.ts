/**
 * `dollama run MODEL [PROMPT...]`: resolve the model (pulling it when missing), then either
 * embed, answer once, or hand over to the interactive chat. Orchestration only; the pieces live
 * in lib/api and lib/render.
 */
import { type Context, ensureServer } from "../context.ts";
import { StatusError } from "../api/errors.ts";
import { generateEvents } from "../api/events.ts";
import type { ShowResponse } from "../api/types.ts";
import { CliError, Interrupted } from "../errors.ts";
import { formatStats } from "../render/stats.ts";
import { embedRequest, generateRequest } from "../chat/request.ts";
import type { GenerationSettings } from "../chat/settings.ts";
import { inferThink, isMultimodal } from "../api/capabilities.ts";
import { takeAttachments } from "../chat/attachments.ts";
import { resolveRunOptions, type RunFlags, type RunOptions } from "./run_options.ts";

export type { RunFlags };

/** The source suffix of a model name (reference/ollama-run.md §4.5). */
export function modelSource(name: string): "cloud" | "local" | undefined {
  const colon = name.lastIndexOf(":");
  if (colon < 0 || colon < name.lastIndexOf("/")) return undefined;
  const suffix = name.slice(colon + 1).toLowerCase();
  const rest = name.slice(0, colon);
  const innerColon = rest.lastIndexOf(":");
  const inner = innerColon > rest.lastIndexOf("/") ? rest.slice(innerColon + 1).toLowerCase() : "";
  if ((suffix === "cloud" && inner === "local") || (suffix === "local" && inner === "cloud")) {
    throw new CliError("use either :local or :cloud, not both");
  }
  if (suffix === "cloud" || suffix.endsWith("-cloud")) return "cloud";
  if (suffix === "local") return "local";
  return undefined;
}

/** Waits for `promise`, giving up when Ctrl+C is pressed. */
function untilInterrupted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Interrupted());
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new Interrupted());
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

/** Piped stdin as text. */
async function readStdin(io: Context["io"], signal: AbortSignal): Promise<string> {
  const input = await untilInterrupted(io.stdin.readAll(), signal);
  const text = new TextDecoder().decode(input);
  // The bytes are done with: a resizable buffer gives its pages back at once, rather than at
  // some later garbage collection, so 100 MB of input is not held twice.
  if (input.buffer instanceof ArrayBuffer && input.buffer.resizable) input.buffer.resize(0);
  return text;
}

/** The prompt: piped stdin first, then the arguments, joined by one space (§2.1). */
export function assemblePrompt(stdinText: string, args: readonly string[]): string {
  return (stdinText === "" ? [...args] : [stdinText, ...args]).join(" ");
}

/** `/api/show`, and on 404 an automatic pull with progress followed by a second show (§4.1). */
export async function showOrPull(
  ctx: Context,
  model: string,
  options: { insecure: boolean },
): Promise<ShowResponse> {
  try {
    return await ctx.client.show({ model }, ctx.signal);
  } catch (err) {
    if (!(err instanceof StatusError) || err.status !== 404) throw err;
    if (modelSource(model) === "cloud") throw new CliError(`model '${model}' not found`);
  }
  const { pullWithProgress } = await import("./pull.ts");
  await pullWithProgress(ctx, model, { insecure: options.insecure, verb: "run" });
  return await ctx.client.show({ model }, ctx.signal);
}

export async function runCommand(
  ctx: Context,
  model: string,
  promptArgs: string[],
  flags: RunFlags,
): Promise<void> {
  const options = resolveRunOptions(flags);
  const { io } = ctx;
  // Piped stdin is read while the server answers the heartbeat and `/api/show`: all three are
  // waits, and the requests go out in the official client's order. A failed request is reported
  // first, as when they ran one after another; the other promises' rejections are handled here so
  // that an early return leaves none unhandled.
  const stdin = io.stdin.isTerminal ? Promise.resolve("") : readStdin(io, ctx.signal);
  stdin.catch(() => {});
  await ensureServer(ctx);
  const shown = showOrPull(ctx, model, options);
  shown.catch(() => {});

  const stdinText = await stdin;
  let prompt = assemblePrompt(stdinText, promptArgs);
  const interactive = options.stayInteractive ||
    (io.stdin.isTerminal && io.stdout.isTerminal && promptArgs.length === 0);

  const info = await shown;
  const capabilities = info.capabilities ?? [];

  if (capabilities.includes("embedding")) return await embed(ctx, model, prompt, options);
  if (capabilities.includes("image")) {
    throw new CliError("image generation models are not currently supported");
  }
  const think = inferThink(options.think, info);
  if (interactive) {
    const firstPrompt = options.stayInteractive && prompt !== "" ? prompt : undefined;
    // The chat (line editor, history, slash commands, agent) loads only when it is used.
    const { startChat } = await import("./chat.ts");
    return await startChat(ctx, { model, info, options, think, firstPrompt });
  }
  let images: string[] | undefined;
  if (isMultimodal(info)) {
    const extracted = await takeAttachments(prompt, io.stderr);
    prompt = extracted.text;
    if (extracted.attachments.length) images = extracted.attachments.map((a) => a.base64);
  }
  await answerOnce(ctx, { model, prompt, images }, { ...options, think });
}

async function embed(ctx: Context, model: string, input: string, options: RunOptions) {
  if (input === "") {
    throw new CliError(
      `embedding models require input text. Usage: dollama run ${model} "your text here"`,
    );
  }
  const response = await ctx.client.embed(embedRequest(model, input, options), ctx.signal);
  const first = response.embeddings?.[0];
  if (!first) throw new CliError("no embeddings returned");
  await ctx.io.stdout.write(JSON.stringify(first) + "\n");
}

/** One-shot generation (§7): stream the answer, then the closing newline(s) and stats. */
async function answerOnce(
  ctx: Context,
  base: { model: string; prompt: string; images?: string[] },
  settings: GenerationSettings,
): Promise<void> {
  const { io } = ctx;
  // The renderer (word wrap, width tables: the heaviest modules of a one-shot run) loads only
  // for an answer; an embedding run never needs it. Loading it during the first requests
  // instead measured no faster.
  const { answerOutput, streamTurn } = await import("../chat/turn.ts");
  const request = generateRequest(base.model, settings, base.prompt, base.images);
  const { renderer, spinner } = answerOutput(io, settings, { noColor: ctx.config.noColor });
  const events = generateEvents(ctx.client.generate(request, ctx.signal));
  // Nothing of the answer is kept: a one-shot run's memory stays flat however long it is.
  const { metrics } = await streamTurn(events, renderer, { keepText: false, spinner });
  if (io.stdout.isTerminal) {
    // Upstream's blank line after an answer, so the shell prompt stands apart.
    if (base.prompt !== "") await io.stdout.write("\n\n");
  } else if (!renderer.contentEndsLine) {
    // A pipe gets the answer as text: terminated by one newline, nothing more.
    await io.stdout.write("\n");
  }
  if (settings.verbose && metrics) await io.stderr.write(formatStats(metrics));
}
