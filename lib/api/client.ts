/**
 * The Ollama HTTP client: JSON calls return parsed bodies, streaming calls return async iterables
 * of typed chunks. Every call takes an AbortSignal; aborting it cancels the HTTP request, which is
 * how the server learns to stop generating. No terminal code lives here.
 */
import { readLines } from "./ndjson.ts";
import { jsonBody } from "./json_body.ts";
import {
  AuthorizationError,
  ConnectionError,
  GENERIC_SERVER_ERROR,
  isAbortError,
  StatusError,
  StreamError,
} from "./errors.ts";
import type {
  ChatChunk,
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

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:11434` or `https://example.com:443/ollama`, no trailing slash. */
  baseUrl: string;
  /** The base URL as shown to users in error messages. */
  displayUrl?: string;
  userAgent: string;
  apiKey?: string;
  fetch?: typeof fetch;
}

type Json = Record<string, unknown>;

function errorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed === "object" && typeof parsed.error === "string") {
      return parsed.error;
    }
  } catch {
    // not JSON: the caller uses the raw body
  }
  return undefined;
}

function signinUrl(body: string): string | undefined {
  try {
    const url = JSON.parse(body)?.signin_url;
    return typeof url === "string" ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Deno wraps the socket error: `TypeError: fetch failed` with the real reason as its cause. */
function networkReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.replace(/^error sending request for url \([^)]*\): /, "")
    .replace(/^client error \(Connect\): /, "");
}

function isRefused(err: unknown): boolean {
  return /refused/i.test(networkReason(err));
}

/** The caller's signal, also aborted (with a `TimeoutError`) once `timeoutMs` have passed. */
function withTimeout(signal: AbortSignal, timeoutMs: number): AbortSignal {
  return AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
}

export class OllamaClient {
  readonly baseUrl: string;
  readonly displayUrl: string;
  #userAgent: string;
  #apiKey?: string;
  #fetch: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.displayUrl = options.displayUrl ?? this.baseUrl;
    this.#userAgent = options.userAgent;
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  #headers(streaming: boolean): Headers {
    const headers = new Headers({
      "Content-Type": "application/json",
      "Accept": streaming ? "application/x-ndjson" : "application/json",
      "User-Agent": this.#userAgent,
    });
    if (this.#apiKey) headers.set("Authorization", `Bearer ${this.#apiKey}`);
    return headers;
  }

  async #send(
    method: string,
    path: string,
    body: unknown,
    streaming: boolean,
    signal?: AbortSignal,
  ): Promise<Response> {
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
    if (response.status >= 400) {
      const text = await response.text().catch(() => "");
      if (response.status === 401) throw new AuthorizationError(401, signinUrl(text));
      const message = errorText(text) ?? text.trim();
      throw new StatusError(response.status, message || GENERIC_SERVER_ERROR, streaming);
    }
    return response;
  }

  async #json<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const response = await this.#send(method, path, body, false, signal);
    const text = await response.text();
    if (text.trim() === "") return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new StreamError(`invalid response from server: ${text.slice(0, 200)}`);
    }
  }

  /**
   * POSTs a streaming request and yields each NDJSON object. An `{"error": …}` line ends the
   * stream with that error; so does a body that ends before `isLast` saw its final object.
   */
  async *#stream<T extends Json>(
    path: string,
    body: unknown,
    isLast: (chunk: T) => boolean,
    signal?: AbortSignal,
  ): AsyncGenerator<T> {
    const response = await this.#send("POST", path, body, true, signal);
    if (!response.body) throw new StreamError("the server sent an empty response");
    let finished = false;
    for await (const line of readLines(response.body)) {
      let chunk: T;
      try {
        chunk = JSON.parse(line);
      } catch {
        throw new StreamError(line.length > 200 ? `${line.slice(0, 200)}…` : line);
      }
      if (typeof chunk.error === "string" && chunk.error !== "") {
        throw new StreamError(chunk.error);
      }
      yield chunk;
      if (isLast(chunk)) finished = true;
    }
    if (!finished) {
      throw new StreamError("the server closed the stream before the response was complete");
    }
  }

  /** `HEAD /`: is anything listening? Throws ConnectionError when not. */
  async heartbeat(signal?: AbortSignal): Promise<void> {
    const response = await this.#send("HEAD", "/", undefined, false, signal);
    await response.body?.cancel();
  }

  version(signal?: AbortSignal): Promise<VersionResponse> {
    return this.#json("GET", "/api/version", undefined, signal);
  }

  list(signal?: AbortSignal): Promise<ListResponse> {
    return this.#json("GET", "/api/tags", undefined, signal);
  }

  ps(signal?: AbortSignal): Promise<PsResponse> {
    return this.#json("GET", "/api/ps", undefined, signal);
  }

  show(request: ShowRequest, signal?: AbortSignal): Promise<ShowResponse> {
    return this.#json("POST", "/api/show", request, signal);
  }

  embed(request: EmbedRequest, signal?: AbortSignal): Promise<EmbedResponse> {
    return this.#json("POST", "/api/embed", request, signal);
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
    return this.#json(
      "POST",
      "/api/experimental/web_search",
      request,
      withTimeout(signal, timeoutMs),
    );
  }

  /** The agent's page fetch through the local server; the timeout works as in `webSearch`. */
  webFetch(
    request: WebFetchRequest,
    signal: AbortSignal,
    timeoutMs: number,
  ): Promise<WebFetchResponse> {
    return this.#json(
      "POST",
      "/api/experimental/web_fetch",
      request,
      withTimeout(signal, timeoutMs),
    );
  }

  /** A one-object generate call (`stream: false`), used to load and unload models. */
  generateOnce(request: GenerateRequest, signal?: AbortSignal): Promise<GenerateChunk> {
    return this.#json("POST", "/api/generate", { ...request, stream: false }, signal);
  }

  generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<GenerateChunk> {
    return this.#stream<GenerateChunk & Json>("/api/generate", request, (c) => c.done, signal);
  }

  chat(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatChunk> {
    return this.#stream<ChatChunk & Json>("/api/chat", request, (c) => c.done, signal);
  }

  pull(request: PullRequest, signal?: AbortSignal): AsyncGenerator<PullProgress> {
    return this.#stream<PullProgress & Json>(
      "/api/pull",
      request,
      (p) => p.status === "success",
      signal,
    );
  }

  create(request: CreateRequest, signal?: AbortSignal): AsyncGenerator<PullProgress> {
    return this.#stream<PullProgress & Json>(
      "/api/create",
      request,
      (p) => p.status === "success",
      signal,
    );
  }
}
