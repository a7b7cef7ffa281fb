/**
 * Reading piped input (stdin, or a file) over `Input.read`: whole, as a head of bounded size to be finished
 * later, or chunk by chunk. Each reads into the buffer that keeps the bytes, so input is held
 * once, never as a list of pieces plus their concatenation.
 */
import { GrowingBytes } from "./bytes.ts";
import { CliError, Interrupted, osReason, untilInterrupted } from "./errors.ts";
import type { Input } from "./io.ts";

/** How much input may hold: more than a prompt can be (V8 strings stop at 2^29 characters). */
const MAX_INPUT_BYTES = 2 ** 32;

/** Bytes asked for per read once input is coming. */
const READ_BYTES = 64 * 1024;

/**
 * The first read goes into a small buffer: an empty stdin (`</dev/null`, common in scripts) never
 * makes the growing buffer, whose address-space reservation and release cost 0.2–0.4 ms (a
 * script reading an empty stdin once). Input that comes is copied over once, at most this much.
 */
const FIRST_READ_BYTES = 16 * 1024;

/** The start of an input: `bytes`, and whether the input ended within them. */
export interface InputHead {
  bytes: Uint8Array;
  ended: boolean;
}

/** What the reading needs of an input: stdin, or any file. */
type Reader = Pick<Input, "read">;

/** An input that had nothing in it. */
export const EMPTY_INPUT: InputHead = { bytes: new Uint8Array(0), ended: true };

/** Reads into `into` until it holds `limit` bytes or the input ends; true when it ended. */
async function fill(input: Reader, into: GrowingBytes, limit: number): Promise<boolean> {
  while (into.length < limit) {
    const room = into.room(Math.min(READ_BYTES, limit - into.length));
    const read = await input.read(room.subarray(0, limit - into.length));
    if (read === null) return true;
    into.commit(read);
  }
  return false;
}

/**
 * The first `limit` bytes of `input` (fewer when it ends sooner). What follows stays unread, for
 * `readWhole` or `inputChunks` to take.
 */
export async function readHead(input: Reader, limit: number): Promise<InputHead> {
  const first = new Uint8Array(Math.min(FIRST_READ_BYTES, limit));
  const got = await input.read(first);
  if (got === null) return EMPTY_INPUT;
  const head = new GrowingBytes(limit, READ_BYTES);
  head.room(got).set(first.subarray(0, got));
  head.commit(got);
  const ended = await fill(input, head, limit);
  return { bytes: head.trimmed(), ended };
}

/** `input` to its end, with `head` (bytes already read from it) first. */
export async function readWhole(input: Input, head?: InputHead): Promise<Uint8Array> {
  const start = head ?? await readHead(input, FIRST_READ_BYTES);
  if (start.ended) return start.bytes;
  const whole = new GrowingBytes(MAX_INPUT_BYTES, Math.max(READ_BYTES, 2 * start.bytes.length));
  whole.room(start.bytes.length).set(start.bytes);
  whole.commit(start.bytes.length);
  if (!await fill(input, whole, MAX_INPUT_BYTES)) {
    throw new Error(`it holds more than ${MAX_INPUT_BYTES / 2 ** 30} GB`);
  }
  return whole.trimmed();
}

/** `input` as it arrives, a chunk per read (each a new array, the caller's to keep). */
export async function* inputChunks(input: Input): AsyncGenerator<Uint8Array> {
  while (true) {
    const chunk = new Uint8Array(READ_BYTES);
    const read = await input.read(chunk);
    if (read === null) return;
    if (read > 0) yield chunk.subarray(0, read);
  }
}

/**
 * The text of an input whose `head` was read, decoded as the rest arrives (a character split
 * between two reads comes whole), and `tail` after it.
 */
export async function* inputText(
  head: Uint8Array,
  rest: AsyncIterable<Uint8Array>,
  tail = "",
): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  yield decodeAndRelease(head, decoder);
  for await (const chunk of rest) {
    const text = decoder.decode(chunk, { stream: true });
    if (text !== "") yield text;
  }
  yield decoder.decode() + tail;
}

/**
 * A failed read of stdin in the user's words. It names stdin, since the user may not know what
 * it was bound to.
 */
export function stdinError(err: unknown): Error {
  if (err instanceof Interrupted || err instanceof CliError) return err;
  const reason = osReason(err);
  if (/is a directory/i.test(reason)) {
    return new CliError("stdin is a directory, not a file: cannot read a prompt from it");
  }
  return new CliError(`could not read stdin: ${reason}`);
}

/** `reading`, given up on Ctrl+C, with a failure in the user's words (`stdinError`). */
export async function fromStdin<T>(reading: Promise<T>, signal: AbortSignal): Promise<T> {
  try {
    return await untilInterrupted(reading, signal);
  } catch (err) {
    throw stdinError(err);
  }
}

/**
 * Text from bytes that are then done with: a resizable buffer gives its pages back at once.
 * With a `decoder`, the bytes are the start of a stream that it goes on decoding.
 */
export function decodeAndRelease(bytes: Uint8Array, decoder?: TextDecoder): string {
  const text = decoder ? decoder.decode(bytes, { stream: true }) : new TextDecoder().decode(bytes);
  if (bytes.buffer instanceof ArrayBuffer && bytes.buffer.resizable) bytes.buffer.resize(0);
  return text;
}
