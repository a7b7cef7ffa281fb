/**
 * `dollama run`'s settings, layered defaults → environment → flags into one object, and checked
 * before the server is contacted so a typo is reported even when the server is down.
 */
import { type Format, type KeepAlive, type Think, THINK_LEVELS } from "../api/types.ts";
import { type CommandFlags, orList, THINK_VALUES } from "../cli/spec.ts";
import { CliError } from "../errors.ts";
import { keepAliveWire } from "../format/duration.ts";

/** The flags of `dollama run`, as parsed from the command line; declared in lib/cli/spec.ts. */
export type RunFlags = CommandFlags<"run">;

export interface RunOptions {
  keepAlive?: KeepAlive;
  format?: Format;
  verbose: boolean;
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

export function parseFormat(value: string): Format | undefined {
  if (value === "") return undefined;
  if (value === "json") return "json";
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    throw new CliError(
      `invalid value for --format: ${(err as Error).message} (use json or a JSON schema object)`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new CliError("invalid value for --format: use json or a JSON schema object");
  }
  return parsed as Record<string, unknown>;
}

export function resolveRunOptions(
  flags: RunFlags,
): RunOptions {
  let keepAlive: KeepAlive | undefined;
  if (flags.keepalive !== undefined && flags.keepalive !== "") {
    try {
      keepAlive = keepAliveWire(flags.keepalive);
    } catch (err) {
      throw new CliError((err as Error).message);
    }
  }
  return {
    keepAlive,
    format: flags.format === undefined ? undefined : parseFormat(flags.format),
    verbose: flags.verbose ?? false,
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
