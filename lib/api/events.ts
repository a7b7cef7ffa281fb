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
 * for every chunk in the one generator a streamed answer goes through (lib/api/client.ts).
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

/**
 * `events` with its first step already taken: the request behind it goes out now, not when the
 * consumer asks for the first events, so what the caller prepares in between (the renderer's
 * modules, the file the answer is saved to) overlaps the server's answer. The first step's
 * outcome, an error included, is what the first `next()` gets. Every later call goes straight to
 * `events`: a stream sends one batch per network read, and another generator in between would
 * cost each of them a trip through the microtask queue.
 */
export function startNow<T>(events: AsyncGenerator<T>): AsyncIterableIterator<T> {
  let first: Promise<IteratorResult<T>> | undefined = events.next();
  // Not unhandled while the caller prepares: the first `next()` reports it.
  first.catch(() => {});
  return {
    next() {
      const pending = first;
      first = undefined;
      return pending ?? events.next();
    },
    return(value?: unknown) {
      first = undefined;
      return events.return(value as T);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
