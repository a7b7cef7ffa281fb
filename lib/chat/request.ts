/**
 * The one place settings become wire requests: `keep_alive`, `think` and `format` are mapped here
 * and nowhere else. A setting left undefined is left out of the request, so the server's default
 * applies (docs/api.md).
 */
import type {
  ChatRequest,
  EmbedRequest,
  GenerateRequest,
  KeepAlive,
  Message,
  Options,
} from "../api/types.ts";
import type { StreamedText } from "../api/json_body.ts";
import type { WireSettings } from "./settings.ts";

function keepAliveField(keepAlive: KeepAlive | undefined): { keep_alive?: KeepAlive } {
  return keepAlive === undefined ? {} : { keep_alive: keepAlive };
}

function thinkField(settings: WireSettings): Pick<ChatRequest, "think"> {
  return settings.think === undefined ? {} : { think: settings.think };
}

function formatField(settings: WireSettings): Pick<ChatRequest, "format"> {
  return settings.format === undefined ? {} : { format: settings.format };
}

/** One chat turn: the whole conversation, the `/set parameter` options, the agent's tools. */
export function chatRequest(
  model: string,
  settings: WireSettings,
  conversation: { messages: readonly Message[]; options: Readonly<Options> },
  tools: readonly unknown[] = [],
): ChatRequest {
  return {
    model,
    messages: [...conversation.messages],
    options: { ...conversation.options },
    ...formatField(settings),
    ...thinkField(settings),
    ...keepAliveField(settings.keepAlive),
    ...(tools.length > 0 && { tools: [...tools] }),
  };
}

/**
 * What `--system` and `--parameter` add to a one-shot request: the system prompt (an empty one
 * is left out, so the model's own applies) and the options.
 */
export interface PromptExtras {
  system?: string;
  options?: Readonly<Options>;
}

/** A one-shot answer to `prompt` through `/api/generate`. */
export function generateRequest(
  model: string,
  settings: WireSettings,
  prompt: string,
  images?: readonly string[],
  extras: PromptExtras = {},
): GenerateRequest {
  return {
    model,
    prompt,
    ...(extras.system && { system: extras.system }),
    options: { ...extras.options },
    ...formatField(settings),
    ...keepAliveField(settings.keepAlive),
    ...thinkField(settings),
    ...(images && images.length > 0 && { images: [...images] }),
  };
}

/**
 * The preload: a generate request without a prompt loads the model and answers at once. It
 * carries keep-alive (how long the model stays loaded) and think (a model that cannot think
 * is refused here, before the first message), but no format: there is nothing to format. The
 * session's options go with it when there are any (`--parameter num_ctx=…`), so the model is
 * loaded as the first turn needs it rather than loaded twice.
 */
export function preloadRequest(
  model: string,
  settings: WireSettings,
  options: Readonly<Options> = {},
): GenerateRequest {
  return {
    model,
    ...keepAliveField(settings.keepAlive),
    ...thinkField(settings),
    ...(Object.keys(options).length > 0 && { options: { ...options } }),
  };
}

/** `dollama run` on an embedding model: one text, or a batch of lines (`--lines`). */
export function embedRequest(
  model: string,
  input: string | readonly string[] | StreamedText,
  settings: {
    keepAlive?: KeepAlive;
    truncate?: boolean;
    dimensions?: number;
    parameters?: Readonly<Options>;
  },
): EmbedRequest {
  return {
    model,
    input: Array.isArray(input) ? [...input] : input as string | StreamedText,
    ...(settings.parameters && Object.keys(settings.parameters).length > 0 &&
      { options: { ...settings.parameters } }),
    ...keepAliveField(settings.keepAlive),
    ...(settings.truncate !== undefined && { truncate: settings.truncate }),
    ...(settings.dimensions !== undefined && { dimensions: settings.dimensions }),
  };
}
