/**
 * The command line's fast path. Commander is an npm package, and loading the first npm package
 * costs a Deno process tens of milliseconds and megabytes of memory before anything else can
 * happen — more than a one-shot `dollama run m hi` spends on everything else. Most command lines
 * are plain: a command, its arguments, its flags spelled out. This parses exactly those, from
 * the same spec, into what commander would hand the command's handler, and declines everything
 * else (help, root flags, unknown or bundled flags, a flag value that looks like a flag, a wrong
 * number of arguments, a bad value) so commander parses and reports it as always.
 * tests/cli/fast_argv_test.ts checks that, wherever it answers, it answers as commander does.
 */
import { parseFlagValue } from "./flag_value.ts";
import { type CliSpec, type CommandSpec, flagKey, type FlagSpec, HELP_COMMAND } from "./spec.ts";

/** A command line parsed: the command by name, its positional arguments and its flags. */
export interface PlainCommandLine {
  command: string;
  args: unknown[];
  flags: Record<string, unknown>;
}

function commandNamed(spec: CliSpec, name: string | undefined): CommandSpec | undefined {
  if (name === undefined || name === HELP_COMMAND) return undefined;
  return spec.commands.find((c) => c.name === name || (c.aliases ?? []).includes(name));
}

/** A flag's value, or undefined when the value is refused (commander will say why). */
function valueOf(flag: FlagSpec, raw: string): string | number | true | undefined {
  try {
    return parseFlagValue(flag, raw);
  } catch {
    return undefined;
  }
}

/**
 * `argv` (after lib/cli/argv.ts `normalizeArgv`) as a plain command line, or undefined when it
 * is not one and commander must parse it.
 */
export function parsePlainCommandLine(
  argv: readonly string[],
  spec: CliSpec,
): PlainCommandLine | undefined {
  const command = commandNamed(spec, argv[0]);
  if (command === undefined) return undefined;
  const byLong = new Map(command.flags.map((f) => [f.long, f]));
  const byShort = new Map(command.flags.filter((f) => f.short).map((f) => [f.short!, f]));
  const positional: string[] = [];
  const flags: Record<string, unknown> = {};
  let operandsOnly = false;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i];
    if (operandsOnly || word.length < 2 || !word.startsWith("-")) {
      if (word === "-") return undefined;
      positional.push(word);
      continue;
    }
    if (word === "--") {
      operandsOnly = true;
      continue;
    }
    let flag: FlagSpec | undefined;
    let inline: string | undefined;
    if (word.startsWith("--")) {
      const equals = word.indexOf("=");
      const name = equals < 0 ? word.slice(2) : word.slice(2, equals);
      if (equals >= 0) inline = word.slice(equals + 1);
      flag = byLong.get(name);
      if (flag === undefined && inline === undefined && name.startsWith("no-")) {
        const negated = byLong.get(name.slice(3));
        if (negated?.value.kind !== "boolean" || !negated.value.negatable) return undefined;
        flags[flagKey(negated.long)] = false;
        continue;
      }
    } else if (word.length === 2) {
      flag = byShort.get(word[1]);
    }
    if (flag === undefined) return undefined;
    const kind = flag.value.kind;
    // A flag that may be given many times (`-p`) is commander's; a switch (`--verbose`) only
    // with the value the argv pre-pass spelled out for it (`--verbose=true`, `--verbose=json`).
    if (kind === "repeatable" || (kind === "switch" && inline === undefined)) return undefined;
    if (kind === "boolean") {
      if (inline !== undefined) return undefined;
      flags[flagKey(flag.long)] = true;
      continue;
    }
    if (inline === undefined) {
      // `--think` alone has been given its value by normalizeArgv; a value that looks like a
      // flag is left to commander's rules.
      const next = argv[i + 1];
      if (kind === "optional" || next === undefined || next.startsWith("-")) return undefined;
      inline = next;
      i++;
    }
    const value = valueOf(flag, inline);
    if (value === undefined) return undefined;
    flags[flagKey(flag.long)] = value;
  }
  const args: unknown[] = [];
  for (const [index, arg] of command.args.entries()) {
    if (arg.variadic) {
      args.push(positional.slice(index));
      positional.length = Math.min(positional.length, index);
      continue;
    }
    if (index >= positional.length && arg.required) return undefined;
    args.push(positional[index]);
  }
  if (positional.length > command.args.length) return undefined;
  return { command: command.name, args, flags };
}
