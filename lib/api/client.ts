/**
 * The Ollama HTTP client: JSON calls return parsed bodies; streaming calls send their request at
 * once and push what its typed chunks say (answers as events, pulls as progress) to a handler, a
 * batch per network read. Every call takes an AbortSignal; aborting it cancels the HTTP request,
 * which is how the server learns to stop generating. No terminal code lives here.
 */
import { BodyLines } from "./ndjson.ts";
import { chatChunkEvents, generateChunkEvents, type StreamEvent } from "./events.ts";
import { boundedSignal, startTimer } from "../timer.ts";
import { jsonBody } from "./json_body.ts";
import {
  AuthorizationError,
  ConnectionError,
  GENERIC_SERVER_ERROR,
  HeartbeatStatusError,
  isAbortError,
  oneLine,
  ServerTimeoutError,
  SettingsError,
  ShapeError,
  StatusError,
  statusLine,
  StreamError,
} from "./errors.ts";
import {
  chatShape,
  type Check,
  checked,
  embedShape,
  generateShape,
  listShape,
  psShape,
  pullShape,
  showShape,
  versionShape,
  webFetchShape,
  webSearchShape,
} from "./shapes.ts";
import type {
  ChatRequest,
  CreateRequest,
  EmbedRequest,
  EmbedResponse,
  GenerateChunk,
  GenerateRequest,
  ListResponse,
  PsResponse,
  PullProgress,
  PullRequest,
  ShowRequest,
  ShowResponse,
  VersionResponse,
  WebFetchRequest,
  WebFetchResponse,
  WebSearchRequest,
  WebSearchResponse,
} from "./types.ts";

/**
 * Takes one batch of a stream: the same array each time, refilled by the next read, so it is
 * read before returning. A promise returned is awaited before the next read; returning nothing
 * (the common case, once per token) costs no promise at all.
 */
export type BatchHandler<U> = (batch: readonly U[]) => Promise<void> | undefined;

/** A streaming request already sent (`OllamaClient#stream`). */
export interface Streamed<U> {
  /** Reads the stream to its end, handing `handle` one batch per network read. Called once. */
  each(handle: BatchHandler<U>): Promise<void>;
}

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:11434` or `https://example.com:443/ollama`, no trailing slash. */
  baseUrl: string;
  /** The base URL as shown to users in error messages (password masked, controls escaped). */
  displayUrl?: string;
  userAgent: string;
  apiKey?: string;
  /** `Basic …` from credentials in OLLAMA_HOST; sent instead of the API key. */
  basicAuthorization?: string;
  /**
   * The bound on connecting and on the start-up requests (heartbeat, show, tags, ps, version):
   * they fail with a ServerTimeoutError after this long. Undefined means no bound.
   */
  timeoutMs?: number;
  /**
   * When set (DOLLAMA_TIMEOUT), the longest a stream may stay silent, before its first line
   * included. Unset, a stream waits as long as the model needs: loading one can take minutes.
   */
  streamIdleMs?: number;
  fetch?: typeof fetch;
}

type Json = Record<string, unknown>;

function signinUrl(body: string): string | undefined {
  try {
    const url = JSON.parse(body)?.signin_url;
    return typeof url === "string" ? oneLine(url) : undefined;
  } catch {
    return undefined;
  }
}

/** How much of an error body is read: its message is one line, and a page has its title early. */
const ERROR_BODY_BYTES = 64 * 1024;

/**
 * The start of an error body, as text; the rest is not read. A server (or a proxy) may send a
 * page of any size, and only its message is shown.
 */
async function bodyStart(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  try {
    while (bytes < ERROR_BODY_BYTES) {
      const { value, done } = await reader.read();
      if (done) return text + decoder.decode();
      bytes += value.length;
      text += decoder.decode(value, { stream: true });
    }
    return text;
  } catch {
    // What came before the failure is still the server's message.
    return text;
  } finally {
    reader.cancel().catch(() => {});
  }
}

/**
 * Deno wraps the socket error: `TypeError: fetch failed` with the real reason as its cause,
 * behind the runtime's own preamble, which names the URL the error line names already:
 * `error sending request for url (URL): ` or, in newer Deno, `error sending request from
 * ADDRESS for URL (ADDRESS): `, then `client error (SendRequest): `.
 */
function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text
    .replace(/^error sending request (?:from \S+ )?for (?:url \([^)]*\)|\S+ \([^)]*\)): /, "")
    .replace(/^client error \(\w+\): /, "");
}

/**
 * Deno reports a connection that breaks while a body is read (a reset, a chunk that never ends,
 * broken chunked framing) as a bare `TypeError: error reading a body from connection`.
 */
function brokenBody(err: unknown): unknown {
  if (!(err instanceof TypeError)) return err;
  return new StreamError(`the connection to the server broke during its answer (${err.message})`);
}

function isRefused(err: unknown): boolean {
  return /refused/i.test(networkReason(err));
}

/**
 * An abort signal that fires once `ms` pass without a `touch()`: a stream's silence limit. A
 * touch comes with every line, so it only notes the time; the one timer, when it fires early,
 * starts again for what is left of the limit.
 */
class IdleTimer {
  readonly #controller = new AbortController();
  #last = performance.now();
  #cancel: () => void;
  constructor(readonly ms: number) {
    this.#cancel = startTimer(ms, () => this.#check());
  }
  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  get fired(): boolean {
    return this.#controller.signal.aborted;
  }
  touch(): void {
    this.#last = performance.now();
  }
  stop(): void {
    this.#cancel();
  }
  #check(): void {
    const left = this.#last + this.ms - performance.now();
    if (left <= 0) this.#controller.abort();
    else this.#cancel = startTimer(left, () => this.#check());
  }
}

/**
 * One line of a stream as an object. An `{"error": …}` line ends the stream with that error, as
 * does a line that is not JSON (shown, shortened, as the server sent it).
 */
function parseStreamLine(line: string): Json {
  let chunk: Json;
  try {
    chunk = JSON.parse(line);
  } catch {
    throw new StreamError(line.length > 200 ? `${line.slice(0, 200)}…` : line);
  }
  if (typeof chunk?.error === "string" && chunk.error !== "") {
    throw new StreamError(oneLine(chunk.error));
  }
  return chunk;
}

/** Reads after a stream's final object before the rest is cancelled. */
const DRAIN_READS = 8;

/**
 * Reads the rest of a finished stream (normally nothing but its end) without anyone waiting:
 * a body read to its end lets the runtime reuse the connection. A server that keeps sending
 * after its final object has the body cancelled after a few reads; errors are of no interest.
 */
function drainFinished(reader: BodyLines): void {
  (async () => {
    for (let read = 0; read < DRAIN_READS; read++) {
      if (await reader.skip()) return;
    }
    await reader.cancel();
  })().catch(() => {});
}

/**
 * What in the settings would make every request fail, in words that name the setting: the
 * runtime's own refusal (`Invalid URL: …`, `… is not a valid ByteString`) names neither the
 * variable nor what to change, and came out as a server that could not be reached.
 */
function unusableSettings(
  baseUrl: string,
  displayUrl: string,
  options: { apiKey?: string; basicAuthorization?: string },
): string | undefined {
  if (!URL.canParse(baseUrl)) {
    return `OLLAMA_HOST gives ${displayUrl}, which is not a valid address`;
  }
  const key = options.basicAuthorization ? "" : options.apiKey ?? "";
  // deno-lint-ignore no-control-regex -- control characters are what make the key unusable
  if (/[\x00-\x1f\x7f]/.test(key)) {
    return "OLLAMA_API_KEY contains a line break or another control character; set it to the key alone";
  }
  if (/[\u0100-\uffff]/.test(key)) {
    return "OLLAMA_API_KEY contains a character an HTTP header cannot carry; set it to the key alone";
  }
  return undefined;
}

export class OllamaClient {
  readonly baseUrl: string;
  readonly displayUrl: string;
  #userAgent: string;
  #authorization?: string;
  /** Why the settings cannot make a request at all, said before any is tried. */
  #unusable?: string;
  #timeoutMs?: number;
  #streamIdleMs?: number;
  #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.displayUrl = options.displayUrl ?? this.baseUrl;
    this.#userAgent = options.userAgent;
    this.#authorization = options.basicAuthorization ??
      (options.apiKey ? `Bearer ${options.apiKey}` : undefined);
    this.#unusable = unusableSettings(this.baseUrl, this.displayUrl, options);
    this.#timeoutMs = options.timeoutMs;
    this.#streamIdleMs = options.streamIdleMs;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * A plain object, not `Headers`: fetch converts either, and a `Headers` made first cost every
   * run about 1.6 million more instructions (bench/compare.ts --instructions).
   */
  #headers(streaming: boolean): Record<string, string> {
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      "Accept": streaming ? "application/x-ndjson" : "application/json",
      "User-Agent": this.#userAgent,
    };
    if (this.#authorization) headers.Authorization = this.#authorization;
    return headers;
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    streaming: boolean,
    signal?: AbortSignal,
  ): Promise<Response> {
    if (this.#unusable !== undefined) throw new SettingsError(this.#unusable);
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers: this.#headers(streaming),
        body: body === undefined ? undefined : jsonBody(body),
        signal,
      });
    } catch (err) {
      if (isAbortError(err)) throw err;
      throw new ConnectionError(this.displayUrl, isRefused(err), networkReason(err));
    }
    const { status } = response;
    if (status >= 200 && status < 300) return response;
    const text = await bodyStart(response);
    if (status === 401) throw new AuthorizationError(401, signinUrl(text));
    // Redirects are followed; one that could not be (no Location), or a 1xx, is an answer no
    // call can use: named by its status, as an error status is.
    // The error page's reader loads only when a request fails.
    const { errorBodyMessage } = await import("./error_body.ts");
    const message = errorBodyMessage(text) ??
      (status >= 400
        ? GENERIC_SERVER_ERROR
        : `the server answered ${statusLine(status, response.statusText)}`);
    throw new StatusError(status, message, streaming, response.statusText);
  }

  /**
   * Runs `operation` (request and body) under the start-up bound, when there is one. The bound
   * firing becomes a ServerTimeoutError; the caller's own abort (Ctrl+C) stays an abort. The
   * bound is `boundedSignal` (lib/timer.ts), not `AbortSignal.any` nor `setTimeout`: this runs
   * for every start-up request.
   */
  async #bounded<T>(
    signal: AbortSignal | undefined,
    operation: (signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> {
    if (this.#timeoutMs === undefined) return await operation(signal);
    const bound = boundedSignal(signal, this.#timeoutMs);
    try {
      return await operation(bound.signal);
    } catch (err) {
      if (bound.timedOut() && !signal?.aborted) {
        throw new ServerTimeoutError(this.displayUrl, this.#timeoutMs / 1000);
      }
      throw err;
    } finally {
      bound.release();
    }
  }

  /**
   * `operation` under the caller's signal and a time limit of its own; when the time runs out it
   * rejects with the `TimeoutError` DOMException the aborted fetch gives, unchanged.
   */
  async #timed<T>(
    signal: AbortSignal,
    timeoutMs: number,
    operation: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const bound = boundedSignal(signal, timeoutMs);
    try {
      return await operation(bound.signal);
    } finally {
      bound.release();
    }
  }

  async #json<T>(
    method: string,
    path: string,
    body: unknown,
    check: Check<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await this.#send(method, path, body, false, signal);
    let text: string;
    try {
      text = await response.text();
    } catch (err) {
      throw brokenBody(err);
    }
    // An empty body is an empty object, as Go's decoder leaves the struct at its zero value.
    if (text.trim() === "") return checked(path, {}, check);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ShapeError(path, "not JSON");
    }
    // An `error` is a refusal whatever the status, as upstream's client reads it: a `stop` the
    // server refused with 200 must not look done.
    const refusal = (parsed as { error?: unknown } | null)?.error;
    if (typeof refusal === "string" && refusal.trim() !== "") {
      throw new StatusError(response.status, oneLine(refusal), false);
    }
    return checked(path, parsed, check);
  }

  /** A start-up request: JSON, checked, and bounded by the start-up timeout. */
  #startup<T>(
    method: string,
    path: string,
    body: unknown,
    check: Check<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.#bounded(signal, (bounded) => this.#json(method, path, body, check, bounded));
  }

  /**
   * POSTs a streaming request now and returns the stream, for `each` to read. The request goes
   * out at once, not when the reading starts: what the caller prepares in between (the
   * renderer's modules, the file an answer is saved to) overlaps the server's work. An error in
   * sending is kept for `each`, never reported as unhandled.
   */
  #stream<T, U>(
    path: string,
    body: unknown,
    check: Check<T>,
    isLast: (chunk: T) => boolean,
    emit: (chunk: T, out: U[]) => void,
    signal?: AbortSignal,
  ): Streamed<U> {
    const idle = this.#streamIdleMs === undefined ? undefined : new IdleTimer(this.#streamIdleMs);
    const streamSignal = idle
      ? (signal ? AbortSignal.any([signal, idle.signal]) : idle.signal)
      : signal;
    const sent = this.#send("POST", path, body, true, streamSignal);
    sent.catch(() => {});
    return {
      each: (handle) => this.#read(sent, { path, check, isLast, emit }, handle, { idle, signal }),
    };
  }

  /**
   * Reads a stream's NDJSON objects: each is checked against its shape and `emit` appends what
   * it means (events, progress) to a batch, which `handle` gets once per network read. Pushed,
   * not pulled: a stream sends one object per token, and an async generator between the network
   * and the renderer cost every read another promise and trip through the microtask queue, some
   * 4,000 instructions a chunk (docs/performance.md).
   *
   * An `{"error": …}` line ends the stream with that error, after what came before it in the same
   * read; so does a body that ends before `isLast` saw its final object. The final object ends the
   * stream without waiting for the body's end, which is read in the background instead, so the
   * connection can serve the next request. With DOLLAMA_TIMEOUT, a stream silent that long fails
   * with a ServerTimeoutError; a connection that breaks mid-body fails with one clear StreamError.
   * What `handle` throws stops the reading, cancels the body (which closes the request) and is
   * rethrown as it is.
   */
  async #read<T, U>(
    sent: Promise<Response>,
    parse: {
      path: string;
      check: Check<T>;
      isLast: (chunk: T) => boolean;
      emit: (chunk: T, out: U[]) => void;
    },
    handle: BatchHandler<U>,
    limits: { idle?: IdleTimer; signal?: AbortSignal },
  ): Promise<void> {
    const { path, check, isLast, emit } = parse;
    const { idle, signal } = limits;
    let handlerFailure: { error: unknown } | undefined;
    try {
      const response = await sent;
      if (!response.body) throw new StreamError("the server sent an empty response");
      const reader = new BodyLines(response.body);
      const lines: string[] = [];
      const out: U[] = [];
      let finished = false;
      let ended = false;
      try {
        while (!finished && !ended) {
          const result = await reader.read();
          idle?.touch();
          ended = result.done;
          lines.length = 0;
          reader.take(result, lines);
          out.length = 0;
          let failure: unknown;
          for (let i = 0; i < lines.length && !finished; i++) {
            let typed: T;
            try {
              typed = checked(path, parseStreamLine(lines[i]), check);
            } catch (err) {
              failure = err;
              break;
            }
            emit(typed, out);
            finished = isLast(typed);
          }
          // What the read brought before a broken line is the user's: shown, then the error.
          if (out.length > 0) {
            try {
              const handled = handle(out);
              if (handled) await handled;
            } catch (error) {
              handlerFailure = { error };
              throw error;
            }
          }
          if (failure !== undefined) throw failure;
        }
      } finally {
        if (finished && !ended) drainFinished(reader);
        else if (!ended) await reader.cancel();
      }
      if (!finished) {
        throw new StreamError("the server closed the stream before the response was complete");
      }
    } catch (err) {
      if (handlerFailure) throw handlerFailure.error;
      if (idle?.fired && !signal?.aborted) {
        throw new ServerTimeoutError(this.displayUrl, idle.ms / 1000);
      }
      throw brokenBody(err);
    } finally {
      idle?.stop();
    }
  }

  /**
   * `HEAD /`: is an Ollama server listening? Throws ConnectionError when nothing is, and
   * HeartbeatStatusError when something answers with an error status (a proxy, a 403).
   */
  async heartbeat(signal?: AbortSignal): Promise<void> {
    await this.#bounded(signal, async (bounded) => {
      try {
        const response = await this.#send("HEAD", "/", undefined, false, bounded);
        await response.body?.cancel();
      } catch (err) {
        if (err instanceof StatusError) throw new HeartbeatStatusError(this.displayUrl, err.status);
        throw err;
      }
    });
  }

  version(signal?: AbortSignal): Promise<VersionResponse> {
    return this.#startup("GET", "/api/version", undefined, versionShape, signal);
  }

  list(signal?: AbortSignal): Promise<ListResponse> {
    return this.#startup("GET", "/api/tags", undefined, listShape, signal);
  }

  ps(signal?: AbortSignal): Promise<PsResponse> {
    return this.#startup("GET", "/api/ps", undefined, psShape, signal);
  }

  show(request: ShowRequest, signal?: AbortSignal): Promise<ShowResponse> {
    return this.#startup("POST", "/api/show", request, showShape, signal);
  }

  /** Not bounded: the server loads the model first, which may take minutes. */
  embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResponse> {
    return this.#json("POST", "/api/embed", request, embedShape, signal);
  }

  /**
   * The agent's web search through the local server. `timeoutMs` bounds the whole call on top of
   * the caller's signal; when it fires the call rejects with a `TimeoutError` DOMException, which
   * the caller tells apart from its own abort by checking its signal.
   */
  webSearch(
    request: WebSearchRequest,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<WebSearchResponse> {
    return this.#timed(
      signal,
      timeoutMs,
      (bounded) =>
        this.#json("POST", "/api/experimental/web_search", request, webSearchShape, bounded),
    );
  }

  /** The agent's page fetch through the local server; the timeout works as in `webSearch`. */
  webFetch(
    request: WebFetchRequest,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<WebFetchResponse> {
    return this.#timed(
      signal,
      timeoutMs,
      (bounded) =>
        this.#json("POST", "/api/experimental/web_fetch", request, webFetchShape, bounded),
    );
  }

  /** A one-object generate call (`stream: false`), used to load and unload models. */
  generateOnce(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateChunk> {
    return this.#json(
      "POST",
      "/api/generate",
      { ...request, stream: false },
      generateShape,
      signal,
    );
  }

  /** The answer as events, a batch per network read (`#read`). */
  generate(request: GenerateRequest, signal?: AbortSignal): Streamed<StreamEvent> {
    return this.#stream(
      "/api/generate",
      request,
      generateShape,
      isDone,
      generateChunkEvents,
      signal,
    );
  }

  /** The answer as events, a batch per network read (`#read`). */
  chat(request: ChatRequest, signal?: AbortSignal): Streamed<StreamEvent> {
    return this.#stream("/api/chat", request, chatShape, isDone, chatChunkEvents, signal);
  }

  /** The pull's progress, a batch per network read (`#read`). */
  pull(request: PullRequest, signal?: AbortSignal): Streamed<PullProgress> {
    return this.#stream("/api/pull", request, pullShape, isSuccess, keep, signal);
  }

  /** The create's progress, a batch per network read (`#read`). */
  create(request: CreateRequest, signal?: AbortSignal): Streamed<PullProgress> {
    return this.#stream("/api/create", request, pullShape, isSuccess, keep, signal);
  }
}

function isDone(chunk: { done?: boolean }): boolean {
  return chunk.done === true;
}

function isSuccess(progress: PullProgress): boolean {
  return progress.status === "success";
}

/** A stream whose objects are what the caller wants as they are. */
function keep<T>(item: T, out: T[]): void {
  out.push(item);
}
