import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

export function psCommand(_ctx: Context, _prefix?: string): Promise<void> {
  return Promise.reject(new CliError("ps is not implemented yet"));
}
