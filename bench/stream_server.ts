/**
 * A minimal Ollama stand-in for the memory measurement: answers `HEAD /`, `/api/show` and a
 * streaming `/api/generate` whose answer is produced lazily, `chunkBytes` of text per NDJSON line,
 * until `answerBytes` have been sent. tests/support/fake_ollama.ts builds every line up front and
 * splits the reply after each space, which for a 50 MB answer means millions of one-word lines
 * held in memory before the first byte goes out — too slow for a two-minute bench.
 */

const WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
  .split(" ").filter((w) => w !== "");

/** About `bytes` of plain words ending in a space; one-byte characters only. */
function chunkText(bytes: number, seed: number): string {
  let text = "";
  let i = seed;
  while (text.length < bytes) text += WORDS[i++ % WORDS.length] + " ";
  return text;
}

export interface StreamServerOptions {
  answerBytes: number;
  chunkBytes: number;
}

export class StreamServer {
  #server: Deno.HttpServer<Deno.NetAddr>;
  /** Answer bytes handed to the last generate stream. */
  sentBytes = 0;

  constructor(options: StreamServerOptions) {
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req) => this.#handle(req, options),
    );
  }

  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  async close(): Promise<void> {
    await this.#server.shutdown();
  }

  async #handle(req: Request, options: StreamServerOptions): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (req.method !== "GET" && req.method !== "HEAD") await req.arrayBuffer();
    if (path === "/") return new Response("Ollama is running");
    if (path === "/api/show") {
      return Response.json({
        details: { format: "gguf", family: "llama", parameter_size: "3.2B" },
        capabilities: ["completion"],
      });
    }
    if (path === "/api/generate") return this.#generate(options);
    return new Response("404 page not found", { status: 404 });
  }

  #generate({ answerBytes, chunkBytes }: StreamServerOptions): Response {
    const encoder = new TextEncoder();
    const base = `{"model":"m","created_at":"2026-11-24T10:00:00.000Z","response":`;
    // A few distinct chunk texts, reused: the server's own cost stays small.
    const texts = Array.from({ length: 8 }, (_, i) => JSON.stringify(chunkText(chunkBytes, i)));
    const textLengths = texts.map((t) => JSON.parse(t).length as number);
    let sent = 0;
    let index = 0;
    this.sentBytes = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (sent >= answerBytes) {
          controller.enqueue(encoder.encode(
            `${base}"","done":true,"done_reason":"stop","total_duration":1,"load_duration":1,` +
              `"prompt_eval_count":1,"prompt_eval_duration":1,"eval_count":1,"eval_duration":1}\n`,
          ));
          controller.close();
          return;
        }
        // Many lines per enqueue (about 16 KB), as a server's socket writes would coalesce.
        let batch = "";
        while (sent < answerBytes && batch.length < 16 * 1024) {
          const k = index++ % texts.length;
          batch += `${base}${texts[k]},"done":false}\n`;
          sent += textLengths[k];
        }
        this.sentBytes = sent;
        controller.enqueue(encoder.encode(batch));
      },
    });
    return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
  }
}
