/**
 * A scriptable fake server for faults, on raw loopback sockets: unlike tests/support/
 * fake_ollama.ts (a well-behaved Ollama), this one can misbehave at the byte level — stall,
 * send headers one byte at a time, reset, send garbage, break chunked framing, send invalid
 * UTF-8 or NUL bytes — which a `Deno.serve` handler cannot.
 *
 *     const server = new FaultServer({
 *       "GET /api/tags": (c) => c.json(200, { models: "nope" }),
 *       "POST /api/generate": (c) => c.stall(),
 *     });
 *     try { …runCli([...], { host: server.url })… } finally { await server.close(); }
 *
 * Routes are `"METHOD /path"`; `HEAD /` answers 200 unless scripted, anything else 404. Every
 * request is recorded in `requests`.
 */

export interface FaultRequest {
  method: string;
  path: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

export type FaultScript = (conn: FaultConnection, request: FaultRequest) => Promise<void> | void;

const encoder = new TextEncoder();

const REASONS: Record<number, string> = {
  200: "OK",
  301: "Moved Permanently",
  302: "Found",
  307: "Temporary Redirect",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

/** One accepted connection, with the ways to answer (or not) a request on it. */
export class FaultConnection {
  #closed = false;
  constructor(readonly conn: Deno.Conn) {}

  async write(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    let at = 0;
    while (at < bytes.length) at += await this.conn.write(bytes.subarray(at));
  }

  /** A status line and headers; `Connection: close` is always added so every answer ends. */
  async head(status: number, headers: Record<string, string> = {}): Promise<void> {
    const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}`];
    for (const [name, value] of Object.entries({ ...headers, Connection: "close" })) {
      lines.push(`${name}: ${value}`);
    }
    await this.write(lines.join("\r\n") + "\r\n\r\n");
  }

  /** A complete answer with a Content-Length body. */
  async respond(
    status: number,
    body: string | Uint8Array = "",
    headers: Record<string, string> = {},
  ): Promise<void> {
    const bytes = typeof body === "string" ? encoder.encode(body) : body;
    await this.head(status, { "Content-Length": String(bytes.length), ...headers });
    await this.write(bytes);
    this.close();
  }

  async json(status: number, value: unknown): Promise<void> {
    await this.respond(status, JSON.stringify(value), { "Content-Type": "application/json" });
  }

  /**
   * A chunked body, one HTTP chunk per piece, then the terminating chunk (unless `unfinished`:
   * the connection then closes without it).
   */
  async chunked(
    status: number,
    pieces: (string | Uint8Array)[],
    options: { unfinished?: boolean; contentType?: string } = {},
  ): Promise<void> {
    await this.head(status, {
      "Content-Type": options.contentType ?? "application/x-ndjson",
      "Transfer-Encoding": "chunked",
    });
    for (const piece of pieces) {
      const bytes = typeof piece === "string" ? encoder.encode(piece) : piece;
      if (bytes.length === 0) continue;
      await this.write(`${bytes.length.toString(16)}\r\n`);
      await this.write(bytes);
      await this.write("\r\n");
    }
    if (!options.unfinished) await this.write("0\r\n\r\n");
    this.close();
  }

  /** An NDJSON stream: one chunk per object, each line ending in `\n`. */
  async ndjson(lines: unknown[], options: { unfinished?: boolean } = {}): Promise<void> {
    await this.chunked(200, lines.map((l) => JSON.stringify(l) + "\n"), options);
  }

  /** Waits, saying nothing, until the client goes away (or the server closes). */
  async stall(): Promise<void> {
    const buffer = new Uint8Array(1024);
    try {
      while (!this.#closed && (await this.conn.read(buffer)) !== null);
    } catch {
      // the client reset the connection: it went away
    }
    this.close();
  }

  /** Writes `text` one byte at a time, `delayMs` apart, until done or the client goes away. */
  async trickle(text: string, delayMs: number): Promise<void> {
    const bytes = encoder.encode(text);
    try {
      for (const b of bytes) {
        if (this.#closed) return;
        await this.write(new Uint8Array([b]));
        await new Promise((r) => setTimeout(r, delayMs));
      }
    } catch {
      // the client went away
    }
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.conn.close();
    } catch {
      // already closed
    }
  }
}

/** Reads one request (head and Content-Length body) from the connection. */
async function readRequest(conn: Deno.Conn): Promise<FaultRequest | undefined> {
  const buffer = new Uint8Array(64 * 1024);
  let data = new Uint8Array(0);
  const append = (n: number) => {
    const next = new Uint8Array(data.length + n);
    next.set(data);
    next.set(buffer.subarray(0, n), data.length);
    data = next;
  };
  const decoder = new TextDecoder();
  let headEnd = -1;
  while (headEnd < 0) {
    const n = await conn.read(buffer);
    if (n === null) return undefined;
    append(n);
    headEnd = decoder.decode(data).indexOf("\r\n\r\n");
  }
  const headText = decoder.decode(data).slice(0, headEnd);
  const [requestLine, ...headerLines] = headText.split("\r\n");
  const [method, path] = requestLine.split(" ");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0) {
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
  }
  const bodyStart = encoder.encode(headText).length + 4;
  const length = Number(headers["content-length"] ?? 0);
  while (data.length - bodyStart < length) {
    const n = await conn.read(buffer);
    if (n === null) break;
    append(n);
  }
  const body = decoder.decode(data.subarray(bodyStart, bodyStart + length));
  return { method, path, headers, body };
}

export class FaultServer {
  readonly requests: FaultRequest[] = [];
  readonly #listener: Deno.Listener;
  readonly #connections = new Set<FaultConnection>();
  readonly #pending = new Set<Promise<void>>();
  readonly #accepting: Promise<void>;

  constructor(
    readonly routes: Record<string, FaultScript> = {},
    options: { hostname?: string; raw?: FaultScript } = {},
  ) {
    this.#listener = Deno.listen({ hostname: options.hostname ?? "127.0.0.1", port: 0 });
    this.#accepting = this.#accept(options.raw);
  }

  get port(): number {
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  /** `http://127.0.0.1:PORT` (or `http://[::1]:PORT` on the IPv6 loopback). */
  get url(): string {
    const { hostname } = this.#listener.addr as Deno.NetAddr;
    const host = hostname.includes(":") ? `[${hostname}]` : hostname;
    return `http://${host}:${this.port}`;
  }

  async #accept(raw?: FaultScript): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        const connection = new FaultConnection(conn);
        this.#connections.add(connection);
        const done = this.#serve(connection, raw).catch(() => {}).finally(() => {
          connection.close();
          this.#connections.delete(connection);
          this.#pending.delete(done);
        });
        this.#pending.add(done);
      }
    } catch {
      // the listener was closed
    }
  }

  async #serve(connection: FaultConnection, raw?: FaultScript): Promise<void> {
    if (raw) {
      // Raw mode: the script sees the connection before any request is read (TLS probes,
      // resets before the request, garbage instead of HTTP).
      return await raw(connection, { method: "", path: "", headers: {}, body: "" });
    }
    const request = await readRequest(connection.conn);
    if (!request) return;
    this.requests.push(request);
    const script = this.routes[`${request.method} ${request.path}`];
    if (script) return await script(connection, request);
    if (request.method === "HEAD" && request.path === "/") return await connection.respond(200);
    await connection.json(404, { error: "not found" });
  }

  async close(): Promise<void> {
    this.#listener.close();
    for (const connection of this.#connections) connection.close();
    await this.#accepting;
    await Promise.all([...this.#pending]);
  }
}

/** A loopback port nothing listens on. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}
