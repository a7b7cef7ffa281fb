/** The ways a call to the Ollama server can fail, each with the text the user should see. */

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
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
  ) {
    super(withStatusLine ? `${statusLine(status)}: ${serverMessage}` : serverMessage);
  }
}

/** HTTP 401: the server wants the user signed in (cloud models). */
export class AuthorizationError extends Error {
  constructor(readonly status: number, readonly signinUrl?: string) {
    super("unauthorized");
  }
}

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

export const GENERIC_SERVER_ERROR =
  "something went wrong, please see the ollama server logs for details";

export function isAbortError(err: unknown): boolean {
  return err instanceof DOMException && (err.name === "AbortError" || err.name === "TimeoutError");
}
