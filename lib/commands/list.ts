import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

export function listCommand(_ctx: Context, _prefix?: string): Promise<void> {
  return Promise.reject(new CliError("list is not implemented yet"));
}
