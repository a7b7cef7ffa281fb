/**
 * Serves recorded exchanges back on loopback: each request gets the response recorded for the
 * same method and path (in recorded order when there are several), with the recorded status,
 * `Content-Type` and body. A body that arrived in several network reads is written in the same
 * pieces, one write each, so the client's stream parsing meets the real server's chunking.
 */
import type { Exchange } from "./recording.ts";

export interface ServedRequest {
  method: string;
  path: string;
  // deno-lint-ignore no-explicit-any
  body: any;
  /** The exchange it was answered from; undefined when nothing recorded matched. */
  answeredBy?: Exchange;
}

/** Pause between two pieces of a body, so they leave as separate writes. */
const PIECE_GAP_MS = 2;

export class ReplayServer {
  readonly requests: ServedRequest[] = [];
  readonly #unused: Exchange[];
  readonly #server: Deno.HttpServer<Deno.NetAddr>;

  constructor(exchanges: Exchange[]) {
    this.#unused = [...exchanges];
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#handle(req),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** Requests that matched no recorded exchange, as `METHOD /path`. */
  get unmatched(): string[] {
    return this.requests.filter((r) => !r.answeredBy).map((r) => `${r.method} ${r.path}`);
  }

  /** The first served request to `path`. */
  // deno-lint-ignore no-explicit-any
  bodySentTo(path: string): any {
    return this.requests.find((r) => r.path === path)?.body;
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }

  async #handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    const text = await req.text();
    let body: unknown = null;
    try {
      body = text === "" ? null : JSON.parse(text);
    } catch {
      body = text;
    }
    const at = this.#unused.findIndex((e) => e.method === req.method && e.path === path);
    const served: ServedRequest = { method: req.method, path, body };
    this.requests.push(served);
    if (at < 0) {
      return new Response(JSON.stringify({ error: `nothing recorded for ${req.method} ${path}` }), {
        status: 500,
        headers: { "content-type": "application/json; charset=utf-8" },
      });
    }
    const exchange = served.answeredBy = this.#unused.splice(at, 1)[0];
    const headers = { "content-type": exchange.content_type };
    if (req.method === "HEAD" || exchange.chunks.length === 0) {
      return new Response(null, { status: exchange.status, headers });
    }
    if (exchange.chunks.length === 1) {
      return new Response(exchange.chunks[0].text, { status: exchange.status, headers });
    }
    return new Response(piecewise(exchange.chunks.map((c) => c.text)), {
      status: exchange.status,
      headers,
    });
  }
}

/** A body written one piece per write, with a pause between pieces. */
function piecewise(pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next > 0) await new Promise((resolve) => setTimeout(resolve, PIECE_GAP_MS));
      if (next < pieces.length) controller.enqueue(encoder.encode(pieces[next++]));
      else controller.close();
    },
  });
}
