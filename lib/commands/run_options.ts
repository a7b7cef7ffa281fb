/**
 * `dollama run`'s settings, layered defaults → environment → flags into one object, and checked
 * before the server is contacted so a typo is reported even when the server is down.
 */
import {
  type Format,
  type KeepAlive,
  type Options,
  type Think,
  THINK_LEVELS,
} from "../api/types.ts";
import { type CommandFlags, orList, THINK_VALUES } from "../cli/spec.ts";
import { CliError, Interrupted, osReason, untilInterrupted } from "../errors.ts";
import { keepAliveWire } from "../format/duration.ts";
import { decodeAndRelease, readHead } from "../input.ts";
import { parseParameter } from "../format/parameters.ts";

/** The flags of `dollama run`, as parsed from the command line; declared in lib/cli/spec.ts. */
export type RunFlags = CommandFlags<"run">;

export interface RunOptions {
  keepAlive?: KeepAlive;
  format?: Format;
  verbose: boolean;
  /** `--verbose=json`: the stats as one JSON object instead of the text block. */
  verboseJson: boolean;
  /** `--parameter`: the generation options, as `/set parameter` would have set them. */
  parameters: Options;
  /** `--system`: the system prompt, read from the file for `@FILE`. */
  system?: string;
  /** `--no-stream`: the answer is printed once, complete. */
  noStream: boolean;
  /** `--lines`: an embedding model embeds each input line on its own. */
  lines: boolean;
  wordWrap: boolean;
  /** Set only when the user chose; otherwise inferred from the model's capabilities. */
  think?: Think;
  hideThinking: boolean;
  truncate?: boolean;
  dimensions?: number;
  insecure: boolean;
  /** `-i`: stay in the chat after answering a prompt. */
  stayInteractive: boolean;
  experimental: { enabled: boolean; yolo: boolean; webSearch: boolean };
}

export function parseThink(value: string): Think {
  if (value === "" || value === "true") return true;
  if (value === "false") return false;
  const level = THINK_LEVELS.find((l) => l === value);
  if (level !== undefined) return level;
  throw new CliError(
    `invalid value for --think: ${JSON.stringify(value)} (must be ${orList(THINK_VALUES)})`,
  );
}

/** Reads a text file named by a flag (`--format @FILE`, `--system @FILE`); injectable for tests. */
export type ReadTextFile = (path: string) => string;

const readTextFileSync: ReadTextFile = (path) => Deno.readTextFileSync(path);

/** The most an `@FILE` value may hold: a system prompt or a JSON schema, not a disk image. */
export const FLAG_FILE_BYTES = 16 * 1024 * 1024;

/** The file `value` names, when it is an `@FILE` value (see `textOrFile`). */
function flagFile(value: string | undefined): string | undefined {
  if (value === undefined || !value.startsWith("@") || value.startsWith("@@")) return undefined;
  return value.length > 1 ? value.slice(1) : undefined;
}

/**
 * Reads a file asynchronously, refusing one larger than `limit` bytes: a head of one byte more
 * than the limit that the file ends within is the whole file.
 */
async function readBounded(path: string, limit: number): Promise<string> {
  using file = await Deno.open(path);
  const head = await readHead(file, limit + 1);
  if (!head.ended) throw new Error(`it is larger than ${limit / (1024 * 1024)} MB`);
  return decodeAndRelease(head.bytes);
}

/**
 * The `@FILE` values of `--system` and `--format`, read before the options are resolved, for
 * `resolveRunOptions` to take from: asynchronously, so that Ctrl+C ends a read that waits (a FIFO,
 * `@<(command)`), and bounded, so that `@/dev/zero` is an error rather than all the memory there
 * is. A read that fails fails when the option is resolved, in its words there.
 */
export async function readFlagFiles(
  flags: Pick<RunFlags, "system" | "format">,
  signal: AbortSignal,
  limit = FLAG_FILE_BYTES,
): Promise<ReadTextFile> {
  const read = new Map<string, { text: string } | { error: unknown }>();
  for (const path of [flagFile(flags.system), flagFile(flags.format)]) {
    if (path === undefined || read.has(path)) continue;
    try {
      read.set(path, { text: await untilInterrupted(readBounded(path, limit), signal) });
    } catch (error) {
      if (error instanceof Interrupted) throw error;
      read.set(path, { error });
    }
  }
  return (path) => {
    const outcome = read.get(path);
    if (outcome === undefined) return readTextFileSync(path);
    if ("error" in outcome) throw outcome.error;
    return outcome.text;
  };
}

/**
 * `@FILE` means the text of FILE, `@@…` a text starting with one `@`; anything else is the text
 * itself. A file that cannot be read is a usage error naming the flag.
 */
export function textOrFile(flag: string, value: string, readTextFile: ReadTextFile): string {
  if (!value.startsWith("@") || value.startsWith("@@")) {
    return value.startsWith("@@") ? value.slice(1) : value;
  }
  const path = value.slice(1);
  if (path === "") throw new CliError(`invalid value for --${flag}: "@" needs a file name`);
  try {
    return readTextFile(path);
  } catch (err) {
    const reason = err instanceof Deno.errors.NotFound
      ? "no such file"
      : err instanceof Deno.errors.IsADirectory
      ? "is a directory"
      : osReason(err);
    throw new CliError(
      `invalid value for --${flag}: cannot read ${JSON.stringify(path)}: ${reason}`,
    );
  }
}

/**
 * `--parameter KEY=VALUE`, in order: the names, types and messages of `/set parameter`. A
 * repeated `stop` adds a stop sequence; any other repeated name keeps the last value.
 */
export function parseParameterFlags(values: readonly string[]): Options {
  const options: Options = {};
  for (const entry of values) {
    const equals = entry.indexOf("=");
    if (equals <= 0) {
      throw new CliError(
        `invalid value for --parameter: ${JSON.stringify(entry)} (use KEY=VALUE, e.g. seed=42)`,
      );
    }
    const name = entry.slice(0, equals);
    const value = entry.slice(equals + 1);
    const parsed = parseParameter(name, [value]);
    if (!parsed.ok) {
      throw new CliError(`invalid value for --parameter ${JSON.stringify(entry)}: ${parsed.error}`);
    }
    const previous = options[name];
    options[name] = name === "stop" && Array.isArray(previous)
      ? [...previous, ...(parsed.value as string[])]
      : parsed.value;
  }
  return options;
}

/**
 * `--keepalive`: a Go duration (`5m`, `1h30m`, `0`), or a bare number of seconds as the API takes
 * it (`300`, `2.5`); anything negative keeps the model loaded (`-1`).
 */
export function parseKeepAlive(value: string): KeepAlive {
  try {
    return keepAliveWire(value);
  } catch (err) {
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) {
      const seconds = Number(value);
      if (seconds < 0) return -1;
      // The server turns seconds into a Go Duration (int64 nanoseconds): past that it would
      // overflow, so it is refused as Go refuses a duration out of range.
      if (seconds * 1e9 < 2 ** 63) return seconds;
      throw new CliError(`time: invalid duration ${JSON.stringify(value)}`);
    }
    throw new CliError((err as Error).message);
  }
}

export function parseFormat(
  value: string,
  readTextFile: ReadTextFile = readTextFileSync,
): Format | undefined {
  if (value === "") return undefined;
  if (value === "json") return "json";
  const fromFile = value.startsWith("@") && !value.startsWith("@@");
  const given = value;
  if (value.startsWith("@")) value = textOrFile("format", value, readTextFile);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    // JSON.parse's own message quotes the text, newlines and all, and its wording is the
    // engine's: the error line names what was given and where the JSON goes wrong instead.
    const what = fromFile ? `the file ${JSON.stringify(given.slice(1))}` : shortQuote(value);
    throw new CliError(
      `invalid value for --format: ${what} is not valid JSON${whereInJson(value, err)} ` +
        "(use json or a JSON schema object)",
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CliError("invalid value for --format: use json or a JSON schema object");
  }
  return parsed as Record<string, unknown>;
}

/** `text` as a one-line quoted string of at most 40 characters. */
function shortQuote(text: string): string {
  const chars = [...text];
  return JSON.stringify(chars.length <= 40 ? text : chars.slice(0, 39).join("") + "…");
}

/** ` at line L, column C` when JSON.parse said at which offset it failed, else nothing. */
function whereInJson(text: string, err: unknown): string {
  const offset = /at position (\d+)/.exec(err instanceof Error ? err.message : "");
  if (!offset) return "";
  const before = text.slice(0, Number(offset[1])).split("\n");
  return ` at line ${before.length}, column ${[...before.at(-1)!].length + 1}`;
}

/**
 * The flags given that change nothing in this run, each said once on stderr as a warning:
 * the agent's flags without the agent or without a chat, the embedding flags on a model that
 * chats, and the chat's flags on an embedding model.
 */
export function noEffectWarnings(
  flags: RunFlags,
  run: {
    model: string;
    embedding: boolean;
    interactive: boolean;
    /** False when the model lacks the `tools` capability, so the agent has nothing to offer. */
    tools?: boolean;
  },
): string[] {
  const warnings: string[] = [];
  if (!flags.experimental) {
    if (flags.experimentalYolo) {
      warnings.push("--experimental-yolo has no effect without --experimental");
    }
    if (flags.experimentalWebsearch) {
      warnings.push("--experimental-websearch has no effect without --experimental");
    }
  } else if (!run.interactive && !run.embedding) {
    warnings.push("--experimental has no effect in a one-shot run (the agent needs the chat)");
  } else if (!run.embedding && run.tools === false) {
    warnings.push(
      `--experimental has no effect: ${JSON.stringify(run.model)} does not support tools`,
    );
  }
  const chatOnly = {
    think: flags.think,
    format: flags.format,
    system: flags.system,
    "no-stream": flags.noStream,
    experimental: flags.experimental,
    // An embedding is not a turn of a conversation: nothing is continued or saved.
    continue: flags.continue || undefined,
    resume: flags.resume,
    nohistory: flags.nohistory || undefined,
    // Nor is it shown as an answer: no chat to stay in, no thinking, no wrap, no statistics.
    interactive: flags.interactive || undefined,
    hidethinking: flags.hidethinking || undefined,
    nowordwrap: flags.nowordwrap || undefined,
    verbose: flags.verbose || undefined,
  };
  const embeddingOnly = {
    truncate: flags.truncate,
    dimensions: flags.dimensions,
    lines: flags.lines,
  };
  const notFor = Object.entries(run.embedding ? chatOnly : embeddingOnly)
    .filter(([, value]) => value !== undefined).map(([name]) => name);
  const kind = run.embedding ? "an embedding model" : "not an embedding model";
  for (const name of notFor) {
    warnings.push(`--${name} has no effect: ${JSON.stringify(run.model)} is ${kind}`);
  }
  return warnings;
}

export function resolveRunOptions(
  flags: RunFlags,
  readTextFile: ReadTextFile = readTextFileSync,
): RunOptions {
  const keepAlive = flags.keepalive === undefined || flags.keepalive === ""
    ? undefined
    : parseKeepAlive(flags.keepalive);
  return {
    keepAlive,
    format: flags.format === undefined ? undefined : parseFormat(flags.format, readTextFile),
    verbose: flags.verbose !== undefined,
    verboseJson: flags.verbose === "json",
    parameters: parseParameterFlags(flags.parameter ?? []),
    system: flags.system === undefined
      ? undefined
      : textOrFile("system", flags.system, readTextFile),
    noStream: flags.noStream ?? false,
    lines: flags.lines ?? false,
    wordWrap: !(flags.nowordwrap ?? false),
    think: flags.think === undefined ? undefined : parseThink(flags.think),
    hideThinking: flags.hidethinking ?? false,
    truncate: flags.truncate,
    dimensions: flags.dimensions && flags.dimensions > 0 ? flags.dimensions : undefined,
    insecure: flags.insecure ?? false,
    stayInteractive: flags.interactive ?? false,
    experimental: {
      enabled: flags.experimental ?? false,
      yolo: flags.experimentalYolo ?? false,
      webSearch: flags.experimentalWebsearch ?? false,
    },
  };
}
