/**
 * `dollama run EMBEDDING_MODEL`: the input as one text and one JSON array, or with `--lines` each
 * input line embedded on its own, one JSON array per line (JSON Lines) in input order
 * (docs/run.md, Embeddings). `--lines` reads stdin as it arrives and sends the lines to
 * `/api/embed` in batches, so a file of any length runs in the memory of one batch.
 */
import type { Context } from "../context.ts";
import { CliError, untilInterrupted } from "../errors.ts";
import { embedRequest } from "../chat/request.ts";
import { StreamedText } from "../api/json_body.ts";
import { inputChunks, stdinError } from "../input.ts";
import { COLUMN_1, ERASE_LINE_END } from "../term/ansi.ts";
import type { RunOptions } from "./run_options.ts";

/** Lines per `/api/embed` request with `--lines`. */
export const EMBED_BATCH_LINES = 100;
/** A batch also ends once its text reaches this many characters, so long lines stay bounded. */
export const EMBED_BATCH_CHARS = 1 << 20;

type EmbedSettings = Partial<
  Pick<RunOptions, "keepAlive" | "truncate" | "dimensions" | "parameters">
>;

/**
 * The input as one text (the behaviour without `--lines`): one array and a newline. A
 * `StreamedText` (long piped input) goes out as it is read; if reading it fails, that failure is
 * what the user is told, not the request's.
 */
export async function embedText(
  ctx: Context,
  model: string,
  input: string | StreamedText,
  options: EmbedSettings,
): Promise<void> {
  if (input === "") {
    throw new CliError(
      `embedding models require input text. Usage: dollama run ${model} "your text here"`,
    );
  }
  let failure: { cause: unknown } | undefined;
  if (input instanceof StreamedText) {
    const pieces = input.pieces;
    input = new StreamedText((async function* () {
      try {
        yield* pieces;
      } catch (err) {
        failure = { cause: err };
        throw err;
      }
    })());
  }
  let response;
  try {
    response = await ctx.client.embed(embedRequest(model, input, options), ctx.signal);
  } catch (err) {
    if (failure) throw stdinError(failure.cause);
    throw err;
  }
  const first = response.embeddings?.[0];
  if (!first) throw new CliError("no embeddings returned");
  await ctx.io.stdout.write(JSON.stringify(first) + "\n");
}

/**
 * The lines of a byte stream as they complete: split at `\n`, a trailing `\r` removed, and a
 * last line without a newline still a line. Holds only the line being read.
 */
export async function* inputLines(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = "";
  const strip = (line: string) => line.endsWith("\r") ? line.slice(0, -1) : line;
  for await (const chunk of chunks) {
    pending += decoder.decode(chunk, { stream: true });
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      yield strip(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  pending += decoder.decode();
  if (pending !== "") yield strip(pending);
}

/** Groups lines into batches of at most `maxLines` lines and (but for a single line) `maxChars`. */
export async function* batches(
  lines: AsyncIterable<string>,
  maxLines = EMBED_BATCH_LINES,
  maxChars = EMBED_BATCH_CHARS,
): AsyncGenerator<string[]> {
  let batch: string[] = [];
  let chars = 0;
  for await (const line of lines) {
    if (batch.length > 0 && chars + line.length > maxChars) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(line);
    chars += line.length;
    // A full batch goes at once, without waiting for the next line to arrive.
    if (batch.length >= maxLines) {
      yield batch;
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The items of `source`, given up as soon as `signal` fires: a read of stdin may wait forever,
 * and Ctrl+C must end it like any request.
 */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    while (true) {
      const next = await untilInterrupted(iterator.next(), signal);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Not awaited: a pending read of stdin would keep the return from ever settling.
    iterator.return?.()?.catch(() => {});
  }
}

/**
 * `--lines`: each line's embedding as one JSON array per output line, in input order; an empty
 * line is not sent and gives `[]`. A progress count goes to stderr when it is a terminal.
 */
export async function embedLines(
  ctx: Context,
  model: string,
  lines: AsyncIterable<string>,
  options: EmbedSettings,
): Promise<void> {
  const { io } = ctx;
  const progress = io.stderr.isTerminal;
  let done = 0;
  try {
    for await (const batch of untilAborted(batches(lines), ctx.signal)) {
      const texts = batch.filter((line) => line !== "");
      let embeddings: number[][] = [];
      if (texts.length > 0) {
        const response = await ctx.client.embed(embedRequest(model, texts, options), ctx.signal);
        embeddings = Array.isArray(response.embeddings) ? response.embeddings : [];
        if (embeddings.length !== texts.length) {
          throw new CliError(
            `the server returned ${embeddings.length} embeddings for ${texts.length} lines`,
          );
        }
      }
      let next = 0;
      const out = batch.map((line) => JSON.stringify(line === "" ? [] : embeddings[next++]));
      await io.stdout.write(out.join("\n") + "\n");
      done += batch.length;
      if (progress) await io.stderr.write(`${COLUMN_1}embedded ${done} lines${ERASE_LINE_END}`);
    }
  } finally {
    if (progress && done > 0) await io.stderr.write(`${COLUMN_1}${ERASE_LINE_END}`);
  }
}

/**
 * The embedding path of `dollama run`. Without `--lines`, `prompt` is one text: stdin and the
 * arguments assembled, or for long piped input a `StreamedText` read as it is sent. With
 * `--lines`, stdin is read here, line by line, and the PROMPT arguments, when given, are one
 * more line after it.
 */
export async function embedCommand(
  ctx: Context,
  model: string,
  input: { prompt: string | StreamedText; promptArgs: readonly string[] },
  options: EmbedSettings & { lines: boolean },
): Promise<void> {
  if (!options.lines) return await embedText(ctx, model, input.prompt, options);
  const { stdin } = ctx.io;
  const argsLine = input.promptArgs.join(" ");
  async function* allLines(): AsyncGenerator<string> {
    if (!stdin.isTerminal) {
      try {
        yield* inputLines(inputChunks(stdin));
      } catch (err) {
        throw stdinError(err);
      }
    }
    if (argsLine !== "") yield argsLine;
  }
  if (stdin.isTerminal && argsLine === "") {
    throw new CliError(
      `--lines reads the lines from stdin. Usage: dollama run ${model} --lines < file.txt`,
    );
  }
  await embedLines(ctx, model, allLines(), options);
}
