/**
 * One streamed answer, from events to screen and to a message: `streamTurn` consumes the
 * StreamEvents of a request, has the renderer show them, and itself collects the assistant's
 * message (content, thinking, tool calls) and the metrics. One-shot runs, the REPL and the agent
 * loop all answer through it.
 */
import type { StreamEvent } from "../api/events.ts";
import type { Message, Metrics, ToolCall } from "../api/types.ts";
import type { Io } from "../io.ts";
import { ResponseRenderer } from "../render/response.ts";
import { HeldResponseRenderer } from "../render/held_response.ts";
import { Spinner } from "../render/spinner.ts";
import { styleFor } from "../term/style.ts";
import type { DisplaySettings } from "./settings.ts";

export interface TurnResult {
  /** The assistant's message; with `keepText` off its content and thinking stay empty. */
  message: Message & { role: "assistant" };
  /** The timing fields of the final chunk, when the stream got that far. */
  metrics?: Metrics;
}

export interface StreamTurnOptions {
  /**
   * Keep the answer and thinking text for the conversation. Off for one-shot runs, so memory
   * stays flat however long the answer is.
   */
  keepText: boolean;
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
 * Streams one answer. The renderer is ended (whatever it held back is written) however the
 * stream ends; an error or a cancellation is rethrown afterwards.
 */
export async function streamTurn(
  events: AsyncIterable<StreamEvent>,
  renderer: ResponseRenderer,
  options: StreamTurnOptions,
): Promise<TurnResult> {
  let content = "";
  let thinking = "";
  const calls: ToolCall[] = [];
  let metrics: Metrics | undefined;
  options.spinner?.start();
  try {
    for await (const event of events) {
      if (options.keepText) {
        if (event.type === "content") content += event.text;
        if (event.type === "thinking" && !options.hideThinking) thinking += event.text;
      }
      if (event.type === "toolCalls" && options.keepToolCalls) calls.push(...event.calls);
      if (event.type === "done") metrics = event.metrics;
      await renderer.handle(event);
    }
  } finally {
    await options.spinner?.stop();
    await renderer.end();
  }
  return {
    message: {
      role: "assistant",
      content,
      ...(thinking && { thinking }),
      ...(calls.length > 0 && { tool_calls: calls }),
    },
    metrics,
  };
}

/**
 * The spinner and renderer of one answer on `io`: the answer to stdout, the rest to stderr, the
 * spinner stopped by the first visible byte. The word wrapper is loaded only when a terminal
 * needs it, so a one-shot run into a pipe never loads it.
 */
export async function answerOutput(
  io: Io,
  settings: DisplaySettings,
  options: { noColor: boolean; toolsRun?: boolean },
): Promise<{ renderer: ResponseRenderer; spinner: Spinner }> {
  const wrapped = settings.wordWrap && (io.stdout.isTerminal || io.stderr.isTerminal);
  const { WrapWriter } = wrapped ? await import("../render/wrap.ts") : { WrapWriter: undefined };
  const spinner = new Spinner({ output: io.stderr });
  const Renderer = settings.noStream ? HeldResponseRenderer : ResponseRenderer;
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
