/**
 * One provider-neutral stream type for model output. The renderer, the JSON paths and (later)
 * the agent loop consume these events without knowing which endpoint produced them.
 */
import {
  type ChatChunk,
  type GenerateChunk,
  METRIC_KEYS,
  type Metrics,
  type ToolCall,
} from "./types.ts";

export type StreamEvent =
  | { type: "thinking"; text: string }
  | { type: "content"; text: string }
  | { type: "toolCalls"; calls: ToolCall[] }
  | { type: "done"; metrics: Metrics; reason?: string };

/** Only the timing fields of a final chunk. */
function metricsOf(chunk: Metrics): Metrics {
  const metrics: Metrics = {};
  for (const key of METRIC_KEYS) if (chunk[key] !== undefined) metrics[key] = chunk[key];
  return metrics;
}

export async function* generateEvents(
  chunks: AsyncIterable<GenerateChunk>,
): AsyncGenerator<StreamEvent> {
  for await (const chunk of chunks) {
    if (chunk.thinking) yield { type: "thinking", text: chunk.thinking };
    if (chunk.response) yield { type: "content", text: chunk.response };
    // Generate reports tool calls after the chunk's text, as upstream prints them.
    if (chunk.tool_calls?.length) yield { type: "toolCalls", calls: chunk.tool_calls };
    if (chunk.done) yield { type: "done", metrics: metricsOf(chunk), reason: chunk.done_reason };
  }
}

export async function* chatEvents(chunks: AsyncIterable<ChatChunk>): AsyncGenerator<StreamEvent> {
  for await (const chunk of chunks) {
    const message = chunk.message ?? {};
    if (message.thinking) yield { type: "thinking", text: message.thinking };
    // Chat reports tool calls before the chunk's text.
    if (message.tool_calls?.length) yield { type: "toolCalls", calls: message.tool_calls };
    if (message.content) yield { type: "content", text: message.content };
    if (chunk.done) yield { type: "done", metrics: metricsOf(chunk), reason: chunk.done_reason };
  }
}
