/** Request and response shapes of the Ollama HTTP API (docs/api.md). */
import type { StreamedText } from "./json_body.ts";

/** The levels of thinking a model can be asked for, besides plain on (true) and off (false). */
export const THINK_LEVELS = ["high", "medium", "low", "max"] as const;
export type Think = boolean | (typeof THINK_LEVELS)[number];
export type KeepAlive = string | number;
export type Format = "json" | Record<string, unknown>;
export type Options = Record<string, unknown>;

export interface Metrics {
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

/** Every field of Metrics: the timing fields a final chunk may carry. */
export const METRIC_KEYS = [
  "total_duration",
  "load_duration",
  "prompt_eval_count",
  "prompt_eval_duration",
  "eval_count",
  "eval_duration",
] as const satisfies readonly (keyof Metrics)[];

export interface ToolCall {
  id?: string;
  function: { index?: number; name: string; arguments: Record<string, unknown> };
}

export interface Message {
  role: "system" | "user" | "assistant" | "tool";
  content: string;
  thinking?: string;
  images?: string[];
  tool_calls?: ToolCall[];
  tool_name?: string;
  tool_call_id?: string;
}

export interface GenerateRequest {
  model: string;
  prompt?: string;
  suffix?: string;
  system?: string;
  template?: string;
  images?: string[];
  format?: Format;
  options?: Options;
  keep_alive?: KeepAlive;
  think?: Think;
}

export interface GenerateChunk extends Metrics {
  model: string;
  created_at?: string;
  response?: string;
  thinking?: string;
  done: boolean;
  done_reason?: string;
  tool_calls?: ToolCall[];
}

export interface ChatRequest {
  model: string;
  messages: Message[];
  format?: Format;
  options?: Options;
  keep_alive?: KeepAlive;
  think?: Think;
  tools?: unknown[];
}

export interface ChatChunk extends Metrics {
  model: string;
  created_at?: string;
  message?: Partial<Message>;
  done: boolean;
  done_reason?: string;
}

export interface EmbedRequest {
  model: string;
  /** A `StreamedText` goes out as one JSON string, sent as its pieces arrive. */
  input: string | string[] | StreamedText;
  truncate?: boolean;
  dimensions?: number;
  keep_alive?: KeepAlive;
  options?: Options;
}

export interface EmbedResponse {
  model: string;
  embeddings: number[][];
}

export interface PullRequest {
  model: string;
  insecure?: boolean;
}

export interface PullProgress {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}

export interface ShowRequest {
  model: string;
  verbose?: boolean;
  system?: string;
  options?: Options;
}

export interface ModelDetails {
  parent_model?: string;
  format?: string;
  family?: string;
  families?: string[] | null;
  parameter_size?: string;
  quantization_level?: string;
  context_length?: number;
  embedding_length?: number;
}

export interface Tensor {
  name: string;
  type: string;
  shape: number[];
}

export interface ShowResponse {
  license?: string;
  modelfile?: string;
  parameters?: string;
  template?: string;
  system?: string;
  details?: ModelDetails;
  messages?: Message[];
  remote_model?: string;
  remote_host?: string;
  model_info?: Record<string, unknown>;
  projector_info?: Record<string, unknown>;
  tensors?: Tensor[];
  capabilities?: string[];
  modified_at?: string;
  requires?: string;
}

export interface ListModel {
  name: string;
  model: string;
  modified_at: string;
  size: number;
  digest: string;
  details?: ModelDetails;
  remote_model?: string;
  remote_host?: string;
}

export interface ListResponse {
  models: ListModel[];
}

export interface RunningModel {
  name: string;
  model: string;
  size: number;
  digest: string;
  details?: ModelDetails;
  expires_at: string;
  size_vram: number;
  context_length?: number;
}

export interface PsResponse {
  models: RunningModel[];
}

export interface VersionResponse {
  version: string;
}

export interface CreateRequest {
  model: string;
  from?: string;
  system?: string;
  parameters?: Options;
  messages?: Message[];
}

/** `POST /api/experimental/web_search`: the local server forwards it to ollama.com. */
export interface WebSearchRequest {
  query: string;
  max_results?: number;
}

export interface WebSearchResult {
  title?: string;
  url?: string;
  content?: string;
}

export interface WebSearchResponse {
  results?: WebSearchResult[];
}

/** `POST /api/experimental/web_fetch`: one page's title and extracted text. */
export interface WebFetchRequest {
  url: string;
}

export interface WebFetchResponse {
  title?: string;
  content?: string;
  links?: string[];
}
