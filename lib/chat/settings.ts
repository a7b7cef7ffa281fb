/**
 * The settings of generation that one-shot runs, the REPL and the agent share: what goes on the
 * wire with each request (think, format, keep-alive) and how the answer is shown (stats, wrap,
 * thinking). `dollama run`'s resolved options have these fields under the same names, so they
 * are passed in as they are; the REPL's `/set` commands change its own copy.
 */
import type { Format, KeepAlive, Think } from "../api/types.ts";

/** What a request carries besides the model and the messages (mapped in lib/chat/request.ts). */
export interface WireSettings {
  /** The think value sent with each request; undefined leaves it to the server. */
  think?: Think;
  format?: Format;
  keepAlive?: KeepAlive;
}

/** How an answer is shown. */
export interface DisplaySettings {
  /** Timing statistics on stderr after each answer (`--verbose`, `/set verbose`). */
  verbose: boolean;
  wordWrap: boolean;
  hideThinking: boolean;
  /** The answer printed once, complete (`--no-stream`, `/set nostream`). */
  noStream?: boolean;
  /** With `verbose`: the statistics as one JSON object instead of the text block. */
  verboseJson?: boolean;
}

export type GenerationSettings = WireSettings & DisplaySettings;

/**
 * The generation settings out of a larger object (such as `dollama run`'s options), so a copy
 * that is changed later does not carry or share anything else.
 */
export function generationSettings(from: GenerationSettings): GenerationSettings {
  const { think, format, keepAlive, verbose, verboseJson, wordWrap, hideThinking, noStream } = from;
  return { think, format, keepAlive, verbose, verboseJson, wordWrap, hideThinking, noStream };
}
