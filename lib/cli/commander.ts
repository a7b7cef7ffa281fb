/**
 * Builds commander's `Command` from the command-line spec: every option, argument, description
 * and the help layout (the "Environment Variables:" and "Examples:" sections included) come from
 * the spec, and each command's action hands its typed arguments and flags to a handler.
 */
import {
  Argument,
  Command,
  type CommandUnknownOpts,
  Help,
  Option,
} from "@commander-js/extra-typings";
import { CliError } from "../errors.ts";
import {
  type ArgSpec,
  type CliSpec,
  type CommandSpec,
  environmentFor,
  flagKey,
  type FlagsOf,
  type FlagSpec,
  type Handlers,
  HELP_COMMAND,
  HELP_FLAG,
  type HelpScreen,
  orList,
} from "./spec.ts";

/** Help is wrapped to the terminal's width; to this many columns when it goes elsewhere. */
export const HELP_WIDTH = 80;

/**
 * Below this many columns a description is not wrapped beside its term: it moves under it.
 * (Commander's own limit, 40, would leave descriptions unwrapped on a 60-column terminal.)
 */
const NARROWEST_DESCRIPTION = 20;

/** Where commander's own output (help, usage errors) goes. */
export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
  /** Columns of the terminal behind stdout, or undefined when it is not a terminal. */
  outColumns?(): number | undefined;
  /** The same for stderr, where help goes when a command is missing. */
  errColumns?(): number | undefined;
}

/**
 * Turns what the user typed after a flag into its value, or throws the one-line error the user
 * reads. Commander calls this while parsing, so every value a handler sees has been checked here
 * and nowhere else.
 */
export function parseFlagValue(flag: FlagSpec, raw: string): string | number | true {
  const value = flag.value;
  switch (value.kind) {
    case "switch":
      // The argv pre-pass turned `--verbose` and `--verbose=1` into `--verbose=true`.
      if (raw === "true") return true;
      if (!value.values.includes(raw)) {
        throw new CliError(
          `invalid value for --${flag.long}: ${JSON.stringify(raw)} (must be ${
            orList(["true", "false", ...value.values])
          })`,
        );
      }
      return raw;
    case "whole":
      // Below the minimum, a negative number and zero get one message (docs/reliability.md).
      if (value.min !== undefined && /^-?\d+$/.test(raw) && Number(raw) < value.min) {
        throw new CliError(
          `invalid value ${JSON.stringify(raw)} for --${flag.long} (must be a whole number ` +
            `above ${value.min - 1})`,
        );
      }
      // Past 2^53 the number would be sent rounded: refused, as Go refuses ints out of range.
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw new CliError(
          `invalid value ${JSON.stringify(raw)} for --${flag.long} (must be a whole number)`,
        );
      }
      return Number(raw);
    case "optional":
      // `--think=` is the same as a bare `--think`.
      if (raw === "") return value.implied;
      // falls through
    case "choice":
      if (!value.values.includes(raw)) {
        throw new CliError(
          `invalid value for --${flag.long}: ${JSON.stringify(raw)} (must be ${
            orList(value.values)
          })`,
        );
      }
      return raw;
    default:
      return raw;
  }
}

/** The commander options for one flag (two for a negatable boolean: the hidden `--no-…`). */
function optionsFor(flag: FlagSpec): Option[] {
  const names = `${flag.short ? `-${flag.short}, ` : ""}--${flag.long}`;
  const value = flag.value;
  switch (value.kind) {
    case "boolean": {
      const option = new Option(names, flag.description);
      // `--no-stream` is a flag of its own (key `noStream`), not commander's negation of `--stream`.
      if (flag.long.startsWith("no-")) option.negate = false;
      return value.negatable ? [option, new Option(`--no-${flag.long}`).hideHelp()] : [option];
    }
    case "repeatable":
      return [
        new Option(`${names} <${value.placeholder}>`, flag.description)
          .argParser((raw: string, previous: string[] | undefined) => [...(previous ?? []), raw]),
      ];
    case "switch":
    case "optional":
      return [
        new Option(`${names} [${value.placeholder}]`, flag.description)
          .preset(value.kind === "optional" ? value.implied : "true")
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
 * The "Examples:" section: each example's description, wrapped, with its command under it. The
 * commands are never wrapped, so they can be copied whole.
 */
function examplesSection(command: CommandSpec | undefined, helper: Help): string {
  const examples = command?.examples ?? [];
  if (examples.length === 0) return "";
  const width = (helper.helpWidth ?? HELP_WIDTH) - 2;
  const items = examples.map((e) =>
    `  ${helper.boxWrap(e.description, width).replace(/\n/g, "\n  ")}\n    ${e.command}`
  );
  return `\nExamples:\n${items.join("\n")}\n`;
}

/**
 * Commander's help layout with two more sections, "Environment Variables:", whose names share
 * the column width of the options and commands so the whole screen is one layout, and
 * "Examples:". Everything is wrapped to the help width; on a terminal too narrow for two columns
 * a description goes under its term.
 */
function configureHelp(program: Command, spec: CliSpec): void {
  const envNameWidth = (cmd: CommandUnknownOpts) =>
    Math.max(0, ...environmentFor(spec, screenOf(cmd)).map((e) => e.name.length));
  const commandSpec = (cmd: CommandUnknownOpts) =>
    cmd.parent ? spec.commands.find((c) => c.name === cmd.name()) : undefined;
  program.configureHelp({
    minWidthToWrap: NARROWEST_DESCRIPTION,
    // The spec's description only: commander would add "(preset: …)" for `--think`.
    optionDescription: (option) => option.description ?? "",
    padWidth: (cmd, helper) =>
      Math.max(Help.prototype.padWidth.call(helper, cmd, helper), envNameWidth(cmd)),
    formatItem: (term, termWidth, description, helper) => {
      const width = helper.helpWidth ?? HELP_WIDTH;
      // Two columns: the term, two spaces, the description, after a two-space indent.
      if (!description || width - termWidth - 4 >= NARROWEST_DESCRIPTION) {
        return Help.prototype.formatItem.call(helper, term, termWidth, description, helper);
      }
      const wrapped = helper.boxWrap(description, width - 6).replace(/\n/g, "\n      ");
      return `  ${term}\n      ${wrapped}`;
    },
    formatHelp: (cmd, helper) => {
      let text = Help.prototype.formatHelp.call(helper, cmd, helper);
      const environment = environmentFor(spec, screenOf(cmd));
      if (environment.length > 0) {
        const width = helper.padWidth(cmd, helper);
        const items = environment.map((e) =>
          helper.formatItem(e.name, width, e.description, helper)
        );
        text += `\nEnvironment Variables:\n${items.join("\n")}\n`;
      }
      return text + examplesSection(commandSpec(cmd), helper);
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
      getOutHelpWidth: () => output.outColumns?.() ?? HELP_WIDTH,
      getErrHelpWidth: () => output.errColumns?.() ?? HELP_WIDTH,
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
