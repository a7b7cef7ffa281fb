import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

/** The flags of `dollama run`, as parsed from the command line. */
export interface RunFlags {
  keepalive?: string;
  format?: string;
  verbose?: boolean;
  nowordwrap?: boolean;
  think?: string;
  hidethinking?: boolean;
  truncate?: boolean;
  dimensions?: number;
  insecure?: boolean;
  interactive?: boolean;
  experimental?: boolean;
  experimentalYolo?: boolean;
  experimentalWebsearch?: boolean;
}

export function runCommand(
  _ctx: Context,
  _model: string,
  _prompt: string[],
  _flags: RunFlags,
): Promise<void> {
  return Promise.reject(new CliError("run is not implemented yet"));
}
