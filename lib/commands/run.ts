/**
 * `dollama run MODEL [PROMPT...]`: resolve the model (pulling it when missing), then either
 * embed, answer once, or hand over to the interactive chat. Orchestration only; the pieces live
 * in lib/api and lib/render.
 */
import { type Context, ensureServer } from "../context.ts";
import { StatusError } from "../api/errors.ts";
import type { Message, Options, ShowResponse } from "../api/types.ts";
import { CliError } from "../errors.ts";
import {
  decodeAndRelease,
  EMPTY_INPUT,
  fromStdin,
  inputChunks,
  type InputHead,
  inputText,
  readHead,
  readWhole,
} from "../input.ts";
import type { Input } from "../io.ts";
import { StreamedText } from "../api/json_body.ts";
import { chatRequest, generateRequest } from "../chat/request.ts";
import { Conversation } from "../chat/conversation.ts";
import { ChatRecorder } from "../chat/recorder.ts";
import { type ChatStore, openChatStore, replay, type ReplayedChat } from "../chat/store.ts";
import type { GenerationSettings } from "../chat/settings.ts";
import { inferThink, isMultimodal } from "../api/capabilities.ts";
import {
  noEffectWarnings,
  readFlagFiles,
  resolveRunOptions,
  type RunFlags,
} from "./run_options.ts";

export type { RunFlags };

/** The source suffix of a model name (docs/run.md, Automatic pull). */
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

/**
 * Piped stdin up to this many bytes is read while the server answers the first requests. More
 * is read once the model is known: an embedding model's input is streamed into its request, so
 * that input of any length is never held whole; any other model's is read whole.
 */
export const STDIN_HEAD_BYTES = 1024 * 1024;

/**
 * An embedding model's one text: stdin and the arguments, as `assemblePrompt` joins them. Input
 * longer than its head is not read whole: it is decoded as the request sends it.
 */
function embeddingInput(
  stdin: Input,
  head: InputHead,
  promptArgs: readonly string[],
): string | StreamedText {
  if (head.ended) return assemblePrompt(decodeAndRelease(head.bytes), promptArgs);
  const tail = promptArgs.length > 0 ? ` ${promptArgs.join(" ")}` : "";
  return new StreamedText(inputText(head.bytes, inputChunks(stdin), tail));
}

/**
 * Piped stdin whole, for a prompt: `head`, what was read of it while the server answered, and
 * the rest. `--lines` (an embedding flag, and warned about for other models) left it unread.
 */
async function wholeStdin(ctx: Context, head: InputHead, lines: boolean): Promise<Uint8Array> {
  const { stdin } = ctx.io;
  if (stdin.isTerminal) return head.bytes;
  if (!lines && head.ended) return head.bytes;
  return await fromStdin(readWhole(stdin, lines ? undefined : head), ctx.signal);
}

/**
 * The prompt: piped stdin first, then the arguments, joined by one space (docs/run.md, Prompt
 * assembly).
 */
export function assemblePrompt(stdinText: string, args: readonly string[]): string {
  return (stdinText === "" ? [...args] : [stdinText, ...args]).join(" ");
}

/**
 * `/api/show`, and on 404 an automatic pull with progress followed by a second show (docs/run.md,
 * Automatic pull). `showing` is the first show request, already sent.
 */
export async function showOrPull(
  ctx: Context,
  model: string,
  options: { insecure: boolean },
  showing: Promise<ShowResponse>,
): Promise<ShowResponse> {
  try {
    return await showing;
  } catch (err) {
    if (!(err instanceof StatusError) || err.status !== 404) throw err;
    if (modelSource(model) === "cloud") throw new CliError(`model '${model}' not found`);
  }
  const { pullWithProgress } = await import("./pull.ts");
  await pullWithProgress(ctx, model, { insecure: options.insecure, verb: "run" });
  return await ctx.client.show({ model }, ctx.signal);
}

/** Why a run has nowhere to keep conversations. */
const NO_CHATS_DIRECTORY = "there is no directory for saved conversations (HOME is not set)";

/** A saved conversation that `--continue` or `--resume` picked. */
interface Resumed {
  id: string;
  chat: ReplayedChat;
}

/** The conversation to continue, checked before the server is contacted. */
async function findResumed(
  store: ChatStore | undefined,
  model: string,
  flags: RunFlags,
): Promise<Resumed | undefined> {
  if (flags.continue && flags.resume !== undefined) {
    throw new CliError("use either --continue or --resume, not both");
  }
  if (!flags.continue && flags.resume === undefined) return undefined;
  if (!store) throw new CliError(NO_CHATS_DIRECTORY);
  const id = flags.resume !== undefined
    ? await store.resolve(flags.resume)
    : await store.newestWith(model);
  if (id === undefined) {
    throw new CliError(`there is no saved conversation with '${model}' to continue`);
  }
  const records = await store.read(id);
  if (records.length === 0) throw new CliError(`conversation '${id}' has no complete turn`);
  return { id, chat: replay(records) };
}

export async function runCommand(
  ctx: Context,
  model: string,
  promptArgs: string[],
  flags: RunFlags,
): Promise<void> {
  const options = resolveRunOptions(flags, await readFlagFiles(flags, ctx.signal));
  const { io } = ctx;
  const store = openChatStore(ctx.config, ctx.io.os);
  const resumed = await findResumed(store, model, flags);
  // OLLAMA_NOHISTORY or --nohistory: nothing is written (a resumed chat is still read).
  const saving = !(ctx.config.noHistory || flags.nohistory);
  // Piped stdin is read while the server answers the heartbeat and `/api/show`, and both requests
  // go out at once: all three are waits, and a server across a network answers the two in one
  // round trip instead of two. What is reported stays what the official client's order gives: a
  // failed heartbeat first, then stdin, then show; and a pull only starts once the heartbeat has
  // answered. The other promises' rejections are handled here so that an early return leaves none
  // unhandled. `--lines` streams stdin into the embedding requests instead, so it is not read whole
  // here.
  const stdin = io.stdin.isTerminal || options.lines
    ? Promise.resolve(EMPTY_INPUT)
    : fromStdin(readHead(io.stdin, STDIN_HEAD_BYTES), ctx.signal);
  stdin.catch(() => {});
  const heartbeat = ensureServer(ctx);
  const showing = ctx.client.show({ model }, ctx.signal);
  showing.catch(() => {});
  await heartbeat;
  const shown = showOrPull(ctx, model, options, showing);
  shown.catch(() => {});

  const stdinHead = await stdin;
  const interactive = options.stayInteractive ||
    (io.stdin.isTerminal && io.stdout.isTerminal && promptArgs.length === 0);

  const info = await shown;
  const capabilities = info.capabilities ?? [];

  const embedding = capabilities.includes("embedding");
  const tools = capabilities.includes("tools");
  for (const warning of noEffectWarnings(flags, { model, embedding, interactive, tools })) {
    await io.stderr.write(`warning: ${warning}\n`);
  }
  if (embedding) {
    // Like the pull, the chat and the renderer below, loaded only when this run needs it.
    const { embedCommand } = await import("./embed.ts");
    const prompt = embeddingInput(ctx.io.stdin, stdinHead, promptArgs);
    return await embedCommand(ctx, model, { prompt, promptArgs }, options);
  }
  if (capabilities.includes("image")) {
    throw new CliError("image generation models are not currently supported");
  }
  const piped = await wholeStdin(ctx, stdinHead, options.lines);
  let prompt = assemblePrompt(decodeAndRelease(piped), promptArgs);
  const think = inferThink(options.think, info);
  const recorder = (via: "repl" | "run") =>
    new ChatRecorder({
      store: saving ? store : undefined,
      nowhere: saving && !store ? NO_CHATS_DIRECTORY : undefined,
      id: resumed?.id,
      via,
      now: () => io.now(),
      warn: (text) => io.stderr.write(text),
    });
  if (interactive) {
    const firstPrompt = options.stayInteractive && prompt !== "" ? prompt : undefined;
    // The chat (line editor, history, slash commands, agent) loads only when it is used.
    const { startChat } = await import("./chat.ts");
    return await startChat(ctx, {
      model,
      info,
      options,
      think,
      firstPrompt,
      resumed: resumed?.chat,
      recorder: recorder("repl"),
    });
  }
  let images: string[] | undefined;
  if (isMultimodal(info)) {
    const { takeAttachments } = await import("../chat/attachments.ts");
    const extracted = await takeAttachments(prompt, io.stderr);
    prompt = extracted.text;
    if (extracted.attachments.length) images = extracted.attachments.map((a) => a.base64);
  }
  await answerOnce(ctx, { model, prompt, images, resumed: resumed?.chat }, { ...options, think }, {
    recorder: recorder("run"),
    saving,
  });
}

/**
 * One-shot answer (docs/run.md, One-shot output): stream the answer, then the closing
 * newline(s) and stats, then save the exchange. A new question goes through `/api/generate`; one
 * that continues a saved conversation goes through `/api/chat` with the whole conversation.
 */
async function answerOnce(
  ctx: Context,
  base: { model: string; prompt: string; images?: string[]; resumed?: ReplayedChat },
  settings: GenerationSettings & { system?: string; parameters: Options },
  save: { recorder: ChatRecorder; saving: boolean },
): Promise<void> {
  const { io } = ctx;
  const conversation = new Conversation();
  if (base.resumed) conversation.continueFrom(base.resumed);
  save.recorder.markSaved(conversation);
  // `--parameter` and `--system` apply to a continued conversation too.
  for (const [name, value] of Object.entries(settings.parameters)) {
    conversation.setOption(name, value);
  }
  if (base.resumed && settings.system) conversation.setSystem(settings.system);
  const question: Message & { role: "user" } = { role: "user", content: base.prompt };
  if (base.images?.length) question.images = [...base.images];
  const started = io.now();
  // The request goes out first: the renderer's modules load and the answer's file is created
  // while the server works on it.
  let events;
  if (base.resumed) {
    conversation.addUser(question);
    events = ctx.client.chat(chatRequest(base.model, settings, conversation), ctx.signal);
  } else {
    const request = generateRequest(base.model, settings, base.prompt, base.images, {
      system: settings.system,
      options: settings.parameters,
    });
    events = ctx.client.generate(request, ctx.signal);
  }
  // The renderer (word wrap, width tables: the heaviest modules of a one-shot run) loads only
  // for an answer; an embedding run never needs it.
  const { answerOutput, streamTurn, writeStats } = await import("../chat/turn.ts");
  const { renderer, spinner } = await answerOutput(io, settings, { noColor: ctx.config.noColor });
  // Ctrl+C: no held-back word after the `^C`, and the shell's prompt on a fresh line.
  ctx.signal.addEventListener("abort", () => renderer.interrupt(), { once: true });
  // The answer is kept only to be saved, and a new conversation's answer is saved as it
  // streams: a one-shot run's memory stays flat however long the answer is.
  const asked = base.prompt !== "" || !!base.images?.length;
  if (asked && !base.resumed) conversation.addUser(question);
  const turn = { model: base.model, settings, started };
  const saver = asked ? save.recorder.streamAnswer(conversation, turn) : undefined;
  let streamed = false;
  try {
    const { message, metrics } = await streamTurn(events, renderer, {
      keepText: save.saving,
      saveContent: saver?.add,
      hideThinking: settings.hideThinking,
      spinner,
    });
    streamed = true;
    if (io.stdout.isTerminal) {
      // Upstream's blank line after an answer, so the shell prompt stands apart.
      if (base.prompt !== "") await io.stdout.write("\n\n");
    } else if (!renderer.contentEndsLine) {
      // A pipe gets the answer as text: terminated by one newline, nothing more.
      await io.stdout.write("\n");
    }
    await writeStats(io.stderr, settings, metrics);
    // The answer is complete on stdout: a pipe's reader (`dollama run … | less`) gets its end
    // now, not after the save below, whose fdatasync a slow disk can make take a while.
    if (!io.stdout.isTerminal) io.stdout.end?.();
    if (!asked) return; // only loaded the model
    conversation.addAssistant(message);
    if (saver) await saver.done(metrics, message.thinking);
    else await save.recorder.turnDone(conversation, { ...turn, metrics });
  } catch (err) {
    // Not a completed turn (an error, Ctrl+C): not saved, as it would not be if held.
    saver?.abandon();
    // The answer broke off (a server's error, a broken connection): on a terminal its line is
    // ended, so the `Error:` line after it, on the same screen, starts a line of its own. Ctrl+C
    // has ended it already (the renderer's interrupt). A pipe gets the answer as far as it came
    // and nothing more. The error is what matters: a failing newline must not replace it.
    if (!streamed && io.stdout.isTerminal && !renderer.contentEndsLine) {
      await io.stdout.write("\n").catch(() => {});
    }
    throw err;
  }
}
