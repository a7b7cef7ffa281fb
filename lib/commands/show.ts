import type { Context } from "../context.ts";
import { CliError } from "../errors.ts";

export interface ShowFlags {
  license?: boolean;
  modelfile?: boolean;
  parameters?: boolean;
  system?: boolean;
  template?: boolean;
  verbose?: boolean;
}

export function showCommand(_ctx: Context, _model: string, _flags: ShowFlags): Promise<void> {
  return Promise.reject(new CliError("show is not implemented yet"));
}
