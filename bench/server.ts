/**
 * The bench's Ollama stand-in. It is built to cost the measured client as little as possible and
 * to cost itself little too, so the figures are the client's:
 * - `/api/generate` and `/api/chat` stream `tokens` small NDJSON chunks, one stream enqueue (one
 *   chunked-encoding frame) per token as Ollama sends them, as fast as the socket takes them;
 * - `/api/embed` reads the body as it arrives without keeping it, and answers with its size;
 * - `HEAD /`, `/api/version` and `/api/show` answer at once (`emb…` models embed).
 * tests/support/fake_ollama.ts builds every reply up front and records every request, which is
 * right for tests and wrong for a million chunks or 100 MB of input.
 *
 * Run it by hand with `deno run -A bench/server.ts [TOKENS]`; it prints its OLLAMA_HOST.
 */

const encoder = new TextEncoder();

/** The answer's tokens, in turn: eight tokens make one line of text. */
export const TOKEN_TEXTS = [
  "Hello ",
  "world, ",
  "this ",
  "is ",
  "a ",
  "streamed ",
  "answer.",
  "\n",
];

/** What an answer of `tokens` tokens says. */
export function answerText(tokens: number): string {
  const whole = TOKEN_TEXTS.join("").repeat(Math.floor(tokens / TOKEN_TEXTS.length));
  return whole + TOKEN_TEXTS.slice(0, tokens % TOKEN_TEXTS.length).join("");
}
const CREATED = `"created_at":"2026-11-24T10:00:00.000Z"`;

export interface BenchServerOptions {
  /** Content chunks in each `/api/generate` answer. */
  tokens: number;
  /** Content chunks in each `/api/chat` answer. */
  chatTokens?: number;
}

export class BenchServer {
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  /** Bytes of the last `/api/embed` body. */
  embedBytes = 0;
  /** `/api/chat` answers sent to their end. */
  chatsDone = 0;
  tokens: number;
  chatTokens: number;

  constructor(options: BenchServerOptions) {
    this.tokens = options.tokens;
    this.chatTokens = options.chatTokens ?? 20;
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#handle(req),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }

  async #handle(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (path === "/") return new Response("Ollama is running");
    if (path === "/api/version") return Response.json({ version: "0.33.0" });
    if (path === "/api/embed") return await this.#embed(req);
    const body = req.method === "POST" ? await req.json().catch(() => ({})) : {};
    const model = typeof body.model === "string" ? body.model : "m";
    if (path === "/api/show") {
      return Response.json({
        details: { format: "gguf", family: "llama", parameter_size: "3.2B" },
        capabilities: model.startsWith("emb") ? ["embedding"] : ["completion"],
      });
    }
    if (path === "/api/generate") return this.#stream(model, "generate");
    if (path === "/api/chat") return this.#stream(model, "chat");
    return new Response("404 page not found", { status: 404 });
  }

  async #embed(req: Request): Promise<Response> {
    let bytes = 0;
    let last = 0;
    for await (const part of req.body ?? []) {
      bytes += part.length;
      if (part.length > 0) last = part[part.length - 1];
    }
    this.embedBytes = bytes;
    // A body cut short would not end with the closing brace of the JSON object.
    if (last !== 0x7d) return Response.json({ error: "truncated body" }, { status: 400 });
    return Response.json({ model: "emb", embeddings: [[0.1, 0.2, 0.3]] });
  }

  #stream(model: string, kind: "generate" | "chat"): Response {
    const token = (text: string) =>
      kind === "generate"
        ? `{"model":"${model}",${CREATED},"response":${text},"done":false}\n`
        : `{"model":"${model}",${CREATED},"message":{"role":"assistant","content":${text}},"done":false}\n`;
    const lines = TOKEN_TEXTS.map((text) => encoder.encode(token(JSON.stringify(text))));
    const last = encoder.encode(
      (kind === "generate"
        ? `{"model":"${model}",${CREATED},"response":"",`
        : `{"model":"${model}",${CREATED},"message":{"role":"assistant","content":""},`) +
        `"done":true,"done_reason":"stop","total_duration":1,"load_duration":1,` +
        `"prompt_eval_count":1,"prompt_eval_duration":1,"eval_count":1,"eval_duration":1}\n`,
    );
    const total = kind === "generate" ? this.tokens : this.chatTokens;
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (sent < total) {
          controller.enqueue(lines[sent++ % lines.length]);
          return;
        }
        controller.enqueue(last);
        controller.close();
        if (kind === "chat") this.chatsDone++;
      },
    });
    return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
  }
}

if (import.meta.main) {
  const server = new BenchServer({ tokens: Number(Deno.args[0] ?? "100000") });
  console.log(`OLLAMA_HOST=${server.url}`);
}
