/**
 * The command line: commander is built from the spec (lib/cli/spec.ts, lib/cli/commander.ts);
 * this file only maps each command to its module in lib/commands/. Usage errors become one
 * `Error: …` line and exit code 1. A lone `-v`/`--version` never gets here: main.ts answers it
 * without loading the parser. A plain command line (lib/cli/fast_argv.ts) goes straight to its
 * handler, and commander, an npm package slow to load, is loaded only for everything else.
 */
import type { CommanderError } from "@commander-js/extra-typings";
import { normalizeArgv } from "./cli/argv.ts";
import { parsePlainCommandLine } from "./cli/fast_argv.ts";
import { commandNames, type Handlers, HELP_COMMAND, SPEC } from "./cli/spec.ts";
import { CliError } from "./errors.ts";
import type { Io } from "./io.ts";
import { type Context, createContext } from "./context.ts";

type PlainHandler = (
  args: unknown[],
  flags: Record<string, unknown>,
  root: Record<string, unknown>,
) => Promise<void>;

/** Commander's `error: unknown option '--x'\n(Did you mean --y?)` as one plain line. */
function usageMessage(err: CommanderError): string {
  return err.message.replace(/^error: /, "").split("\n").map((l) => l.trim()).filter(Boolean)
    .join(" ");
}

export async function runProgram(argv: string[], io: Io, signal: AbortSignal): Promise<void> {
  let context: Context | undefined;
  const ctx = (): Context => context ??= createContext(io, signal);
  const handlers: Handlers<typeof SPEC> = {
    // Each command's module is loaded when it runs: a one-shot `run` never loads the chat, the
    // agent, the tables or the release code.
    run: async ([model, prompt], flags) =>
      await (await import("./commands/run.ts")).runCommand(ctx(), model, prompt, flags),
    pull: async ([model], flags) =>
      await (await import("./commands/pull.ts")).pullCommand(ctx(), model, flags),
    show: async ([model], flags) =>
      await (await import("./commands/show.ts")).showCommand(ctx(), model, flags),
    ps: async ([prefix], flags) =>
      await (await import("./commands/ps.ts")).psCommand(ctx(), prefix, flags),
    stop: async ([model]) => await (await import("./commands/stop.ts")).stopCommand(ctx(), model),
    list: async ([prefix], flags) =>
      await (await import("./commands/list.ts")).listCommand(ctx(), prefix, flags),
    completion: async ([shell]) =>
      await (await import("./commands/completion.ts")).completionCommand(ctx(), shell),
    chats: async ([action, id], flags) =>
      await (await import("./commands/chats.ts")).chatsCommand(ctx(), action, id, flags),
    version: async () => await (await import("./commands/version.ts")).versionCommand(ctx()),
    upgrade: async ([version], flags) => {
      const { upgradeCommand } = await import("./commands/upgrade.ts");
      await upgradeCommand(ctx(), { version: flags.version ?? version });
    },
  };

  let normalized = normalizeArgv(argv, SPEC);
  // `dollama help nosuch`: commander would print the whole help as if no command were named,
  // and `dollama help help` would end as a usage error. Commander's help command does not read
  // flags either: `help -h` asks for the same help, `help -v` (or `-v help`, which the pre-pass
  // turned into that) names the flag as unknown instead of printing the help as an error.
  if (normalized[0] === HELP_COMMAND) {
    const words = normalized.filter((w) => w !== "-h" && w !== "--help");
    const flag = words.find((w) => w.startsWith("-") && w !== "--");
    if (flag !== undefined) throw new CliError(`unknown option '${flag}'`);
    normalized = words;
  }
  const [first, topic] = normalized;
  if (first === HELP_COMMAND && topic === HELP_COMMAND) normalized = ["--help"];
  else if (first === HELP_COMMAND && topic !== undefined && !topic.startsWith("-")) {
    if (!SPEC.commands.some((c) => commandNames(c).includes(topic))) {
      throw new CliError(`unknown command '${topic}' (see dollama help)`);
    }
  }
  const plain = parsePlainCommandLine(normalized, SPEC);
  // The handlers' types come from the spec the fast path parsed with, as for commander.
  const handler = plain && (handlers as unknown as Record<string, PlainHandler>)[plain.command];
  if (plain && handler) return await handler(plain.args, plain.flags, {});

  const [{ CommanderError }, { buildProgram }] = await Promise.all([
    import("@commander-js/extra-typings"),
    import("./cli/commander.ts"),
  ]);
  const output: { out: string[]; err: string[] } = { out: [], err: [] };
  const program = buildProgram(SPEC, handlers, {
    writeOut: (s) => output.out.push(s),
    writeErr: (s) => output.err.push(s),
    outColumns: () => io.stdout.columns(),
    errColumns: () => io.stderr.columns(),
  });
  try {
    await program.parseAsync(normalized, { from: "user" });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return await flush(io, output);
    // `dollama -v -v`, `-vv`: the program's flags alone, as cobra reads them. (A lone `-v` is
    // answered by main.ts; before a command the pre-pass made the flag the command's.)
    if (err.code === "commander.help" && program.getOptionValue("version") === true) {
      return await handlers.version([], {}, {});
    }
    if (err.code === "commander.help" || err.code === "commander.executeSubCommandAsync") {
      // `dollama` with no command: the help text, as a usage error.
      await io.stderr.write(output.err.join("") + output.out.join(""));
      throw new CliError("a command is required");
    }
    throw new CliError(usageMessage(err));
  }
  await flush(io, output);
}

async function flush(io: Io, output: { out: string[]; err: string[] }): Promise<void> {
  if (output.out.length) await io.stdout.write(output.out.join(""));
  if (output.err.length) await io.stderr.write(output.err.join(""));
}
