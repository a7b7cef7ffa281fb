/**
 * The interactive chat: reads lines, recognises `"""` blocks and slash commands, and runs chat
 * turns against `/api/chat` with the whole conversation (docs/repl.md; the
 * deliberate differences D5–D8 of docs/differences.md). Lines come from an injected `readLine`, so the whole session can be
 * driven by tests without a terminal.
 *
 * Every submitted line, and the preload, runs in its own interrupt scope (lib/io.ts): Ctrl+C
 * cancels that operation, the prompt comes back and the chat goes on. The process-wide signal
 * of `ctx` is never used here.
 */
import type { Context } from "../context.ts";
import { errorLine } from "../exit.ts";
import type { OllamaClient } from "../api/client.ts";
import type { Message, Metrics, Options, ShowResponse, Think } from "../api/types.ts";
import type { Agent } from "../agent/agent.ts";
import type { Config } from "../cli/config.ts";
import { type Io, openInterruptScope } from "../io.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";
import { WrapWriter } from "../render/wrap.ts";
import { findPaths, takeAttachments } from "../chat/attachments.ts";
import { chatTurn } from "../chat/chat_turn.ts";
import { Conversation } from "../chat/conversation.ts";
import type { ChatRecorder } from "../chat/recorder.ts";
import type { ReplayedChat } from "../chat/store.ts";
import { preloadModel } from "../chat/preload.ts";
import { type GenerationSettings, generationSettings } from "../chat/settings.ts";
import { inferThink, isMultimodal } from "../api/capabilities.ts";
import { handleCommand } from "./commands.ts";
import type { History } from "./history.ts";
import type { ReplSnapshot, SlashApi } from "./slash_api.ts";
import { EXIT_HINT, PLACEHOLDER } from "./texts.ts";

export type ReadResult = { type: "line"; text: string } | { type: "eof" } | { type: "interrupt" };

export type ReadLine = (options: {
  prompt: string;
  continuation: string;
  placeholder: string;
  history: readonly string[];
}) => Promise<ReadResult>;

/** How a chat starts: the model, and the generation settings of `dollama run` as they are. */
export interface ChatStartSettings extends GenerationSettings {
  model: string;
  info: ShowResponse;
  /** True when the user chose `think` (flag or /set), so /load does not re-infer it. */
  thinkExplicit: boolean;
  /** A saved conversation to continue (`--continue`, `--resume`). */
  resumed?: ReplayedChat;
  /** `--parameter` and `--system`: the starting values `/show` lists and `/set` changes. */
  parameters?: Readonly<Options>;
  system?: string;
}

/** What the read loop does after a line. */
type Outcome = "continue" | "exit";

type Block = { kind: "message" | "system"; text: string };

export class ChatSession implements SlashApi {
  readonly io: Io;
  readonly config: Config;
  readonly client: OllamaClient;
  readonly history: History;
  readonly conversation: Conversation;
  /** The tool-using agent of `--experimental` (docs/agent.md), if on. */
  readonly agent?: Agent;
  readonly #readLine: ReadLine;
  readonly #whileAnswering: <T>(operation: () => Promise<T>) => Promise<T>;
  #model: string;
  #info: ShowResponse;
  #settings: GenerationSettings;
  #thinkExplicit: boolean;
  #block?: Block;
  readonly #recorder?: ChatRecorder;
  /** The last message whose turn failed or was cancelled, for `/retry`. */
  #unanswered?: Message & { role: "user" };

  constructor(
    ctx: Context,
    start: ChatStartSettings,
    deps: {
      readLine: ReadLine;
      history: History;
      agent?: Agent;
      recorder?: ChatRecorder;
      /** Runs a streaming answer; the line reader's keeps the keyboard quiet meanwhile. */
      whileAnswering?: <T>(operation: () => Promise<T>) => Promise<T>;
    },
  ) {
    this.io = ctx.io;
    this.config = ctx.config;
    this.client = ctx.client;
    this.history = deps.history;
    this.agent = deps.agent;
    this.#readLine = deps.readLine;
    this.#whileAnswering = deps.whileAnswering ?? ((operation) => operation());
    this.#model = start.model;
    this.#info = start.info;
    this.#settings = generationSettings(start);
    this.#thinkExplicit = start.thinkExplicit;
    this.conversation = new Conversation(start.info.messages ?? []);
    if (start.resumed) this.conversation.continueFrom(start.resumed);
    this.#recorder = deps.recorder;
    this.#recorder?.markSaved(this.conversation);
    for (const [name, value] of Object.entries(start.parameters ?? {})) {
      this.conversation.setOption(name, value);
    }
    if (start.system) this.conversation.setSystem(start.system);
  }

  get model(): string {
    return this.#model;
  }

  get info(): ShowResponse {
    return this.#info;
  }

  get settings(): Readonly<GenerationSettings> {
    return this.#settings;
  }

  async out(text: string): Promise<void> {
    await this.io.stdout.write(text);
  }

  async err(text: string): Promise<void> {
    await this.io.stderr.write(text);
  }

  changeSettings(change: Partial<Omit<GenerationSettings, "think">>): void {
    this.#settings = { ...this.#settings, ...change };
  }

  chooseThink(think: Think): void {
    this.#settings = { ...this.#settings, think };
    this.#thinkExplicit = true;
  }

  /** `/set system`: replace a trailing system message or append one (docs/repl.md, /set). */
  async setSystem(text: string): Promise<void> {
    this.conversation.setSystem(text);
    await this.out("Set system message.\n");
  }

  snapshot(): ReplSnapshot {
    return {
      model: this.#model,
      info: this.#info,
      settings: { ...this.#settings },
      conversation: this.conversation.snapshot(),
    };
  }

  restore(snapshot: ReplSnapshot): void {
    this.#model = snapshot.model;
    this.#info = snapshot.info;
    this.#settings = { ...snapshot.settings };
    this.conversation.restore(snapshot.conversation);
  }

  switchModel(model: string, info: ShowResponse): void {
    this.#model = model;
    this.#info = info;
    this.conversation.startOver(info.messages ?? []);
    this.agent?.approvals.clear();
    // docs/differences.md D5: thinking follows the new model unless the user chose it.
    if (!this.#thinkExplicit) {
      this.#settings = { ...this.#settings, think: inferThink(undefined, info) };
    }
  }

  async preload(signal: AbortSignal): Promise<void> {
    await preloadModel(
      this.client,
      this.io.stderr,
      this.#model,
      this.#settings,
      signal,
      this.conversation.options,
    );
  }

  /**
   * Preloads the model with a spinner, then shows the saved model's messages (docs/repl.md,
   * Start-up). Loading can take seconds, and the user may start typing meanwhile: as during an
   * answer, the keys are kept quiet, for the first prompt to read with each Enter its own line.
   */
  start(): Promise<void> {
    return this.#whileAnswering(async () => {
      const info = this.#info;
      if (info.remote_host) {
        const name = info.remote_model ?? this.#model;
        const where = info.remote_host.startsWith("https://ollama.com")
          ? `Connecting to '${name}' on 'ollama.com' ⚡`
          : `Connecting to '${name}' on '${info.remote_host}'`;
        await this.err(`${where}\n`);
      } else {
        // Ctrl+C stops the wait for the model to load; the first message loads it instead. Any
        // other failure ends the run before the chat starts (docs/repl.md, Start-up).
        await this.#cancellable((signal) => this.preload(signal));
      }
      await this.showSavedMessages();
    });
  }

  /** The saved model's messages, then those of a resumed conversation. */
  async showSavedMessages(): Promise<void> {
    await this.#showMessages(this.conversation.savedMessages);
    await this.#showMessages(this.conversation.messages);
  }

  async #showMessages(messages: readonly Message[]): Promise<void> {
    const terminal = this.io.stdout.isTerminal;
    for (const message of messages) {
      const content = terminal ? sanitizeForTerminal(message.content) : message.content;
      if (message.role === "user") await this.out(`>>> ${content}\n`);
      if (message.role === "assistant") {
        const columns = this.io.stdout.columns();
        if (terminal && this.#settings.wordWrap && columns) {
          const wrap = new WrapWriter(columns);
          await this.out(wrap.push(content) + wrap.flush() + "\n\n");
        } else {
          await this.out(content + "\n\n");
        }
      }
    }
  }

  /** The read-dispatch loop; returns on /bye, /exit or Ctrl+D. */
  async run(): Promise<void> {
    // At the prompt Ctrl+C is a key the line editor reads. A SIGINT that arrives between
    // operations belongs to the chat too, so it must not reach the process-wide handler.
    const ignoreStray = this.io.onInterrupt(() => {});
    try {
      while (true) {
        const result = await this.#readLine({
          prompt: this.#block ? "... " : ">>> ",
          continuation: "... ",
          // The placeholder is only told apart from typed text by its colour: none with NO_COLOR.
          placeholder: this.#block || this.config.noColor ? "" : PLACEHOLDER,
          history: this.history.entries,
        });
        if (result.type === "eof") return;
        if (result.type === "interrupt") {
          // Ctrl+C leaves a """ block (docs/repl.md, Ctrl+C); at the prompt it shows the way out.
          if (this.#block) this.#block = undefined;
          else await this.out(EXIT_HINT);
          continue;
        }
        await this.history.add(result.text);
        if (await this.dispatch(result.text) === "exit") return;
      }
    } finally {
      ignoreStray();
    }
  }

  /** One submitted line, in its own interrupt scope. */
  dispatch(line: string): Promise<Outcome> {
    return this.#operation((signal) => this.#dispatch(line, signal));
  }

  /** Sends a message (attachments first, then a chat turn) in its own interrupt scope. */
  async send(text: string): Promise<void> {
    await this.#operation((signal) => this.#send(text, signal));
  }

  /** `/retry`: sends the last message again whose turn failed or was cancelled. */
  async retry(signal: AbortSignal): Promise<void> {
    const message = this.#unanswered;
    if (!message) return await this.out("No message to retry.\n");
    await this.#whileAnswering(() => this.#turn(message, signal));
  }

  /**
   * Runs one operation of the chat in a new interrupt scope. A failure ends the operation, not
   * the chat: Ctrl+C brings the prompt back without a word, anything else prints one
   * `Error: …` line, worded as main would word it (lib/exit.ts), before the prompt comes back.
   */
  #operation<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T | "continue"> {
    return this.#inScope(operation, async (err, signal) => {
      await this.err(errorLine(err, signal));
      return "continue";
    });
  }

  /**
   * Runs one operation in a new interrupt scope. When Ctrl+C cancelled it, whatever it threw is
   * the cancellation and is dropped; any other failure is rethrown.
   */
  #cancellable<T>(operation: (signal: AbortSignal) => Promise<T>): Promise<T | "continue"> {
    return this.#inScope(operation, (err) => Promise.reject(err));
  }

  /**
   * `operation` with its own interrupt scope, closed however it ends. A failure after Ctrl+C is
   * the cancellation and ends as "continue"; any other goes to `failed`.
   */
  async #inScope<T>(
    operation: (signal: AbortSignal) => Promise<T>,
    failed: (err: unknown, signal: AbortSignal) => Promise<"continue">,
  ): Promise<T | "continue"> {
    const scope = openInterruptScope(this.io);
    try {
      return await operation(scope.signal);
    } catch (err) {
      if (scope.signal.aborted) return "continue";
      return await failed(err, scope.signal);
    } finally {
      scope.close();
    }
  }

  /** One submitted line, through the rules of docs/repl.md, Slash commands. */
  async #dispatch(line: string, signal: AbortSignal): Promise<Outcome> {
    if (this.#block) return await this.#continueBlock(line, signal);
    if (line.startsWith('"""')) {
      const rest = line.slice(3);
      if (rest.length >= 3 && rest.endsWith('"""')) {
        return await this.#send(rest.slice(0, -3), signal);
      }
      this.#block = { kind: "message", text: rest + "\n" };
      return "continue";
    }
    const systemBlock = /^\/set\s+system\s+"""/.exec(line);
    if (systemBlock) {
      const rest = line.slice(systemBlock[0].length);
      if (rest.length >= 3 && rest.endsWith('"""')) {
        await this.setSystem(rest.slice(0, -3));
        return "continue";
      }
      // docs/differences.md D8: the newline between the lines is kept.
      this.#block = { kind: "system", text: rest + "\n" };
      return "continue";
    }
    if (line.startsWith("/")) {
      // Commands that ask the server (/show, /list, /load, /save) take a while: keys typed
      // meanwhile must wait for the next prompt, not be echoed into the command's output.
      const outcome = await this.#whileAnswering(() => handleCommand(this, line, signal));
      if (outcome === "exit") return "exit";
      if (outcome === "handled") return "continue";
      const word = line.split(/\s+/)[0];
      const isPath = isMultimodal(this.#info) && findPaths(line).some((p) => p.startsWith(word));
      if (!isPath) {
        await this.out(`Unknown command '${word}'. Type /? for help\n`);
        return "continue";
      }
    }
    if (line === "") return "continue";
    return await this.#send(line, signal);
  }

  async #continueBlock(line: string, signal: AbortSignal): Promise<Outcome> {
    const block = this.#block!;
    if (!line.endsWith('"""')) {
      block.text += line + "\n";
      return "continue";
    }
    this.#block = undefined;
    const text = block.text + line.slice(0, -3);
    if (block.kind === "system") await this.setSystem(text);
    else await this.#send(text, signal);
    return "continue";
  }

  async #send(text: string, signal: AbortSignal): Promise<Outcome> {
    const attachments = this.conversation.takePending();
    if (isMultimodal(this.#info)) {
      const extracted = await takeAttachments(text, this.io.stderr);
      text = extracted.text;
      attachments.push(...extracted.attachments);
    }
    const message: Message & { role: "user" } = { role: "user", content: text };
    if (attachments.length) message.images = attachments.map((a) => a.base64);
    await this.#whileAnswering(() => this.#turn(message, signal));
    return "continue";
  }

  /**
   * One chat turn. When it fails or Ctrl+C cancels it, the turn is taken back out of the
   * conversation and the message is kept for `/retry` (docs/repl.md). In agent mode the turn
   * goes on while the model calls tools: each round's calls are run and their results sent
   * back. A completed turn is saved before the prompt comes back (docs/conversations.md).
   */
  async #turn(message: Message & { role: "user" }, signal: AbortSignal): Promise<void> {
    const started = this.io.now();
    let metrics: Metrics | undefined;
    try {
      ({ metrics } = await chatTurn({
        io: this.io,
        client: this.client,
        model: this.#model,
        info: this.#info,
        settings: this.#settings,
        conversation: this.conversation,
        noColor: this.config.noColor,
        tools: this.agent,
        signal,
      }, message));
    } catch (err) {
      this.#unanswered = message;
      if (signal.aborted) throw err;
      return await this.#turnFailed(err);
    }
    this.#unanswered = undefined;
    await this.#recorder?.turnDone(this.conversation, {
      model: this.#model,
      settings: this.#settings,
      started,
      metrics,
    });
  }

  /** Upstream's own words for two refusals; any other failure is the caller's error line. */
  async #turnFailed(err: unknown): Promise<void> {
    const text = err instanceof Error ? err.message : String(err);
    if (text.includes("upstream error")) {
      return await this.out(
        "An error occurred while processing your message. Please try again.\n\n",
      );
    }
    if (text.includes("does not support thinking") || text.includes("invalid think value")) {
      // The server's words on stdout, as upstream prints them; harmless, like every error line.
      return await this.out(`error: ${sanitizeForTerminal(text)}\n`);
    }
    throw err;
  }
}
