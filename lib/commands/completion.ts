import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

export function completionCommand(_ctx: Context, _shell: string): Promise<void> {
  return Promise.reject(new CliError("completion is not implemented yet"));
}
