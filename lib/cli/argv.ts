/**
 * A pass over argv before commander sees it, giving the flags the meaning ollama users expect.
 * Which flags it touches comes from the command-line spec:
 * - a flag with an optional value (`--think`): alone it means `--think=true`; followed by one of
 *   its values (`--think high`) it takes that value, while `--think why is…` leaves `why` as
 *   prompt text.
 * - a boolean flag may be written `--flag=true|false`, as Go's pflag allows
 *   (`--truncate=false`); false drops the flag, or turns into its hidden `--no-flag`.
 * Everything after `--` is passed through untouched.
 */
import { CliError } from "../errors.ts";
import { parseGoBool } from "../format/go.ts";
import { type CliSpec, type FlagSpec, SPEC } from "./spec.ts";

/**
 * The commands' flags by long name. The pass runs before the command is known, so a name must
 * mean the same kind of flag in every command (tests/cli/spec_test.ts checks the spec).
 */
function commandFlags(spec: CliSpec): Map<string, FlagSpec> {
  const flags = new Map<string, FlagSpec>();
  for (const command of spec.commands) {
    for (const flag of command.flags) flags.set(flag.long, flag);
  }
  return flags;
}

export function normalizeArgv(argv: readonly string[], spec: CliSpec = SPEC): string[] {
  const flags = commandFlags(spec);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const bare = arg.startsWith("--") ? flags.get(arg.slice(2)) : undefined;
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
