/**
 * Every environment variable dollama reads, read here and nowhere else, into one `Config`.
 * Flags are layered on top of it by the command that owns them (defaults → environment → flags);
 * the names and their help texts are listed once in the command-line spec.
 */
import { cleanEnvValue, type OllamaHost, parseOllamaHost } from "../api/host.ts";
import { parseGoBool } from "../format/go.ts";

export interface Config {
  /** `OLLAMA_HOST`, parsed as the official client parses it (warnings included). */
  host: OllamaHost;
  /** `OLLAMA_API_KEY`, sent as `Authorization: Bearer`; surrounding whitespace trimmed. */
  apiKey?: string;
  /**
   * `DOLLAMA_TIMEOUT` in milliseconds when set to a positive number of seconds: the bound on
   * start-up requests, and also on how long a stream may stay silent (docs/reliability.md).
   */
  timeoutMs?: number;
  /** Problems with the environment that were worked around, for warning lines on stderr. */
  warnings: string[];
  /** `OLLAMA_NOHISTORY`: neither read nor write the history. */
  noHistory: boolean;
  /** `OLLAMA_EDITOR`, then `VISUAL`, then `EDITOR`: the program for Ctrl+G. */
  editor?: string;
  /** `NO_COLOR` set and not empty: no colour or bold, even on a terminal. */
  noColor: boolean;
  /** `HOME` (or `USERPROFILE` on Windows): where `~` and the history file are. */
  home?: string;
  /** `PATH`, to find the editor. */
  path?: string;
  /** `OLLAMA_AGENT_DISABLE_BASH` not empty: the agent gets no bash tool. */
  agentDisableBash: boolean;
  /** `DOLLAMA_AGENT_SANDBOX`: `off` (or `0`, `false`, `no`) runs bash commands unsandboxed. */
  agentSandbox: "auto" | "off";
  /** `DOLLAMA_APPROVAL_TYPEAHEAD_MS`: the approval prompt's type-ahead window (tests use 0). */
  approvalTypeAheadMs?: number;
  /** `DOLLAMA_DOWNLOAD_URL`: where `dollama upgrade` looks for releases. */
  downloadUrl?: string;
  /** `DOLLAMA_UPGRADE_TARGET`: the file `dollama upgrade` replaces (tests). */
  upgradeTarget?: string;
  /** `XDG_STATE_HOME`: saved conversations go under it (default `~/.local/state`). */
  stateHome?: string;
  /** `LOCALAPPDATA`: where saved conversations go on Windows. */
  localAppData?: string;
}

/** Go's envconfig.Bool: empty is false, an unparseable value is true. */
export function envBool(raw: string | undefined): boolean {
  const value = cleanEnvValue(raw);
  if (value === "") return false;
  return parseGoBool(value) ?? true;
}

const nonEmpty = (value: string | undefined) =>
  value !== undefined && value.trim() !== "" ? value : undefined;

const MAX_TIMER_MS = 2 ** 31 - 1;

/** `DOLLAMA_TIMEOUT`: seconds, fractions allowed; anything else is ignored with a warning. */
function readTimeout(raw: string | undefined, warnings: string[]): number | undefined {
  const value = cleanEnvValue(raw);
  if (value === "") return undefined;
  const seconds = /^\d+(\.\d*)?$|^\.\d+$/.test(value) ? Number(value) : NaN;
  if (!(seconds > 0)) {
    warnings.push(
      `invalid DOLLAMA_TIMEOUT ${JSON.stringify(value)}, must be a number of seconds above 0`,
    );
    return undefined;
  }
  // Timers take at most 2^31-1 ms (about 24 days); a longer one would fire at once.
  return Math.min(Math.round(seconds * 1000), MAX_TIMER_MS);
}

export function readConfig(env: (name: string) => string | undefined): Config {
  const typeAhead = env("DOLLAMA_APPROVAL_TYPEAHEAD_MS");
  const warnings: string[] = [];
  return {
    host: parseOllamaHost(env("OLLAMA_HOST")),
    apiKey: env("OLLAMA_API_KEY")?.trim() || undefined,
    timeoutMs: readTimeout(env("DOLLAMA_TIMEOUT"), warnings),
    warnings,
    noHistory: envBool(env("OLLAMA_NOHISTORY")),
    editor: nonEmpty(env("OLLAMA_EDITOR")) ?? nonEmpty(env("VISUAL")) ?? nonEmpty(env("EDITOR")),
    noColor: (env("NO_COLOR") ?? "") !== "",
    home: env("HOME") ?? env("USERPROFILE"),
    path: env("PATH"),
    agentDisableBash: (env("OLLAMA_AGENT_DISABLE_BASH") ?? "") !== "",
    agentSandbox: /^(off|0|false|no)$/i.test((env("DOLLAMA_AGENT_SANDBOX") ?? "").trim())
      ? "off"
      : "auto",
    approvalTypeAheadMs: typeAhead !== undefined && /^\d+$/.test(typeAhead)
      ? Number(typeAhead)
      : undefined,
    downloadUrl: env("DOLLAMA_DOWNLOAD_URL") || undefined,
    upgradeTarget: env("DOLLAMA_UPGRADE_TARGET") || undefined,
    stateHome: nonEmpty(env("XDG_STATE_HOME")),
    localAppData: nonEmpty(env("LOCALAPPDATA")),
  };
}
