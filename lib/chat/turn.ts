/**
 * One streamed answer, from events to screen and to a message: `streamTurn` consumes the
 * StreamEvents of a request, has the renderer show them, and itself collects the assistant's
 * message (content, thinking, tool calls) and the metrics. One-shot runs, the REPL and the agent
 * loop all answer through it.
 */
import { encodeInto, GrowingBytes, isHighSurrogate } from "../bytes.ts";
import type { StreamEvent } from "../api/events.ts";
import type { Streamed } from "../api/client.ts";
import type { Message, Metrics, ToolCall } from "../api/types.ts";
import type { Io, Output } from "../io.ts";
import { ResponseRenderer } from "../render/response.ts";
import { Spinner } from "../render/spinner.ts";
import { styleFor } from "../term/style.ts";
import type { DisplaySettings } from "./settings.ts";

export interface TurnResult {
  /**
   * The assistant's message; with `keepText` off its content and thinking stay empty, and its
   * content also when `saveContent` took it.
   */
  message: Message & { role: "assistant" };
  /** The timing fields of the final chunk, when the stream got that far. */
  metrics?: Metrics;
}

export interface StreamTurnOptions {
  /**
   * Keep the answer and thinking text for the conversation. Off when nothing needs them (a
   * one-shot run that saves nothing), so memory stays flat however long the answer is.
   */
  keepText: boolean;
  /**
   * Where the answer's text goes as it arrives, instead of into the message: a one-shot run
   * saves it as it streams and never holds it.
   */
  saveContent?: (piece: string) => void;
  /** Hidden thinking is not kept either: the conversation holds what the user was shown. */
  hideThinking?: boolean;
  /**
   * Keep the tool calls in the message, for an agent to run. Otherwise they are only reported
   * (a model calling tools it was not offered) and the conversation does not carry them.
   */
  keepToolCalls?: boolean;
  /** Spins from the start until the renderer's first visible byte (or the end). */
  spinner?: Spinner;
}

/**
 * Text that arrives in many small pieces (one per token), kept as UTF-8 bytes in one buffer that
 * grows by doubling. Keeping the pieces as strings — appended, or in an array — lets each one
 * outlive a young-generation collection, and a long answer then costs the heap many times its
 * own size (measured: a 5 MB answer of a million tokens raised peak RSS by 64 MB). Even a few
 * thousand characters joined before encoding cost a million-token answer 15 MB more at its
 * peak than encoding each piece as it comes, and saved no measurable time. The bytes are decoded
 * once, at the end.
 */
class TextCollector {
  readonly #bytes = new GrowingBytes(2 ** 31);

  /** A high surrogate that ended the last piece, waiting for its other half. */
  #pending = "";

  add(piece: string): void {
    piece = this.#pending + piece;
    this.#pending = "";
    if (isHighSurrogate(piece.charCodeAt(piece.length - 1))) {
      this.#pending = piece.slice(-1);
      piece = piece.slice(0, -1);
    }
    this.#encode(piece);
  }

  /** The buffer's free space, filled from `#used` on and committed when more is needed. */
  #room: Uint8Array = new Uint8Array(0);
  #used = 0;

  #encode(piece: string): void {
    // A UTF-16 unit becomes at most 3 bytes of UTF-8.
    if (this.#room.length - this.#used < piece.length * 3) this.#grow(piece.length * 3);
    this.#used = encodeInto(piece, this.#room, this.#used);
  }

  #grow(wanted: number): void {
    this.#bytes.commit(this.#used);
    this.#used = 0;
    this.#room = this.#bytes.room(Math.max(wanted, 64 * 1024));
  }

  text(): string {
    this.#bytes.commit(this.#used);
    this.#used = 0;
    this.#room = new Uint8Array(0);
    const text = new TextDecoder().decode(this.#bytes.bytes()) + this.#pending;
    // The answer is held once, as the string, from here on.
    this.#bytes.release();
    return text;
  }
}

/**
 * Streams one answer, its events in batches as the client reads them. The renderer is ended
 * (whatever it held back is written) however the stream ends; an error or a cancellation is
 * rethrown afterwards.
 */
export async function streamTurn(
  events: Streamed<StreamEvent>,
  renderer: ResponseRenderer,
  options: StreamTurnOptions,
): Promise<TurnResult> {
  const content = new TextCollector();
  const thinking = new TextCollector();
  const calls: ToolCall[] = [];
  const saveContent = options.saveContent;
  let metrics: Metrics | undefined;
  /** Keeps what the event adds to the answer and shows it; a promise only for a write set off. */
  const take = (event: StreamEvent): Promise<void> | undefined => {
    if (event.type === "content") {
      if (saveContent) saveContent(event.text);
      else if (options.keepText) content.add(event.text);
    }
    if (event.type === "thinking" && options.keepText && !options.hideThinking) {
      thinking.add(event.text);
    }
    if (event.type === "toolCalls" && options.keepToolCalls) calls.push(...event.calls);
    if (event.type === "done") metrics = event.metrics;
    return renderer.handle(event);
  };
  /** The rest of a batch once a write is under way: each event after the one before is shown. */
  const takeRest = async (batch: readonly StreamEvent[], from: number, writing: Promise<void>) => {
    await writing;
    for (let i = from; i < batch.length; i++) {
      const next = take(batch[i]);
      if (next) await next;
    }
  };
  options.spinner?.start();
  try {
    await events.each((batch) => {
      for (let i = 0; i < batch.length; i++) {
        const writing = take(batch[i]);
        if (writing) return takeRest(batch, i + 1, writing);
      }
      return undefined;
    });
  } finally {
    await options.spinner?.stop();
    await renderer.end();
  }
  const thought = thinking.text();
  return {
    message: {
      role: "assistant",
      content: content.text(),
      ...(thought && { thinking: thought }),
      ...(calls.length > 0 && { tool_calls: calls }),
    },
    metrics,
  };
}

/**
 * The spinner and renderer of one answer on `io`: the answer to stdout, the rest to stderr, the
 * spinner stopped by the first visible byte. The word wrapper is loaded only when a terminal
 * needs it, so a one-shot run into a pipe never loads it, and the held renderer only for
 * `--no-stream`.
 */
export async function answerOutput(
  io: Io,
  settings: DisplaySettings,
  options: { noColor: boolean; toolsRun?: boolean },
): Promise<{ renderer: ResponseRenderer; spinner: Spinner }> {
  const wrapped = settings.wordWrap && (io.stdout.isTerminal || io.stderr.isTerminal);
  const { WrapWriter } = wrapped ? await import("../render/wrap.ts") : { WrapWriter: undefined };
  const spinner = new Spinner({ output: io.stderr });
  const Renderer = settings.noStream
    ? (await import("../render/held_response.ts")).HeldResponseRenderer
    : ResponseRenderer;
  const renderer = new Renderer({
    stdout: io.stdout,
    stderr: io.stderr,
    // Grey and bold only on a terminal, and not with NO_COLOR.
    styleStderr: styleFor(io.stderr, options.noColor).enabled,
    wordWrap: settings.wordWrap,
    wrap: WrapWriter && ((columns) => new WrapWriter(columns)),
    hideThinking: settings.hideThinking,
    beforeOutput: () => spinner.stop(),
    toolsRun: options.toolsRun ?? false,
  });
  return { renderer, spinner };
}

/** `--verbose` (`/set verbose`): the answer's timing statistics on stderr, as text or JSON. */
export async function writeStats(
  stderr: Output,
  settings: DisplaySettings,
  metrics: Metrics | undefined,
): Promise<void> {
  if (!settings.verbose || !metrics) return;
  // Loaded only for `--verbose`: a plain run does without these modules.
  const text = settings.verboseJson
    ? (await import("../render/stats_json.ts")).formatStatsJson(metrics)
    : (await import("../render/stats.ts")).formatStats(metrics);
  await stderr.write(text);
}
