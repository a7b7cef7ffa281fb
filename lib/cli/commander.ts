/**
 * Builds commander's `Command` from the command-line spec: every option, argument, description
 * and the help layout (the "Environment Variables:" section included) come from the spec, and
 * each command's action hands its typed arguments and flags to a handler.
 */
import {
  Argument,
  Command,
  type CommandUnknownOpts,
  Help,
  Option,
} from "@commander-js/extra-typings";
import { parseFlagValue } from "./flag_value.ts";
import {
  type ArgSpec,
  type CliSpec,
  environmentFor,
  flagKey,
  type FlagsOf,
  type FlagSpec,
  type Handlers,
  HELP_COMMAND,
  HELP_FLAG,
  type HelpScreen,
} from "./spec.ts";

export { parseFlagValue };

/** Help is laid out for 80 columns whatever the terminal, so it reads the same everywhere. */
export const HELP_WIDTH = 80;

/** Where commander's own output (help, usage errors) goes. */
export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/** The commander options for one flag (two for a negatable boolean: the hidden `--no-…`). */
function optionsFor(flag: FlagSpec): Option[] {
  const names = `${flag.short ? `-${flag.short}, ` : ""}--${flag.long}`;
  const value = flag.value;
  switch (value.kind) {
    case "boolean": {
      const option = new Option(names, flag.description);
      return value.negatable ? [option, new Option(`--no-${flag.long}`).hideHelp()] : [option];
    }
    case "optional":
      return [
        new Option(`${names} [${value.placeholder}]`, flag.description)
          .preset(value.implied)
          .argParser((raw: string) => parseFlagValue(flag, raw)),
      ];
    default:
      return [
        new Option(`${names} <${value.placeholder}>`, flag.description)
          .argParser((raw: string) => parseFlagValue(flag, raw)),
      ];
  }
}

/** `<MODEL>`, `[PROMPT...]`: an argument as usage lines show it. */
function argumentTerm(arg: ArgSpec): string {
  const name = `${arg.name}${arg.variadic ? "..." : ""}`;
  return arg.required ? `<${name}>` : `[${name}]`;
}

/**
 * Picks a command's flags out of commander's parsed options, typed from the spec. The values were
 * checked by `parseFlagValue` (or are commander's booleans), so this only selects and types.
 */
export function readFlags<F extends readonly FlagSpec[]>(
  flags: F,
  parsed: Record<string, unknown>,
): FlagsOf<F> {
  const out: Record<string, unknown> = {};
  for (const flag of flags) {
    const key = flagKey(flag.long);
    if (parsed[key] !== undefined) out[key] = parsed[key];
  }
  return out as FlagsOf<F>;
}

type AnyHandler = (
  args: unknown[],
  flags: Record<string, unknown>,
  root: Record<string, unknown>,
) => Promise<void>;

/** The help screen a commander command shows: the program's, or a command's by name. */
function screenOf(cmd: CommandUnknownOpts): HelpScreen {
  return cmd.parent ? cmd.name() : "top";
}

/**
 * Commander's help layout with one more section, "Environment Variables:", whose names share
 * the column width of the options and commands so the whole screen is one layout.
 */
function configureHelp(program: Command, spec: CliSpec): void {
  const envNameWidth = (cmd: CommandUnknownOpts) =>
    Math.max(0, ...environmentFor(spec, screenOf(cmd)).map((e) => e.name.length));
  program.configureHelp({
    // The spec's description only: commander would add "(preset: …)" for `--think`.
    optionDescription: (option) => option.description ?? "",
    padWidth: (cmd, helper) =>
      Math.max(Help.prototype.padWidth.call(helper, cmd, helper), envNameWidth(cmd)),
    formatHelp: (cmd, helper) => {
      const text = Help.prototype.formatHelp.call(helper, cmd, helper);
      const environment = environmentFor(spec, screenOf(cmd));
      if (environment.length === 0) return text;
      const width = helper.padWidth(cmd, helper);
      const items = environment.map((e) => helper.formatItem(e.name, width, e.description, helper));
      return `${text}\nEnvironment Variables:\n${items.join("\n")}\n`;
    },
  });
}

/**
 * The program: root flags, one subcommand per spec entry with its arguments and flags, and
 * commander's `help [command]`. Each action calls `handlers[name]` with the parsed arguments,
 * the command's flags and the program's flags. Commander never exits the process: errors throw
 * `CommanderError` (exitOverride) and all its output goes to `output`.
 */
export function buildProgram<S extends CliSpec>(
  spec: S,
  handlers: NoInfer<Handlers<S>>,
  output: ProgramOutput,
): Command {
  const program = new Command()
    .name(spec.name)
    .description(spec.description)
    // Root flags only before the command, so `show -v` and `upgrade --version V` are theirs.
    .enablePositionalOptions()
    .helpOption(`-${HELP_FLAG.short}, --${HELP_FLAG.long}`, HELP_FLAG.description)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.writeOut(s),
      writeErr: (s) => output.writeErr(s),
      outputError: () => {},
      getOutHelpWidth: () => HELP_WIDTH,
      getErrHelpWidth: () => HELP_WIDTH,
    });
  configureHelp(program, spec);
  for (const flag of spec.flags) for (const option of optionsFor(flag)) program.addOption(option);

  // The handlers' argument and flag types were derived from this same spec (Handlers<S>).
  const byName = handlers as unknown as Record<string, AnyHandler | undefined>;
  for (const entry of spec.commands) {
    if (entry.name === HELP_COMMAND) {
      program.helpCommand(
        [entry.name, ...entry.args.map(argumentTerm)].join(" "),
        entry.description,
      );
      continue;
    }
    const handler = byName[entry.name];
    if (handler === undefined) throw new Error(`no handler for the command ${entry.name}`);
    const command = program.command(entry.name).description(entry.description);
    for (const alias of entry.aliases ?? []) command.alias(alias);
    for (const arg of entry.args) {
      command.addArgument(new Argument(argumentTerm(arg), arg.description));
    }
    for (const flag of entry.flags) {
      for (const option of optionsFor(flag)) command.addOption(option);
    }
    command.action(async () => {
      await handler(
        command.processedArgs,
        readFlags(entry.flags, command.opts()),
        readFlags(spec.flags, program.opts()),
      );
    });
  }
  return program;
}
