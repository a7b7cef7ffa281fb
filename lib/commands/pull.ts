import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

export function pullCommand(
  _ctx: Context,
  _model: string,
  _opts: { insecure?: boolean },
): Promise<void> {
  return Promise.reject(new CliError("pull is not implemented yet"));
}
