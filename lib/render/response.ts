/**
 * Writes a streamed model response: the answer to stdout, everything else (thinking, tool-call
 * notices) to stderr (docs/terminal.md: Streams, Clean pipes, Word wrap, Sanitising). Terminal streams get word wrap, sanitising
 * and styling; anything else gets the bytes exactly as the model produced them.
 */
import type { StreamEvent } from "../api/events.ts";
import type { ToolCall } from "../api/types.ts";
import type { Output } from "../io.ts";
import { sanitizeForTerminal } from "../term/sanitize.ts";
import type { WrapWriter } from "./wrap.ts";
import { Coalescer } from "./coalesce.ts";
import { BOLD, GREY, RESET } from "../term/ansi.ts";

export interface ResponseRendererOptions {
  stdout: Output;
  stderr: Output;
  /** Colour and bold may be written to stderr (a terminal, and NO_COLOR unset). */
  styleStderr: boolean;
  wordWrap: boolean;
  /**
   * Makes the word wrapper for a terminal lane (`new WrapWriter(columns)`). Passed in rather than
   * imported, so that output to pipes never loads the wrapper and its width tables (the npm
   * package string-width costs a one-shot run tens of milliseconds to load); without it nothing
   * is wrapped.
   */
  wrap?: (columns: number) => WrapWriter;
  hideThinking: boolean;
  /** Runs once, before the first visible byte: the place to stop a spinner. */
  beforeOutput?: () => Promise<void>;
  /**
   * Agent mode: tool calls are the agent's to run, so they are not reported as calls to a
   * non-existent function.
   */
  toolsRun?: boolean;
}

/** Go's JSON encoding escapes these, and the notice reproduces it. */
function goJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A lane is one output stream with its own wrap state and terminal treatment. */
class Lane {
  readonly #out: Output;
  readonly #wrap?: WrapWriter;
  /** The last character written, to know whether a line is open. */
  last = "\n";

  readonly #writer: Coalescer;

  constructor(
    out: Output,
    wrap: ((columns: number) => WrapWriter) | undefined,
    writer: Coalescer,
  ) {
    this.#out = out;
    this.#writer = writer;
    const columns = out.columns();
    if (out.isTerminal && wrap && columns !== undefined) this.#wrap = wrap(columns);
  }

  get isTerminal(): boolean {
    return this.#out.isTerminal;
  }

  /**
   * Model text: sanitised and wrapped on a terminal, untouched elsewhere. Like `raw`, it returns
   * a promise only when there is a write to wait for.
   */
  text(text: string): Promise<void> | undefined {
    if (!this.#out.isTerminal) return this.raw(text);
    const safe = sanitizeForTerminal(text);
    if (!this.#wrap) return this.raw(safe);
    // The terminal may have been resized since the last chunk: the wrap follows it from the
    // next break on.
    const columns = this.#out.columns();
    if (columns !== undefined) this.#wrap.width = columns;
    return this.raw(this.#wrap.push(safe));
  }

  /**
   * Our own bytes (markers, styles), after whatever the wrapper holds back. Not an async
   * function: it runs once per token, and only a write set off needs a promise.
   */
  raw(text: string): Promise<void> | undefined {
    if (text === "") return undefined;
    this.last = text[text.length - 1];
    return this.#writer.write(this.#out, text);
  }

  async flush(): Promise<void> {
    if (this.#wrap) await this.raw(this.#wrap.flush());
  }

  async flushAndReset(): Promise<void> {
    await this.flush();
    this.#wrap?.reset();
  }

  /** Forgets what the wrapper holds back, without writing it. */
  drop(): void {
    this.#wrap?.reset();
  }
}

/**
 * Shows one answer as it streams. It only renders: the message and the metrics are collected by
 * lib/chat/turn.ts.
 */
export class ResponseRenderer {
  readonly #options: ResponseRendererOptions;
  readonly #writer = new Coalescer();
  readonly #content: Lane;
  readonly #side: Lane;
  #started = false;
  #thinkingOpen = false;
  #interrupted = false;

  constructor(options: ResponseRendererOptions) {
    this.#options = options;
    const wrap = options.wordWrap ? options.wrap : undefined;
    this.#content = new Lane(options.stdout, wrap, this.#writer);
    this.#side = new Lane(options.stderr, wrap, this.#writer);
  }

  /** True once anything visible was written. */
  get started(): boolean {
    return this.#started;
  }

  async #visible(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    await this.#options.beforeOutput?.();
  }

  /**
   * Shows one event. Returns a promise only when there is something to wait for: the common
   * case, once per token, is more of an answer already showing, which goes straight to its lane
   * without the async frames of the general case.
   */
  handle(event: StreamEvent): Promise<void> | undefined {
    if (event.type === "content" && this.#started && !this.#thinkingOpen) {
      return this.#content.text(event.text);
    }
    return this.#handle(event);
  }

  async #handle(event: StreamEvent): Promise<void> {
    switch (event.type) {
      case "thinking":
        if (this.#options.hideThinking) return;
        await this.#visible();
        if (!this.#thinkingOpen) {
          this.#thinkingOpen = true;
          await this.#side.raw(
            this.#options.styleStderr
              ? `${GREY}${BOLD}Thinking...\n${RESET}${GREY}`
              : "Thinking...\n",
          );
        }
        return await this.#side.text(event.text);
      case "content":
        await this.#visible();
        await this.#closeThinking();
        return await this.#content.text(event.text);
      case "toolCalls":
        if (this.#options.toolsRun) return await this.#closeThinking();
        await this.#visible();
        await this.#closeThinking();
        return await this.#toolCalls(event.calls);
      case "done":
        return;
    }
  }

  async #closeThinking(): Promise<void> {
    if (!this.#thinkingOpen) return;
    this.#thinkingOpen = false;
    await this.#side.flushAndReset();
    if (this.#side.last !== "\n") await this.#side.raw("\n");
    await this.#side.raw(
      this.#options.styleStderr
        ? `${GREY}${BOLD}...done thinking.\n\n${RESET}`
        : "...done thinking.\n\n",
    );
  }

  async #toolCalls(calls: ToolCall[]): Promise<void> {
    const style = this.#options.styleStderr;
    const out = this.#options.stderr;
    const lines = calls.map((call) => {
      // A malformed call (no function, no name) is shown, not trusted: see lib/api/shapes.ts.
      const fn: Partial<ToolCall["function"]> = call.function ?? {};
      const name = sanitizeIfTerminal(typeof fn.name === "string" ? fn.name : "", out);
      const args = sanitizeIfTerminal(goJson(fn.arguments ?? {}), out);
      return style
        ? `${GREY}${BOLD}  Model called a non-existent function '${RESET}${name}()${GREY}${BOLD}' with arguments: ${RESET}${args}${RESET}`
        : `  Model called a non-existent function '${name}()' with arguments: ${args}`;
    });
    await this.#side.flushAndReset();
    if (this.#side.last !== "\n") await this.#side.raw("\n");
    await this.#side.raw(lines.join("\n") + "\n");
  }

  /**
   * Ctrl+C cut the answer short. `end()` then drops the word the wrappers hold back, which would
   * otherwise appear after the `^C` the terminal echoed, and ends the line instead: whatever
   * comes next (the shell's prompt) starts on a fresh one.
   */
  interrupt(): void {
    this.#interrupted = true;
  }

  /**
   * Writes out what the wrappers hold back and leaves the terminal in its normal style.
   * Safe to call after an interruption; a thinking block cut short gets no closing marker.
   */
  async end(): Promise<void> {
    if (this.#interrupted) return await this.#endInterrupted();
    await this.#side.flush();
    if (this.#thinkingOpen) {
      this.#thinkingOpen = false;
      if (this.#side.last !== "\n") await this.#side.raw("\n");
      if (this.#options.styleStderr) await this.#side.raw(RESET);
    }
    await this.#content.flush();
    await this.#writer.flush();
  }

  async #endInterrupted(): Promise<void> {
    this.#content.drop();
    this.#side.drop();
    if (this.#thinkingOpen && this.#options.styleStderr) await this.#side.raw(RESET);
    this.#thinkingOpen = false;
    // Something was shown, so the cursor is after it (and after the echoed `^C`): the newline
    // goes to the terminal, through whichever stream is one. Before any output the spinner has
    // erased its line and the cursor is already at its start.
    const lane = this.#content.isTerminal
      ? this.#content
      : this.#side.isTerminal
      ? this.#side
      : undefined;
    if (this.#started && lane) await lane.raw("\n");
    await this.#writer.flush();
  }

  /** Where stdout's cursor is: true when the answer ended with a newline (or is empty). */
  get contentEndsLine(): boolean {
    return this.#content.last === "\n";
  }
}

function sanitizeIfTerminal(text: string, out: Output): string {
  return out.isTerminal ? sanitizeForTerminal(text) : text;
}
