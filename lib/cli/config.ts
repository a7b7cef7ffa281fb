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
  /** `OLLAMA_API_KEY`, sent as `Authorization: Bearer`. */
  apiKey?: string;
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
}

/** Go's envconfig.Bool: empty is false, an unparseable value is true. */
export function envBool(raw: string | undefined): boolean {
  const value = cleanEnvValue(raw);
  if (value === "") return false;
  return parseGoBool(value) ?? true;
}

const nonEmpty = (value: string | undefined) =>
  value !== undefined && value.trim() !== "" ? value : undefined;

export function readConfig(env: (name: string) => string | undefined): Config {
  const typeAhead = env("DOLLAMA_APPROVAL_TYPEAHEAD_MS");
  return {
    host: parseOllamaHost(env("OLLAMA_HOST")),
    apiKey: env("OLLAMA_API_KEY") || undefined,
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
  };
}
