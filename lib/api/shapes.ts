/**
 * Hand-written checks that a parsed response body has the shape dollama relies on, one per
 * response type (docs/reliability.md, Shape checks). A field dollama reads must have the right
 * type when present; unknown extra fields are accepted, as the API grows. Each check returns the
 * value typed, or throws a `ShapeError` naming the endpoint, so no JavaScript error about `null`
 * or `NaN` ever reaches the user.
 *
 * Two repairs instead of failures, because both are cosmetic: a final chunk's timing fields that
 * are not finite numbers are dropped (they only feed `--verbose`), and a tool call without
 * `arguments` gets `{}`.
 */
import { ShapeError } from "./errors.ts";
import {
  type ChatChunk,
  type EmbedResponse,
  type GenerateChunk,
  type ListResponse,
  METRIC_KEYS,
  type PsResponse,
  type PullProgress,
  type ShowResponse,
  type VersionResponse,
  type WebFetchResponse,
  type WebSearchResponse,
} from "./types.ts";

type Obj = Record<string, unknown>;

/** Thrown inside a check; the client turns it into a ShapeError for its endpoint. */
class Mismatch extends Error {}

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function object(v: unknown, where: string): Obj {
  if (!isObject(v)) throw new Mismatch(`${where}: expected an object`);
  return v;
}

/** Checks `o[key]` with `test` when it is present (null counts as absent, as in Go). */
function optional(o: Obj, key: string, expected: string, test: (v: unknown) => boolean): void {
  const v = o[key];
  if (v !== undefined && v !== null && !test(v)) {
    throw new Mismatch(`${key}: expected ${expected}`);
  }
}

const isString = (v: unknown) => typeof v === "string";
const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const isBoolean = (v: unknown) => typeof v === "boolean";
const isStringArray = (v: unknown) => Array.isArray(v) && v.every(isString);
const isNumberArray = (v: unknown) => Array.isArray(v) && v.every(isNumber);

function strings(o: Obj, keys: readonly string[]): void {
  for (const key of keys) optional(o, key, "a string", isString);
}

function numbers(o: Obj, keys: readonly string[]): void {
  for (const key of keys) optional(o, key, "a number", isNumber);
}

function details(o: Obj): void {
  optional(o, "details", "an object", isObject);
  if (!isObject(o.details)) return;
  strings(o.details, ["parent_model", "format", "family", "parameter_size", "quantization_level"]);
  optional(o.details, "families", "a list of strings", isStringArray);
  numbers(o.details, ["context_length", "embedding_length"]);
}

/** A list of objects under `key` (missing or null is an empty list), each checked by `each`. */
function listOf(o: Obj, key: string, each: (item: Obj) => void): void {
  const v = o[key];
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) throw new Mismatch(`${key}: expected a list`);
  v.forEach((item, i) => each(object(item, `${key}[${i}]`)));
}

/**
 * Drops timing fields that are not finite numbers: they are cosmetic, the answer is not. Only
 * the final chunk's timings are ever read (lib/api/events.ts), so only a final chunk is cleaned:
 * the others arrive once per token.
 */
function cleanMetrics(o: Obj): void {
  if (o.done !== true) return;
  for (const key of METRIC_KEYS) if (o[key] !== undefined && !isNumber(o[key])) delete o[key];
}

function toolCalls(o: Obj): void {
  listOf(o, "tool_calls", (call) => {
    const fn = object(call.function, "tool_calls[].function");
    if (typeof fn.name !== "string") throw new Mismatch("tool_calls[].function.name: missing");
    if (fn.arguments === undefined || fn.arguments === null) fn.arguments = {};
    if (!isObject(fn.arguments)) {
      throw new Mismatch("tool_calls[].function.arguments: expected an object");
    }
    optional(fn, "index", "a number", isNumber);
    optional(call, "id", "a string", isString);
  });
}

/**
 * Tool calls in a chat answer: only a list of objects is required. Whatever is wrong inside one
 * (no function, no name, arguments that are not an object) is the model's mistake, not the
 * server's: the agent answers it to the model as a tool error and the chat goes on
 * (docs/agent.md), and the renderer shows it as a call to a non-existent function.
 */
function chatToolCalls(o: Obj): void {
  listOf(o, "tool_calls", (call) => {
    if (isObject(call.function) && (call.function.arguments ?? null) === null) {
      call.function.arguments = {};
    }
  });
}

/** `GET /api/tags`. */
export function listShape(body: unknown): ListResponse {
  const o = object(body, "body");
  listOf(o, "models", (m) => {
    strings(m, ["name", "model", "modified_at", "digest", "remote_model", "remote_host"]);
    numbers(m, ["size"]);
    details(m);
  });
  return { ...o, models: (o.models ?? []) as ListResponse["models"] };
}

/** `GET /api/ps`. */
export function psShape(body: unknown): PsResponse {
  const o = object(body, "body");
  listOf(o, "models", (m) => {
    strings(m, ["name", "model", "digest", "expires_at"]);
    numbers(m, ["size", "size_vram", "context_length"]);
    details(m);
  });
  return { ...o, models: (o.models ?? []) as PsResponse["models"] };
}

/** `POST /api/show`. */
export function showShape(body: unknown): ShowResponse {
  const o = object(body, "body");
  strings(o, [
    "license",
    "modelfile",
    "parameters",
    "template",
    "system",
    "remote_model",
    "remote_host",
    "modified_at",
    "requires",
  ]);
  details(o);
  optional(o, "capabilities", "a list of strings", isStringArray);
  optional(o, "model_info", "an object", isObject);
  optional(o, "projector_info", "an object", isObject);
  listOf(o, "tensors", (t) => {
    strings(t, ["name", "type"]);
    optional(t, "shape", "a list of numbers", isNumberArray);
  });
  listOf(o, "messages", (m) => strings(m, ["role", "content", "thinking"]));
  return o as ShowResponse;
}

/** `GET /api/version`. */
export function versionShape(body: unknown): VersionResponse {
  const o = object(body, "body");
  strings(o, ["version"]);
  return o as unknown as VersionResponse;
}

/** `POST /api/embed`. */
export function embedShape(body: unknown): EmbedResponse {
  const o = object(body, "body");
  const embeddings = o.embeddings;
  if (
    embeddings !== undefined && embeddings !== null &&
    !(Array.isArray(embeddings) && embeddings.every(isNumberArray))
  ) {
    throw new Mismatch("embeddings: expected a list of lists of numbers");
  }
  return o as unknown as EmbedResponse;
}

// The string fields of a streamed chunk, made once: the checks run for every token.
const GENERATE_STRINGS = ["model", "created_at", "response", "thinking", "done_reason"];
const CHAT_STRINGS = ["model", "created_at", "done_reason"];
const MESSAGE_STRINGS = ["role", "content", "thinking"];

/** One chunk of `POST /api/generate` (also the one-object `stream: false` answer). */
export function generateShape(body: unknown): GenerateChunk {
  const o = object(body, "chunk");
  strings(o, GENERATE_STRINGS);
  optional(o, "done", "a boolean", isBoolean);
  toolCalls(o);
  cleanMetrics(o);
  return o as unknown as GenerateChunk;
}

/** One chunk of `POST /api/chat`. */
export function chatShape(body: unknown): ChatChunk {
  const o = object(body, "chunk");
  strings(o, CHAT_STRINGS);
  optional(o, "done", "a boolean", isBoolean);
  optional(o, "message", "an object", isObject);
  if (isObject(o.message)) {
    strings(o.message, MESSAGE_STRINGS);
    chatToolCalls(o.message);
  }
  cleanMetrics(o);
  return o as unknown as ChatChunk;
}

/** One line of `POST /api/pull` or `/api/create`. */
export function pullShape(body: unknown): PullProgress {
  const o = object(body, "line");
  strings(o, ["status", "digest"]);
  numbers(o, ["total", "completed"]);
  return o as unknown as PullProgress;
}

/** `POST /api/experimental/web_search`. */
export function webSearchShape(body: unknown): WebSearchResponse {
  const o = object(body, "body");
  listOf(o, "results", (r) => strings(r, ["title", "url", "content"]));
  return o as WebSearchResponse;
}

/** `POST /api/experimental/web_fetch`. */
export function webFetchShape(body: unknown): WebFetchResponse {
  const o = object(body, "body");
  strings(o, ["title", "content"]);
  optional(o, "links", "a list of strings", isStringArray);
  return o as WebFetchResponse;
}

/**
 * Runs `check` on a body from `endpoint`, turning a mismatch into the one line the user reads.
 * The client calls this where it parses each body or streamed chunk.
 */
export function checked<T>(endpoint: string, body: unknown, check: (body: unknown) => T): T {
  try {
    return check(body);
  } catch (err) {
    if (err instanceof Mismatch) throw new ShapeError(endpoint, err.message);
    throw err;
  }
}

/** A check for one response type: returns the body typed or throws. */
export type Check<T> = (body: unknown) => T;
