/** The ways a call to the Ollama server can fail, each with the text the user should see. */

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  407: "Proxy Authentication Required",
  408: "Request Timeout",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests",
  499: "Client Closed Request",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * `text` on one line: each line break, with the spaces around it, becomes one space. A server's
 * words go into the one `Error:` line, and a second line could pass for one of dollama's own.
 */
export function oneLine(text: string): string {
  if (!/[\r\n]/.test(text)) return text;
  return text.split(/\r\n|\r|\n/).map((line) => line.trim()).filter((line) => line !== "")
    .join(" ");
}

/** Go's `resp.Status`, e.g. `400 Bad Request`. */
export function statusLine(status: number, statusText = ""): string {
  return `${status} ${STATUS_TEXT[status] ?? (statusText || "Unknown Status")}`;
}

/**
 * An HTTP error status. Non-streaming calls show only the server's message (upstream's
 * `StatusError` without `Status`); streaming calls prefix the status line.
 */
export class StatusError extends Error {
  constructor(
    readonly status: number,
    readonly serverMessage: string,
    withStatusLine: boolean,
    /** The reason phrase the response came with, for a status the table above does not name. */
    statusText = "",
  ) {
    super(withStatusLine ? `${statusLine(status, statusText)}: ${serverMessage}` : serverMessage);
  }
}

/** HTTP 401: the server wants the user signed in (cloud models). */
export class AuthorizationError extends Error {
  constructor(readonly status: number, readonly signinUrl?: string) {
    super("unauthorized");
  }
}

/** The settings cannot make a request as they are (OLLAMA_HOST, OLLAMA_API_KEY). */
export class SettingsError extends Error {}

/** The server could not be reached at all. */
export class ConnectionError extends Error {
  constructor(readonly url: string, readonly refused: boolean, cause: string) {
    super(
      refused
        ? `could not connect to ollama server at ${url}, run 'ollama serve' to start it or set OLLAMA_HOST to where it runs`
        : `could not reach ollama server at ${url}: ${cause}`,
    );
  }
}

/** `{"error": …}` in the middle of a stream, or a stream that breaks its own framing. */
export class StreamError extends Error {}

/**
 * A body that is not the shape dollama expects (docs/reliability.md, Shape checks). The message
 * names only the endpoint; `detail` says what was wrong, for tests and debugging.
 */
export class ShapeError extends Error {
  constructor(readonly endpoint: string, readonly detail: string) {
    super(`the server sent an unexpected response to ${endpoint}`);
  }
}

/**
 * The server did not answer within the bound (DOLLAMA_TIMEOUT, docs/reliability.md, Timeouts).
 * Not an abort: the user did not press Ctrl+C, so this is an error with exit code 1.
 */
export class ServerTimeoutError extends Error {
  constructor(readonly url: string, readonly seconds: number) {
    super(`the server at ${url} did not answer within ${seconds}s`);
  }
}

/**
 * The heartbeat (`HEAD /`) got an error status: something answers, but not as Ollama would. The
 * common causes get a hint, because the status alone does not tell the user what to change.
 */
export class HeartbeatStatusError extends Error {
  constructor(readonly url: string, readonly status: number) {
    super(`the server at ${url} answered ${statusLine(status)}${heartbeatHint(status)}`);
  }
}

function heartbeatHint(status: number): string {
  if (status === 403) {
    return "; Ollama answers 403 when it rejects the Host header: use the server's IP address " +
      "in OLLAMA_HOST, or start the server with OLLAMA_HOST=0.0.0.0";
  }
  if (status === 502 || status === 503 || status === 504) {
    return "; a proxy in front of Ollama could not reach it, is the Ollama server running?";
  }
  if (status === 407) return "; the proxy wants credentials (see HTTP_PROXY)";
  return "";
}

export const GENERIC_SERVER_ERROR =
  "something went wrong, please see the ollama server logs for details";

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && (err.name === "AbortError" || err.name === "TimeoutError");
}
