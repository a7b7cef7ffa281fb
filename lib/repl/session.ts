/**
 * The interactive chat: reads lines, recognises `"""` blocks and slash commands, and runs chat
 * turns against `/api/chat` with the whole conversation (reference/ollama-run.md §12–§13, with
 * DESIGN.md decisions 5–8). Lines come from an injected `readLine`, so the whole session can be
 * driven by tests without a terminal.
 */
import type { Context } from "../context.ts";
import { explain } from "../context.ts";
import { chatEvents } from "../api/events.ts";
import type { Format, KeepAlive, Message, ShowResponse, Think, ToolCall } from "../api/types.ts";
import type { Agent } from "../agent/agent.ts";
import { styleFor } from "../term/style.ts";
import { ResponseRenderer } from "../render/response.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";
import { Spinner } from "../render/spinner.ts";
import { formatStats } from "../render/stats.ts";
import { WrapWriter } from "../render/wrap.ts";
import { type Attachment, findPaths, takeAttachments } from "../chat/attachments.ts";
import { isMultimodal } from "../api/capabilities.ts";
import { handleCommand } from "./commands.ts";
import type { History } from "./history.ts";
import { EXIT_HINT, PLACEHOLDER } from "./texts.ts";

export type ReadResult = { type: "line"; text: string } | { type: "eof" } | { type: "interrupt" };

export type ReadLine = (options: {
  prompt: string;
  continuation: string;
  placeholder: string;
  history: readonly string[];
}) => Promise<ReadResult>;

export interface ChatSettings {
  model: string;
  info: ShowResponse;
  /** The think value sent with each turn; undefined leaves it to the server. */
  think?: Think;
  /** True when the user chose `think` (flag or /set), so /load does not re-infer it. */
  thinkExplicit: boolean;
  format?: Format;
  keepAlive?: KeepAlive;
  verbose: boolean;
  wordWrap: boolean;
  hideThinking: boolean;
}

/** Ends the REPL: `/bye`, `/exit` or Ctrl+D. */
export class ExitChat extends Error {}

type Block = { kind: "message" | "system"; text: string };

export class ChatSession {
  readonly ctx: Context;
  readonly settings: ChatSettings;
  readonly history: History;
  readonly readLine: ReadLine;
  /** The conversation sent with each turn. */
  messages: Message[] = [];
  /** Messages stored in a saved model: shown at start, kept for /save, never sent (§12.2). */
  savedMessages: Message[] = [];
  /** `/set parameter` values, sent as `options`. */
  options: Record<string, unknown> = {};
  /** `/set system` text. */
  system?: string;
  /** Files attached with `/load <path>` for the next message. */
  pending: Attachment[] = [];
  /** The tool-using agent of `--experimental` (reference/ollama-run.md §18), if on. */
  readonly agent?: Agent;
  #block?: Block;

  constructor(
    ctx: Context,
    settings: ChatSettings,
    deps: { readLine: ReadLine; history: History; agent?: Agent },
  ) {
    this.ctx = ctx;
    this.settings = settings;
    this.history = deps.history;
    this.readLine = deps.readLine;
    this.agent = deps.agent;
    this.savedMessages = [...(settings.info.messages ?? [])];
  }

  get io() {
    return this.ctx.io;
  }

  async out(text: string): Promise<void> {
    await this.io.stdout.write(text);
  }

  async err(text: string): Promise<void> {
    await this.io.stderr.write(text);
  }

  /** Preloads the model with a spinner, then shows the saved model's messages (§12.1–§12.2). */
  async start(): Promise<void> {
    const { info, model } = this.settings;
    if (info.remote_host) {
      const name = info.remote_model ?? model;
      const where = info.remote_host.startsWith("https://ollama.com")
        ? `Connecting to '${name}' on 'ollama.com' ⚡`
        : `Connecting to '${name}' on '${info.remote_host}'`;
      await this.err(`${where}\n`);
    } else {
      await this.preload();
    }
    await this.showSavedMessages();
  }

  async preload(): Promise<void> {
    const spinner = new Spinner({ output: this.io.stderr });
    spinner.start();
    try {
      const request = {
        model: this.settings.model,
        ...(this.settings.keepAlive !== undefined && { keep_alive: this.settings.keepAlive }),
        ...(this.settings.think !== undefined && { think: this.settings.think }),
      };
      for await (const _ of this.ctx.client.generate(request, this.ctx.signal)) {
        // draining the stream is what loads the model
      }
    } finally {
      await spinner.stop();
    }
  }

  async showSavedMessages(): Promise<void> {
    const terminal = this.io.stdout.isTerminal;
    for (const message of this.savedMessages) {
      const content = terminal ? sanitizeForTerminal(message.content) : message.content;
      if (message.role === "user") await this.out(`>>> ${content}\n`);
      if (message.role === "assistant") {
        const columns = this.io.stdout.columns();
        if (terminal && this.settings.wordWrap && columns) {
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
    while (true) {
      const result = await this.readLine({
        prompt: this.#block ? "... " : ">>> ",
        continuation: "... ",
        // The placeholder is only told apart from typed text by its colour: none with NO_COLOR.
        placeholder: this.#block || this.ctx.config.noColor ? "" : PLACEHOLDER,
        history: this.history.entries,
      });
      if (result.type === "eof") return;
      if (result.type === "interrupt") {
        // Ctrl+C leaves a """ block (DESIGN.md decision 6); at the prompt it shows the way out.
        if (this.#block) this.#block = undefined;
        else await this.out(EXIT_HINT);
        continue;
      }
      await this.history.add(result.text);
      try {
        await this.dispatch(result.text);
      } catch (err) {
        if (err instanceof ExitChat) return;
        throw err;
      }
    }
  }

  /** One submitted line, through the rules of §13.2. */
  async dispatch(line: string): Promise<void> {
    if (this.#block) return await this.#continueBlock(line);
    if (line.startsWith('"""')) {
      const rest = line.slice(3);
      if (rest.length >= 3 && rest.endsWith('"""')) return await this.send(rest.slice(0, -3));
      this.#block = { kind: "message", text: rest + "\n" };
      return;
    }
    const systemBlock = /^\/set\s+system\s+"""/.exec(line);
    if (systemBlock) {
      const rest = line.slice(systemBlock[0].length);
      if (rest.length >= 3 && rest.endsWith('"""')) return await this.setSystem(rest.slice(0, -3));
      // DESIGN.md decision 8: the newline between the lines is kept.
      this.#block = { kind: "system", text: rest + "\n" };
      return;
    }
    if (line.startsWith("/")) {
      const handled = await handleCommand(this, line);
      if (handled) return;
      const word = line.split(/\s+/)[0];
      const isPath = isMultimodal(this.settings.info) &&
        findPaths(line).some((p) => p.startsWith(word));
      if (!isPath) return await this.out(`Unknown command '${word}'. Type /? for help\n`);
    }
    if (line === "") return;
    await this.send(line);
  }

  async #continueBlock(line: string): Promise<void> {
    const block = this.#block!;
    if (!line.endsWith('"""')) {
      block.text += line + "\n";
      return;
    }
    this.#block = undefined;
    const text = block.text + line.slice(0, -3);
    if (block.kind === "system") await this.setSystem(text);
    else await this.send(text);
  }

  /** `/set system`: replace a trailing system message or append one (§13.6). */
  async setSystem(text: string): Promise<void> {
    this.system = text;
    const last = this.messages.at(-1);
    if (last?.role === "system") last.content = text;
    else this.messages.push({ role: "system", content: text });
    await this.out("Set system message.\n");
  }

  /** Sends a message: attachments first, then a chat turn. */
  async send(text: string): Promise<void> {
    const attachments = [...this.pending];
    this.pending = [];
    if (isMultimodal(this.settings.info)) {
      const extracted = await takeAttachments(text, this.io.stderr);
      text = extracted.text;
      attachments.push(...extracted.attachments);
    }
    const message: Message = { role: "user", content: text };
    if (attachments.length) message.images = attachments.map((a) => a.base64);
    await this.turn(message);
  }

  /**
   * One chat turn. Ctrl+C cancels the request and the turn is taken back out of the
   * conversation (DESIGN.md decision 6); recoverable server errors are printed and the chat
   * goes on (§13.7); anything else ends the session. In agent mode the turn goes on while the
   * model calls tools: each round's calls are run and their results sent back (§18).
   */
  async turn(message: Message): Promise<void> {
    const { io } = this;
    const start = this.messages.length;
    this.messages.push(message);
    const controller = new AbortController();
    const removeHandler = io.onInterrupt(() => controller.abort());
    const agent = this.agent;
    const tools = agent?.definitions(this.settings.info) ?? [];
    try {
      while (true) {
        const calls = await this.#exchange(controller.signal, tools);
        if (!agent || calls.length === 0) return;
        const results = await agent.runCalls(calls, {
          signal: controller.signal,
          cloud: this.settings.info.remote_host !== undefined,
        });
        this.messages.push(...results);
        await this.err("\n");
      }
    } catch (err) {
      this.messages.splice(start);
      if (controller.signal.aborted) return;
      return await this.#turnFailed(err);
    } finally {
      removeHandler();
    }
  }

  /**
   * One request and its streamed answer, added to the conversation. Returns the tool calls the
   * model made (always none outside agent mode).
   */
  async #exchange(signal: AbortSignal, tools: unknown[]): Promise<ToolCall[]> {
    const { io } = this;
    const spinner = new Spinner({ output: io.stderr });
    const renderer = new ResponseRenderer({
      stdout: io.stdout,
      stderr: io.stderr,
      styleStderr: styleFor(io.stderr, this.ctx.config.noColor).enabled,
      wordWrap: this.settings.wordWrap,
      hideThinking: this.settings.hideThinking,
      beforeOutput: () => spinner.stop(),
      collectToolCalls: tools.length > 0,
    });
    const request = {
      model: this.settings.model,
      messages: this.messages,
      options: this.options,
      ...(this.settings.format !== undefined && { format: this.settings.format }),
      ...(this.settings.think !== undefined && { think: this.settings.think }),
      ...(this.settings.keepAlive !== undefined && { keep_alive: this.settings.keepAlive }),
      ...(tools.length > 0 && { tools }),
    };
    spinner.start();
    try {
      for await (const event of chatEvents(this.ctx.client.chat(request, signal))) {
        await renderer.handle(event);
      }
    } catch (err) {
      await spinner.stop();
      await renderer.end();
      if (signal.aborted && renderer.started) {
        await this.out(renderer.contentEndsLine ? "\n" : "\n\n");
      }
      throw err;
    } finally {
      await spinner.stop();
    }
    await renderer.end();
    const calls = renderer.toolCalls;
    if (calls.length === 0) await this.out(renderer.contentEndsLine ? "\n" : "\n\n");
    else {
      if (!renderer.contentEndsLine) await this.out("\n");
      await this.err("\n");
    }
    if (this.settings.verbose && renderer.metrics) await this.err(formatStats(renderer.metrics));
    this.messages.push({
      role: "assistant",
      content: renderer.answer,
      ...(renderer.thinking && { thinking: renderer.thinking }),
      ...(calls.length > 0 && { tool_calls: calls }),
    });
    return calls;
  }

  async #turnFailed(err: unknown): Promise<void> {
    const text = err instanceof Error ? err.message : String(err);
    if (text.includes("upstream error")) {
      return await this.out(
        "An error occurred while processing your message. Please try again.\n\n",
      );
    }
    if (text.includes("does not support thinking") || text.includes("invalid think value")) {
      return await this.out(`error: ${text}\n`);
    }
    throw explain(err, this.ctx.signal);
  }
}
