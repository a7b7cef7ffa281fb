/**
 * Runs the command-line parser built from a spec in-process: every command's handler records
 * what it received, and commander's output (help, usage errors) is captured.
 */
import { CommanderError } from "@commander-js/extra-typings";
import { normalizeArgv } from "../../lib/cli/argv.ts";
import { buildProgram } from "../../lib/cli/commander.ts";
import { type CliSpec, type Handlers, HELP_COMMAND } from "../../lib/cli/spec.ts";

export interface Call {
  command: string;
  args: unknown[];
  flags: Record<string, unknown>;
  root: Record<string, unknown>;
}

export interface Parsed {
  calls: Call[];
  out: string;
  err: string;
  /** What parsing threw, if anything (CommanderError for help and usage errors). */
  error?: unknown;
}

export async function parse(spec: CliSpec, argv: string[]): Promise<Parsed> {
  const calls: Call[] = [];
  const handlers: Record<string, Handlers<CliSpec>[string]> = {};
  for (const command of spec.commands) {
    if (command.name === HELP_COMMAND) continue;
    handlers[command.name] = (args, flags, root) => {
      calls.push({ command: command.name, args, flags, root });
      return Promise.resolve();
    };
  }
  const parsed: Parsed = { calls, out: "", err: "" };
  const program = buildProgram(spec, handlers, {
    writeOut: (s) => parsed.out += s,
    writeErr: (s) => parsed.err += s,
  });
  try {
    // The pre-pass runs first, as in lib/program.ts; its errors are parsing errors too.
    await program.parseAsync(normalizeArgv(argv, spec), { from: "user" });
  } catch (err) {
    parsed.error = err;
  }
  return parsed;
}

/** The help screen `dollama [command] --help` prints for `spec`. */
export async function helpText(spec: CliSpec, command?: string): Promise<string> {
  const parsed = await parse(spec, command ? [command, "--help"] : ["--help"]);
  if (
    !(parsed.error instanceof CommanderError) || parsed.error.code !== "commander.helpDisplayed"
  ) {
    throw new Error(`no help for ${command ?? "the program"}: ${parsed.error}`);
  }
  return parsed.out;
}
