/**
 * One provider-neutral stream type for model output. The renderer, the JSON paths and the agent
 * loop consume these events without knowing which endpoint produced them. The client's streams
 * hand them over in batches, one per network read (lib/api/client.ts).
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

/**
 * A `/api/generate` chunk's events, appended to `out`. Synchronous: the client's stream calls it
 * for every chunk in the one loop a streamed answer goes through (lib/api/client.ts `#read`).
 */
export function generateChunkEvents(chunk: GenerateChunk, out: StreamEvent[]): void {
  if (chunk.thinking) out.push({ type: "thinking", text: chunk.thinking });
  if (chunk.response) out.push({ type: "content", text: chunk.response });
  // Generate reports tool calls after the chunk's text, as upstream prints them.
  if (chunk.tool_calls?.length) out.push({ type: "toolCalls", calls: chunk.tool_calls });
  if (chunk.done) out.push({ type: "done", metrics: metricsOf(chunk), reason: chunk.done_reason });
}

/** A `/api/chat` chunk's events, appended to `out`, as `generateChunkEvents`. */
export function chatChunkEvents(chunk: ChatChunk, out: StreamEvent[]): void {
  const message = chunk.message ?? {};
  if (message.thinking) out.push({ type: "thinking", text: message.thinking });
  // Chat reports tool calls before the chunk's text.
  if (message.tool_calls?.length) out.push({ type: "toolCalls", calls: message.tool_calls });
  if (message.content) out.push({ type: "content", text: message.content });
  if (chunk.done) out.push({ type: "done", metrics: metricsOf(chunk), reason: chunk.done_reason });
}
