/**
 * `--no-stream` and `/set nostream`: the answer is written once, complete, when the stream ends,
 * for screen readers and terminals that render slowly (docs/run.md, No streaming). Only the
 * answer is held: thinking, notices and errors on stderr appear as they happen.
 */
import type { StreamEvent } from "../api/events.ts";
import { joinBytes } from "../bytes.ts";
import type { Output } from "../io.ts";
import { ResponseRenderer, type ResponseRendererOptions } from "./response.ts";

/** An Output that keeps what is written until `release` writes it to `target` in one piece. */
export class HeldOutput implements Output {
  readonly #target: Output;
  #chunks: (string | Uint8Array)[] = [];

  constructor(target: Output) {
    this.#target = target;
  }

  get isTerminal(): boolean {
    return this.#target.isTerminal;
  }

  columns(): number | undefined {
    return this.#target.columns();
  }

  write(chunk: string | Uint8Array): Promise<void> {
    // A copy: the writer may reuse its bytes once this returns (lib/io.ts).
    this.#chunks.push(typeof chunk === "string" ? chunk : chunk.slice());
    return Promise.resolve();
  }

  /** Writes everything held as one write, and holds nothing afterwards. */
  async release(): Promise<void> {
    const chunks = this.#chunks;
    this.#chunks = [];
    if (chunks.length === 0) return;
    const encoder = new TextEncoder();
    const parts = chunks.map((c) => typeof c === "string" ? encoder.encode(c) : c);
    await this.#target.write(joinBytes(parts));
  }
}

/**
 * A ResponseRenderer whose answer goes to stdout only when it ends: on success, on an error and
 * on Ctrl+C alike, so what arrived is never lost. The answer arriving is not output yet, so it
 * does not stop the spinner (`beforeOutput`); what does show on stderr (thinking, notices) does,
 * and whoever ends the turn stops the spinner before the answer is written.
 */
export class HeldResponseRenderer extends ResponseRenderer {
  readonly #held: HeldOutput;
  readonly #state: { content: boolean; stopPending: boolean };
  readonly #beforeOutput?: () => Promise<void>;

  constructor(options: ResponseRendererOptions) {
    const held = new HeldOutput(options.stdout);
    const state = { content: false, stopPending: false };
    super({
      ...options,
      stdout: held,
      beforeOutput: async () => {
        if (state.content) state.stopPending = true;
        else await options.beforeOutput?.();
      },
    });
    this.#held = held;
    this.#state = state;
    this.#beforeOutput = options.beforeOutput;
  }

  override async handle(event: StreamEvent): Promise<void> {
    // Something after the answer began may show on stderr: the spinner must be gone first.
    if (event.type !== "content" && this.#state.stopPending) {
      this.#state.stopPending = false;
      await this.#beforeOutput?.();
    }
    this.#state.content = event.type === "content";
    await super.handle(event);
  }

  override async end(): Promise<void> {
    if (this.#state.stopPending) {
      this.#state.stopPending = false;
      await this.#beforeOutput?.();
    }
    try {
      await super.end();
    } finally {
      await this.#held.release();
    }
  }
}
