/**
 * A pass over argv before commander (or the fast path, lib/cli/fast_argv.ts) sees it, giving the
 * flags the meaning they have for `ollama`, whose command line is Go's pflag under cobra. Both
 * parsers read what this returns, so they agree on everything decided here. Which flags it
 * touches comes from the command-line spec:
 * - flags typed before the command are the command's, as cobra parses them: `dollama -v show m`
 *   is `show -v m`, and `dollama --version run m` is an unknown flag of run.
 * - a flag that takes a value takes the next word whatever it looks like, as pflag does:
 *   `--system --verbose` sends the system prompt `--verbose`; `-p` takes the next word too.
 * - a flag with an optional value (`--think`): alone it means `--think=true`; followed by one of
 *   its values (`--think high`) it takes that value, while `--think why is…` leaves `why` as
 *   prompt text.
 * - a boolean flag may be written `--flag=true|false` or `-f=true|false`, and the last occurrence
 *   wins: false removes the flag's earlier occurrences, or turns into its hidden `--no-flag`.
 *   One that takes a spaced value (`--truncate false`) takes a following `true` or `false` too.
 * - a switch (`--verbose`, `--verbose=json`) always reaches the parser with its value attached,
 *   so it never takes the next word as its value.
 * - short flags written together (`-ic`, `-pseed=1`) are split, one flag a word.
 * Everything after `--` is passed through untouched.
 */
import { CliError } from "../errors.ts";
import { parseGoBool } from "../format/go.ts";
import {
  acceptedFlags,
  type CliSpec,
  commandNames,
  type CommandSpec,
  type FlagSpec,
  HELP_FLAG,
  orList,
  SPEC,
} from "./spec.ts";

/**
 * argv with the command first. The command is the first word that is not a flag (the program's
 * own flags take no values). cobra parses the flags typed before the command with the command's
 * own flags, so they are moved after it, where commander and the fast path look for them.
 */
function commandFirst(
  spec: CliSpec,
  argv: readonly string[],
): { command?: CommandSpec; argv: readonly string[] } {
  const end = argv.indexOf("--");
  const at = (end < 0 ? argv : argv.slice(0, end)).findIndex((a) => !a.startsWith("-"));
  const command = at < 0
    ? undefined
    : spec.commands.find((c) => commandNames(c).includes(argv[at]));
  if (command === undefined || at === 0) return { command, argv };
  return { command, argv: [argv[at], ...argv.slice(0, at), ...argv.slice(at + 1)] };
}

/** Words for the parser, each group remembering the flag it sets, so a later `=false` can drop it. */
class Output {
  private readonly groups: { words: readonly string[]; flag?: FlagSpec }[] = [];

  push(words: readonly string[], flag?: FlagSpec): void {
    this.groups.push({ words, flag });
  }

  /** `--flag=false` after `--flag`: pflag keeps the last value, so the earlier ones go. */
  drop(flag: FlagSpec): void {
    for (let i = this.groups.length - 1; i >= 0; i--) {
      if (this.groups[i].flag === flag) this.groups.splice(i, 1);
    }
  }

  words(): string[] {
    return this.groups.flatMap((g) => g.words);
  }
}

/**
 * `--flag=VALUE` or `-f=VALUE` (`typed` is the flag as the user wrote it) for a boolean or a
 * switch: true sets it, false drops it, a switch's own value chooses; anything else is refused.
 */
function assign(out: Output, flag: FlagSpec, typed: string, raw: string): void {
  const value = flag.value;
  if (value.kind === "switch" && value.values.includes(raw)) {
    out.push([`--${flag.long}=${raw}`], flag);
    return;
  }
  const on = parseGoBool(raw);
  if (on === undefined) {
    const accepted = value.kind === "switch" ? ["true", "false", ...value.values] : [
      "true",
      "false",
    ];
    throw new CliError(
      `invalid value ${JSON.stringify(raw)} for ${typed} (must be ${orList(accepted)})`,
    );
  }
  if (on) {
    out.push([value.kind === "switch" ? `--${flag.long}=true` : typed], flag);
  } else if (value.kind === "boolean" && value.negatable) {
    out.push([`--no-${flag.long}`], flag);
  } else {
    out.drop(flag);
  }
}

/**
 * One `--flag` or `--flag=VALUE` word, `next` the word after it. Returns how many of the
 * following words it took as its value (0 or 1).
 */
function long(out: Output, byLong: Map<string, FlagSpec>, word: string, next?: string): number {
  const equals = word.indexOf("=");
  const name = equals < 0 ? word.slice(2) : word.slice(2, equals);
  const flag = byLong.get(name);
  if (flag === undefined) {
    // Unknown (commander names it), or a negatable flag's hidden `--no-flag`.
    out.push([word]);
    return 0;
  }
  const value = flag.value;
  if (equals >= 0) {
    if (value.kind === "boolean" || value.kind === "switch") {
      assign(out, flag, `--${name}`, word.slice(equals + 1));
    } else {
      out.push([word], flag);
    }
    return 0;
  }
  switch (value.kind) {
    case "boolean":
      if (value.spacedValue && (next === "true" || next === "false")) {
        assign(out, flag, word, next);
        return 1;
      }
      out.push([word], flag);
      return 0;
    case "switch":
      out.push([`${word}=true`], flag);
      return 0;
    case "optional":
      if (next !== undefined && value.values.includes(next)) {
        out.push([`${word}=${next}`], flag);
        return 1;
      }
      out.push([`${word}=${value.implied}`], flag);
      return 0;
    default:
      // pflag: the next word is the value even when it starts with `-` (commander agrees).
      if (next === undefined) {
        out.push([word], flag);
        return 0;
      }
      out.push([word, next], flag);
      return 1;
  }
}

/**
 * One word of short flags (`-i`, `-ic`, `-c=false`, `-pseed=1`, `-p`), read as pflag reads it:
 * letter by letter, until one takes a value (the rest of the word, or else the next word).
 * Returns how many of the following words it took (0 or 1).
 */
function shorts(out: Output, byShort: Map<string, FlagSpec>, word: string, next?: string): number {
  for (let j = 1; j < word.length; j++) {
    const flag = byShort.get(word[j]);
    if (flag === undefined) {
      // Commander names the unknown flag (with whatever follows it in the word).
      out.push([`-${word.slice(j)}`]);
      return 0;
    }
    const typed = `-${word[j]}`;
    const rest = word.slice(j + 1);
    const value = flag.value;
    if (rest.startsWith("=")) {
      if (value.kind === "boolean" || value.kind === "switch") {
        assign(out, flag, typed, rest.slice(1));
      } else out.push([typed, rest.slice(1)], flag);
      return 0;
    }
    switch (value.kind) {
      case "boolean":
        out.push([typed], flag);
        continue;
      case "switch":
        out.push([`--${flag.long}=true`], flag);
        continue;
      case "optional":
        out.push([`--${flag.long}=${value.implied}`], flag);
        continue;
    }
    if (rest !== "") {
      out.push([typed, rest], flag);
      return 0;
    }
    if (next === undefined) {
      out.push([typed], flag);
      return 0;
    }
    out.push([typed, next], flag);
    return 1;
  }
  return 0;
}

export function normalizeArgv(argv: readonly string[], spec: CliSpec = SPEC): string[] {
  const { command, argv: words } = commandFirst(spec, argv);
  const accepted: readonly FlagSpec[] = command
    ? acceptedFlags(command)
    : [...spec.flags, HELP_FLAG];
  const byLong = new Map(accepted.map((f) => [f.long, f]));
  const byShort = new Map(accepted.filter((f) => f.short).map((f) => [f.short!, f]));
  const out = new Output();
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === "--") {
      out.push(words.slice(i));
      break;
    }
    if (word.startsWith("--")) i += long(out, byLong, word, words[i + 1]);
    else if (word.length > 1 && word.startsWith("-")) i += shorts(out, byShort, word, words[i + 1]);
    else out.push([word]);
  }
  return out.words();
}
