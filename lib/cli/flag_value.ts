/**
 * A flag's value as typed, checked and typed from the spec. Both parsers of the command line
 * use it — commander (lib/cli/commander.ts) and the plain-command fast path
 * (lib/cli/fast_argv.ts) — so a value is accepted or refused the same way by either.
 */
import { CliError } from "../errors.ts";
import { type FlagSpec, orList } from "./spec.ts";

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
