/**
 * A pass over argv before commander sees it, giving the flags the meaning ollama users expect.
 * Which flags it touches comes from the command-line spec:
 * - a flag with an optional value (`--think`): alone it means `--think=true`; followed by one of
 *   its values (`--think high`) it takes that value, while `--think why is…` leaves `why` as
 *   prompt text.
 * - a boolean flag may be written `--flag=true|false`, as Go's pflag allows
 *   (`--truncate=false`); false drops the flag, or turns into its hidden `--no-flag`. One that
 *   takes a spaced value (`--truncate false`) takes a following `true` or `false` the same way.
 * - a switch (`--verbose`, `--verbose=json`) always reaches commander with its value attached,
 *   so commander never takes the next word as its value.
 * Everything after `--` is passed through untouched.
 */
import { CliError } from "../errors.ts";
import { parseGoBool } from "../format/go.ts";
import { type CliSpec, commandNames, type FlagSpec, orList, SPEC } from "./spec.ts";

/**
 * The flags of the command argv names, by long name: the first word that is not a flag is the
 * command (the program's own flags take no values). `show --system` and `run --system TEXT`
 * are different flags.
 */
function commandFlags(spec: CliSpec, argv: readonly string[]): Map<string, FlagSpec> {
  const end = argv.indexOf("--");
  const name = (end < 0 ? argv : argv.slice(0, end)).find((a) => !a.startsWith("-"));
  const command = spec.commands.find((c) => name !== undefined && commandNames(c).includes(name));
  return new Map((command?.flags ?? []).map((flag) => [flag.long, flag]));
}

export function normalizeArgv(argv: readonly string[], spec: CliSpec = SPEC): string[] {
  const flags = commandFlags(spec, argv);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const bare = arg.startsWith("--") ? flags.get(arg.slice(2)) : undefined;
    if (bare?.value.kind === "switch") {
      out.push(`${arg}=true`);
      continue;
    }
    if (bare?.value.kind === "boolean" && bare.value.spacedValue) {
      const next = argv[i + 1];
      if (next === "true" || next === "false") {
        if (next === "true") out.push(arg);
        else if (bare.value.negatable) out.push(`--no-${bare.long}`);
        i++;
        continue;
      }
    }
    if (bare?.value.kind === "optional") {
      const next = argv[i + 1];
      if (next !== undefined && bare.value.values.includes(next)) {
        out.push(`${arg}=${next}`);
        i++;
      } else {
        out.push(`${arg}=${bare.value.implied}`);
      }
      continue;
    }
    const assigned = /^--([a-z][a-z0-9-]*)=(.*)$/s.exec(arg);
    const flag = assigned ? flags.get(assigned[1]) : undefined;
    if (assigned && flag?.value.kind === "switch") {
      const [, name, raw] = assigned;
      if (flag.value.values.includes(raw)) {
        out.push(arg);
        continue;
      }
      const value = parseGoBool(raw);
      if (value === undefined) {
        const accepted = orList(["true", "false", ...flag.value.values]);
        throw new CliError(
          `invalid value ${JSON.stringify(raw)} for --${name} (must be ${accepted})`,
        );
      }
      if (value) out.push(`--${name}=true`);
      continue;
    }
    if (assigned && flag?.value.kind === "boolean") {
      const [, name, raw] = assigned;
      const value = parseGoBool(raw);
      if (value === undefined) {
        throw new CliError(
          `invalid value ${JSON.stringify(raw)} for --${name} (must be true or false)`,
        );
      }
      if (value) out.push(`--${name}`);
      else if (flag.value.negatable) out.push(`--no-${name}`);
      continue;
    }
    out.push(arg);
  }
  return out;
}
