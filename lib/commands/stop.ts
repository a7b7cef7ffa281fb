import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

export function stopCommand(_ctx: Context, _model: string): Promise<void> {
  return Promise.reject(new CliError("stop is not implemented yet"));
}
