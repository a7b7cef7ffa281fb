/**
 * One chat turn against `/api/chat`: the user's message, the streamed answer, and in agent mode
 * the rounds of tool calls that follow until the model answers without calling a tool. The tools
 * themselves are behind `ToolRunner`, which lib/agent/agent.ts implements, so the chat core does
 * not depend on the agent.
 */
import type { OllamaClient } from "../api/client.ts";
import type { Message, Metrics, ShowResponse, ToolCall } from "../api/types.ts";
import type { Io } from "../io.ts";
import type { Conversation } from "./conversation.ts";
import { chatRequest } from "./request.ts";
import type { GenerationSettings } from "./settings.ts";
import { answerOutput, streamTurn, writeStats } from "./turn.ts";

/** Runs the tools a model calls. */
export interface ToolRunner {
  /** The tool definitions offered to a model; none when it cannot call tools. */
  definitions(info: ShowResponse): readonly unknown[];
  /**
   * Runs one round of calls and returns the `tool` messages for the model, in order. Throws when
   * `signal` fires, so the turn is cancelled.
   */
  runCalls(calls: ToolCall[], options: { signal: AbortSignal; cloud: boolean }): Promise<Message[]>;
}

export interface ChatTurn {
  io: Io;
  client: OllamaClient;
  model: string;
  info: ShowResponse;
  settings: GenerationSettings;
  conversation: Conversation;
  tools?: ToolRunner;
  /** `NO_COLOR` is set: thinking and notices on stderr stay unstyled. */
  noColor: boolean;
  /** The turn's own interrupt scope: Ctrl+C cancels this turn and nothing else. */
  signal: AbortSignal;
}

/** A completed turn: the messages it added (user, assistant, tool results) and the last metrics. */
export interface ChatTurnResult {
  messages: readonly Message[];
  metrics?: Metrics;
}

/**
 * Sends `message` with the conversation and adds the answer (and any tool rounds) to it. When
 * the turn fails or is cancelled, it is taken back out of the conversation and the error is
 * rethrown, so the conversation is as it was before the turn.
 */
export async function chatTurn(
  turn: ChatTurn,
  message: Message & { role: "user" },
): Promise<ChatTurnResult> {
  const { conversation } = turn;
  const mark = conversation.mark();
  conversation.addUser(message);
  const tools = turn.tools?.definitions(turn.info) ?? [];
  try {
    while (true) {
      const { calls, metrics } = await exchange(turn, tools);
      if (!turn.tools || calls.length === 0) return { messages: conversation.since(mark), metrics };
      const results = await turn.tools.runCalls(calls, {
        signal: turn.signal,
        cloud: turn.info.remote_host !== undefined,
      });
      conversation.addToolResults(results);
      await turn.io.stderr.write("\n");
    }
  } catch (err) {
    conversation.rollback(mark);
    throw err;
  }
}

/**
 * One request and its streamed answer, added to the conversation. Returns the tool calls the
 * model made (always none without tools).
 */
async function exchange(
  turn: ChatTurn,
  tools: readonly unknown[],
): Promise<{ calls: ToolCall[]; metrics?: Metrics }> {
  const { io, settings, signal } = turn;
  const toolsRun = tools.length > 0;
  const { renderer, spinner } = await answerOutput(io, settings, {
    noColor: turn.noColor,
    toolsRun,
  });
  const request = chatRequest(turn.model, settings, turn.conversation, tools);
  let result;
  try {
    result = await streamTurn(turn.client.chat(request, signal), renderer, {
      keepText: true,
      hideThinking: settings.hideThinking,
      keepToolCalls: toolsRun,
      spinner,
    });
  } catch (err) {
    // Ctrl+C mid-answer: end the partial answer's line, as a finished answer would be ended.
    if (signal.aborted && renderer.started) {
      await io.stdout.write(renderer.contentEndsLine ? "\n" : "\n\n");
    } else if (!renderer.contentEndsLine) {
      // A failure mid-answer: what was streamed stays, and the error line starts a line.
      await io.stdout.write("\n");
    }
    throw err;
  }
  const calls = result.message.tool_calls ?? [];
  if (calls.length === 0) await io.stdout.write(renderer.contentEndsLine ? "\n" : "\n\n");
  else {
    if (!renderer.contentEndsLine) await io.stdout.write("\n");
    await io.stderr.write("\n");
  }
  await writeStats(io.stderr, settings, result.metrics);
  turn.conversation.addAssistant(result.message);
  return { calls, metrics: result.metrics };
}
