/**
 * A fake Ollama server on loopback for end-to-end tests. Its answers have the shapes, statuses
 * and error texts a real server (0.24.0) gave in the recordings in tests/fixtures/transcripts/
 * (tests/replay/fake_conformance_test.ts holds it to them); it records every request and is
 * scripted per test through `FakeOptions`.
 */
import type {
  ChatRequest,
  GenerateRequest,
  Message,
  PullProgress,
  RunningModel,
  ShowResponse,
  ToolCall,
} from "../../lib/api/types.ts";
import { joinBytes } from "../../lib/bytes.ts";

export interface FakeModel {
  /** Full name with tag, e.g. `llama3.2:latest`. */
  name: string;
  capabilities?: string[];
  /** Answer text streamed for generate/chat, split after each space. */
  reply?: string;
  /** Thinking text streamed before the answer when thinking is on. */
  thinking?: string;
  /**
   * Tool calls made in answer to a user message when the request offers tools (agent mode). The
   * answer to the `tool` results that follow is `reply`. They are sent as given: a real server
   * gives each an `id` and a `function.index`, older ones did not, and tests script both.
   */
  toolCalls?: ToolCall[];
  /** Embedding returned by /api/embed. */
  embedding?: number[];
  /** Extra fields merged into the /api/show response. */
  show?: Partial<ShowResponse>;
  /** Extra fields merged into this model's /api/tags entry, e.g. `remote_host` for cloud models. */
  list?: Record<string, unknown>;
  /** Tokens of input an embedding takes (`--truncate=false` fails beyond it); default 512. */
  contextLength?: number;
  size?: number;
  digest?: string;
  modified_at?: string;
  /**
   * Layers served by /api/pull when the model is pulled from the registry. After the announcement
   * (no `completed`), each layer sends one update per value of `steps` (default: half, then all).
   */
  layers?: { digest: string; total: number; steps?: number[] }[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  // deno-lint-ignore no-explicit-any
  body: any;
}

export interface FakeOptions {
  /**
   * Port to listen on (loopback only; the demo's fixed port, or a server stopped and started
   * again); default any free one.
   */
  port?: number;
  /** Models present locally. */
  models?: FakeModel[];
  /** Models the registry can serve to /api/pull (copied into `models` once pulled). */
  registry?: FakeModel[];
  running?: RunningModel[];
  version?: string;
  /** Milliseconds between streamed chunks. */
  chunkDelayMs?: number;
  /** Answer chunks after which a mid-stream `{"error":…}` line is sent instead of the rest. */
  failAfterChunks?: { count: number; error: string };
  /**
   * After this many /api/pull lines the stream goes silent and stays open until the client goes
   * away (`clientWentAway`): a pull that only Ctrl+C can end.
   */
  pullStallAfter?: number;
  /**
   * Requests that get no answer at all until the client goes away (Ctrl+C): one entry per
   * endpoint path, optionally only for one model (as named in the request body, tag added),
   * and optionally only after the first `after` such requests were answered as usual.
   */
  stall?: { path: string; model?: string; after?: number }[];
  /** Take over a request entirely; return undefined to fall through to the default behaviour. */
  handler?: (req: RecordedRequest) => Response | Promise<Response | undefined> | undefined;
}

const metrics = {
  total_duration: 1234567891,
  load_duration: 12345600,
  prompt_eval_count: 26,
  prompt_eval_duration: 123456000,
  eval_count: 298,
  eval_duration: 1098700000,
};

/** `llama3` → `llama3:latest`, the server's shortest full form. */
export function withTag(name: string): string {
  const afterSlash = name.slice(name.lastIndexOf("/") + 1);
  return afterSlash.includes(":") ? name : `${name}:latest`;
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

function errorJson(status: number, error: string): Response {
  return json({ error }, status);
}

/** Splits a reply into stream pieces after each space, keeping every byte. */
export function pieces(text: string): string[] {
  return text.match(/[^ ]* ?/g)!.filter((p) => p !== "");
}

export class FakeOllama {
  readonly requests: RecordedRequest[] = [];
  /**
   * Request body bytes received so far, counted as they arrive: a test can see a request that is
   * still being sent (streamed stdin), which `requests` records only once it is whole.
   */
  bodyBytesSeen = 0;
  readonly models: Map<string, FakeModel>;
  #server: Deno.HttpServer<Deno.NetAddr>;
  #options: FakeOptions;
  /** Resolves when a streaming response is cancelled by the client, or a stalled request left. */
  clientWentAway: Promise<void>;
  #wentAway!: () => void;
  /** Resolves with the first request that stalls (`FakeOptions.stall`). */
  readonly stallStarted: Promise<RecordedRequest>;
  #stallStarted!: (req: RecordedRequest) => void;
  /** Releases every stalled request, so `close()` does not wait for them forever. */
  readonly #releaseStalls = new AbortController();

  constructor(options: FakeOptions = {}) {
    this.#options = options;
    this.models = new Map((options.models ?? []).map((m) => [m.name, m]));
    this.clientWentAway = new Promise((resolve) => this.#wentAway = resolve);
    this.stallStarted = new Promise((resolve) => this.#stallStarted = resolve);
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: options.port ?? 0, onListen: () => {} },
      (req) => this.#handle(req),
    );
  }

  get port(): number {
    return this.#server.addr.port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests to one path, in order. */
  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Answers every stalled request (with a 503), as if the stall had ended by itself. */
  releaseStalls(): void {
    this.#releaseStalls.abort();
  }

  async close(): Promise<void> {
    this.#releaseStalls.abort();
    await this.#server.shutdown();
  }

  async #bodyText(req: Request): Promise<string> {
    const parts: Uint8Array[] = [];
    for await (const part of req.body ?? []) {
      parts.push(part);
      this.bodyBytesSeen += part.length;
    }
    return new TextDecoder().decode(joinBytes(parts));
  }

  async #handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const text = req.method === "GET" || req.method === "HEAD" ? "" : await this.#bodyText(req);
    let body: unknown = undefined;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    const recorded: RecordedRequest = {
      method: req.method,
      path: url.pathname,
      headers: Object.fromEntries(req.headers.entries()),
      body,
    };
    this.requests.push(recorded);
    if (this.#stalls(recorded)) return await this.#stall(req, recorded);
    const custom = await this.#options.handler?.(recorded);
    if (custom) return custom;
    return this.#route(recorded);
  }

  #stalls(req: RecordedRequest): boolean {
    const modelOf = (r: RecordedRequest) => withTag(String(r.body?.model ?? r.body?.name ?? ""));
    return (this.#options.stall ?? []).some((stall) => {
      const matches = (r: RecordedRequest) =>
        r.path === stall.path &&
        (stall.model === undefined || withTag(stall.model) === modelOf(r));
      // `req` is already recorded, so it counts itself.
      return matches(req) && this.requests.filter(matches).length > (stall.after ?? 0);
    });
  }

  /** Answers nothing until the client gives up on the request (or the server closes). */
  async #stall(req: Request, recorded: RecordedRequest): Promise<Response> {
    this.#stallStarted(recorded);
    const released = this.#releaseStalls.signal;
    await new Promise<void>((resolve) => {
      if (req.signal.aborted || released.aborted) return resolve();
      req.signal.addEventListener("abort", () => resolve(), { once: true });
      released.addEventListener("abort", () => resolve(), { once: true });
    });
    if (req.signal.aborted) this.#wentAway();
    return errorJson(503, "stalled request released");
  }

  #route(req: RecordedRequest): Response {
    const path = req.path.replace(/^.*?(?=\/api\/|\/$)/, "");
    switch (`${req.method} ${path}`) {
      case "HEAD /":
      case "GET /":
        return new Response("Ollama is running", {
          headers: { "content-type": "text/plain; charset=utf-8" },
        });
      case "GET /api/version":
        return json({ version: this.#options.version ?? "0.33.0" });
      case "GET /api/tags":
        return json({ models: [...this.models.values()].map((m) => this.#listEntry(m)) });
      case "GET /api/ps":
        return json({ models: this.#options.running ?? [] });
      case "POST /api/show":
        return this.#show(req.body);
      case "POST /api/pull":
        return this.#pull(req.body);
      case "POST /api/generate":
        return this.#generate(req.body);
      case "POST /api/chat":
        return this.#chat(req.body);
      case "POST /api/embed":
        return this.#embed(req.body);
      case "POST /api/create":
        return this.#create(req.body);
      case "POST /api/experimental/web_search":
        return this.#webSearch(req.body);
      case "POST /api/experimental/web_fetch":
        return json({ title: "Example", content: `The page at ${req.body?.url}.`, links: [] });
      default:
        return new Response("404 page not found", { status: 404 });
    }
  }

  /** The local server's web search proxy (docs/api.md), with a fixed result. */
  #webSearch(body: { query?: string }): Response {
    if (!body?.query) return errorJson(400, "missing request body");
    return json({
      results: [{ title: "Ollama", url: "https://ollama.com/", content: `About ${body.query}.` }],
    });
  }

  /** `/api/create` from an existing model: the new model answers like its parent. */
  #create(body: { model?: string; from?: string }): Response {
    if (!body?.model || /[\s!@#$%^&*()]/.test(body.model)) {
      return errorJson(400, "invalid model name");
    }
    const parent = this.#find(body.from);
    if (!parent) return errorJson(404, `model '${body.from ?? ""}' not found`);
    const name = withTag(body.model);
    // The parent's recorded list entry carries the parent's name; the copy lists under its own.
    this.models.set(name, { ...parent, name, list: { ...parent.list, name, model: name } });
    return this.#stream([{ status: "using existing layers" }, { status: "success" }]);
  }

  #listEntry(m: FakeModel) {
    return {
      name: m.name,
      model: m.name,
      modified_at: m.modified_at ?? "2026-11-20T10:00:00Z",
      size: m.size ?? 2019393189,
      digest: m.digest ?? "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
      details: {
        parent_model: "",
        format: "gguf",
        family: "llama",
        families: ["llama"],
        parameter_size: "3.2B",
        quantization_level: "Q4_K_M",
      },
      ...m.list,
    };
  }

  #find(name: unknown): FakeModel | undefined {
    if (typeof name !== "string" || name === "") return undefined;
    return this.models.get(withTag(name));
  }

  #show(body: { model?: string; name?: string }): Response {
    const name = body?.model || body?.name;
    if (!name) return errorJson(400, "model is required");
    const model = this.#find(name);
    // The server names the model as it was asked for: `model 'nosuch' not found`.
    if (!model) return errorJson(404, `model '${name}' not found`);
    return json({
      license: "",
      modelfile: `# Modelfile generated by "ollama show"\nFROM ${model.name}\n`,
      parameters: "",
      template: "{{ .Prompt }}",
      details: { format: "gguf", family: "llama", parameter_size: "3.2B" },
      model_info: { "general.architecture": "llama" },
      capabilities: model.capabilities ?? ["completion"],
      modified_at: model.modified_at ?? "2026-11-20T10:00:00Z",
      ...model.show,
    });
  }

  #stream(lines: unknown[], trailer?: unknown, stallAfter?: number): Response {
    const delay = this.#options.chunkDelayMs ?? 0;
    const encoder = new TextEncoder();
    const wentAway = this.#wentAway;
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (i > 0 && delay > 0) await new Promise((r) => setTimeout(r, delay));
        // Never resolves: the stream stays open and silent until the client cancels it.
        if (stallAfter !== undefined && i >= stallAfter) return new Promise<void>(() => {});
        if (i < lines.length) {
          controller.enqueue(encoder.encode(JSON.stringify(lines[i++]) + "\n"));
        } else {
          if (trailer !== undefined) controller.enqueue(encoder.encode(JSON.stringify(trailer)));
          controller.close();
        }
      },
      cancel() {
        wentAway();
      },
    });
    return new Response(stream, { headers: { "content-type": "application/x-ndjson" } });
  }

  #pull(body: { model?: string; name?: string }): Response {
    const name = body?.model || body?.name;
    if (!name) return errorJson(400, "invalid model name");
    const tagged = withTag(name);
    const source = (this.#options.registry ?? []).find((m) => m.name === tagged);
    const lines: unknown[] = [{ status: "pulling manifest" }];
    if (!source) {
      lines.push({ error: "pull model manifest: file does not exist" });
      return this.#stream(lines, undefined, this.#options.pullStallAfter);
    }
    for (const layer of source.layers ?? []) {
      const short = layer.digest.replace(/^sha256:/, "").slice(0, 12);
      const status = `pulling ${short}`;
      lines.push({ status, digest: layer.digest, total: layer.total });
      for (const completed of layer.steps ?? [layer.total / 2, layer.total]) {
        lines.push({ status, digest: layer.digest, total: layer.total, completed });
      }
    }
    lines.push({ status: "verifying sha256 digest" }, { status: "writing manifest" });
    lines.push({ status: "success" } satisfies PullProgress);
    this.models.set(tagged, source);
    return this.#stream(lines, undefined, this.#options.pullStallAfter);
  }

  /** Checks shared by generate and chat; returns an error response or the model. */
  #admit(req: GenerateRequest | ChatRequest, verb: string): Response | FakeModel {
    const model = this.#find(req?.model);
    if (!model) return errorJson(404, `model '${req?.model ?? ""}' not found`);
    const caps = model.capabilities ?? ["completion"];
    if (!caps.includes("completion")) {
      return errorJson(400, `"${req.model}" does not support ${verb}`);
    }
    if (req.think !== undefined && req.think !== false && !caps.includes("thinking")) {
      return errorJson(400, `"${req.model}" does not support thinking`);
    }
    if ("tools" in req && req.tools?.length && !caps.includes("tools")) {
      // Unlike the thinking error, this one names the model in full.
      return errorJson(400, `${registryName(req.model)} does not support tools`);
    }
    return model;
  }

  /**
   * Thinking (when requested or defaulted) then the reply, as deltas. `num_predict` caps the
   * pieces of both together, and a capped answer ends with `done_reason: "length"`.
   */
  #script(
    model: FakeModel,
    req: GenerateRequest | ChatRequest,
  ): { thinking: string[]; content: string[]; reason: string } {
    const caps = model.capabilities ?? ["completion"];
    const thinks = caps.includes("thinking") && req.think !== false && model.thinking;
    let thinking = thinks ? pieces(model.thinking!) : [];
    let content = pieces(model.reply ?? "Hello there.");
    const limit = req.options?.num_predict;
    if (typeof limit !== "number" || limit < 0 || thinking.length + content.length <= limit) {
      return { thinking, content, reason: "stop" };
    }
    thinking = thinking.slice(0, limit);
    content = content.slice(0, limit - thinking.length);
    return { thinking, content, reason: "length" };
  }

  #failing(lines: unknown[], contentStart: number): unknown[] {
    const fail = this.#options.failAfterChunks;
    if (!fail) return lines;
    return [...lines.slice(0, contentStart + fail.count), { error: fail.error }];
  }

  #generate(body: GenerateRequest & Streamed): Response {
    const admitted = this.#admit(body, "generate");
    if (admitted instanceof Response) return admitted;
    const base = { model: body.model, created_at: "2026-11-24T10:00:00.000Z" };
    if (!body.prompt && !body.images?.length) {
      const reason = body.keep_alive === 0 || body.keep_alive === "0s" ? "unload" : "load";
      return json({ ...base, response: "", done: true, done_reason: reason });
    }
    const { thinking, content, reason } = this.#script(admitted, body);
    const done = { ...base, response: "", done: true, done_reason: reason, context, ...metrics };
    if (body.stream === false) {
      const joined = thinking.length ? { thinking: thinking.join("") } : {};
      return json({ ...done, response: content.join(""), ...joined });
    }
    const lines: unknown[] = thinking.map((t) => ({
      ...base,
      response: "",
      thinking: t,
      done: false,
    }));
    for (const r of content) lines.push({ ...base, response: r, done: false });
    lines.push(done);
    return this.#stream(this.#failing(lines, thinking.length));
  }

  #chat(body: ChatRequest & Streamed): Response {
    const admitted = this.#admit(body, "chat");
    if (admitted instanceof Response) return admitted;
    const base = { model: body.model, created_at: "2026-11-24T10:00:00.000Z" };
    const msg = (m: Partial<Message>) => ({
      ...base,
      message: { role: "assistant", content: "", ...m },
    });
    if (!body.messages?.length) {
      return json({ ...msg({}), done: true, done_reason: "load" });
    }
    if (admitted.toolCalls && body.tools?.length && body.messages.at(-1)?.role === "user") {
      const calls = msg({ tool_calls: admitted.toolCalls });
      if (body.stream === false) {
        return json({ ...calls, done: true, done_reason: "stop", ...metrics });
      }
      return this.#stream([
        { ...calls, done: false },
        { ...msg({}), done: true, done_reason: "stop", ...metrics },
      ]);
    }
    const { thinking, content, reason } = this.#script(admitted, body);
    if (body.stream === false) {
      const joined = thinking.length ? { thinking: thinking.join("") } : {};
      const message = msg({ content: content.join(""), ...joined });
      return json({ ...message, done: true, done_reason: reason, ...metrics });
    }
    const lines: unknown[] = thinking.map((t) => ({ ...msg({ thinking: t }), done: false }))
      .concat(content.map((c) => ({ ...msg({ content: c }), done: false })));
    lines.push({ ...msg({}), done: true, done_reason: reason, ...metrics });
    return this.#stream(this.#failing(lines, thinking.length));
  }

  #embed(
    body: { model?: string; input?: unknown; truncate?: boolean; dimensions?: number },
  ): Response {
    const model = this.#find(body?.model);
    if (!model) {
      return errorJson(404, `model "${body?.model ?? ""}" not found, try pulling it first`);
    }
    if (!(model.capabilities ?? ["completion"]).includes("embedding")) {
      return errorJson(501, "this model does not support embeddings");
    }
    if (typeof body.input !== "string" && !Array.isArray(body.input)) {
      return errorJson(400, "invalid input type");
    }
    const inputs: unknown[] = typeof body.input === "string" ? [body.input] : body.input;
    const tokens = inputs.map((i) => String(i).split(/\s+/).filter(Boolean).length);
    if (body.truncate === false && tokens.some((t) => t > (model.contextLength ?? 512))) {
      return errorJson(400, "the input length exceeds the context length");
    }
    const vector = model.embedding ?? [0.1, 0.2, 0.3];
    const embeddings = body.input === "" ? [] : inputs.map(() => shorten(vector, body.dimensions));
    return json({
      model: body.model,
      embeddings,
      total_duration: 14143917,
      load_duration: 7001688,
      prompt_eval_count: tokens.reduce((a, b) => a + b, 0),
    });
  }
}

/** dollama streams everything but load and unload; other clients ask for one object. */
type Streamed = { stream?: boolean };

/** Token ids a generate's done line carries (`context`), as a real server sends them. */
const context = [1, 4093, 198, 2, 198];

/** How the server names a model in some errors: `registry.ollama.ai/library/smollm2:latest`. */
function registryName(name: string): string {
  const parts = withTag(name).split("/");
  if (parts.length === 1) return `registry.ollama.ai/library/${parts[0]}`;
  if (parts.length === 2) return `registry.ollama.ai/${parts.join("/")}`;
  return parts.join("/");
}

/** `dimensions`: the first N values, scaled back to unit length as the server does. */
function shorten(vector: number[], dimensions: number | undefined): number[] {
  if (!dimensions || dimensions >= vector.length) return vector;
  const kept = vector.slice(0, dimensions);
  const norm = Math.hypot(...kept);
  return norm === 0 ? kept : kept.map((v) => v / norm);
}
