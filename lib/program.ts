/**
 * The command line: commander wiring only. Each action builds the context and hands over to a
 * module in lib/commands/. Usage errors become one `Error: …` line and exit code 1.
 */
import { Command, CommanderError, Option } from "@commander-js/extra-typings";
import { normalizeArgv } from "./cli/argv.ts";
import { CliError } from "./errors.ts";
import type { Io } from "./io.ts";
import { type Context, createContext } from "./context.ts";
import { VERSION } from "./version.ts";
import { runCommand, type RunFlags } from "./commands/run.ts";
import { pullCommand } from "./commands/pull.ts";
import { showCommand } from "./commands/show.ts";
import { psCommand } from "./commands/ps.ts";
import { stopCommand } from "./commands/stop.ts";
import { listCommand } from "./commands/list.ts";
import { versionCommand } from "./commands/version.ts";
import { completionCommand } from "./commands/completion.ts";
import { upgradeCommand } from "./commands/upgrade.ts";

const ENVIRONMENT_HELP = `
Environment Variables:
      OLLAMA_HOST                   Address of the ollama server (default 127.0.0.1:11434)
      OLLAMA_API_KEY                Sent as "Authorization: Bearer <key>" when set
      OLLAMA_NOHISTORY              Do not preserve readline history
      OLLAMA_EDITOR                 Path to editor for interactive prompt editing (Ctrl+G)
      NO_COLOR                      Disable colours on a terminal
      HTTPS_PROXY, HTTP_PROXY       Proxy for requests to the server (NO_PROXY to exclude hosts)
`;

function parsePositiveInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) {
      throw new CliError(
        `invalid value ${JSON.stringify(value)} for ${flag} (must be a whole number)`,
      );
    }
    return Number(value);
  };
}

/** Commander's `error: unknown option '--x'\n(Did you mean --y?)` as one plain line. */
function usageMessage(err: CommanderError): string {
  return err.message.replace(/^error: /, "").split("\n").map((l) => l.trim()).filter(Boolean)
    .join(" ");
}

export async function runProgram(argv: string[], io: Io, signal: AbortSignal): Promise<void> {
  let context: Context | undefined;
  const ctx = (): Context => context ??= createContext(io, signal);
  const output: { out: string[]; err: string[] } = { out: [], err: [] };

  const program = new Command()
    .name("dollama")
    .description(
      "A standalone client for Ollama servers: run, pull, show, ps, stop and list models",
    )
    .usage("[flags]\n  dollama [command]")
    .option("-v, --version", "Show version information")
    // Root flags only before the command, so `show -v` and `upgrade --version V` are theirs.
    .enablePositionalOptions()
    .helpCommand("help [command]", "Help about any command")
    .addHelpText("after", ENVIRONMENT_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => output.out.push(s),
      writeErr: (s) => output.err.push(s),
      outputError: () => {},
    });

  program.command("run")
    .description("Run a model")
    .argument("<MODEL>", "Model to run, e.g. llama3.2 or qwen3:8b")
    .argument("[PROMPT...]", "Prompt; without one (and with a terminal) an interactive chat starts")
    .option("--keepalive <duration>", "Duration to keep a model loaded (e.g. 5m)")
    .option("--format <format>", "Response format (json or a JSON schema)")
    .option("--verbose", "Show timings for response")
    .option("--nowordwrap", "Don't wrap words to the next line automatically")
    .option(
      "--think [value]",
      "Enable thinking mode: true/false or high/medium/low/max for supported models",
    )
    .option("--hidethinking", "Hide thinking output (if provided)")
    .option(
      "--truncate",
      "For embedding models: truncate inputs exceeding context length (default: true). Set --truncate=false to error instead",
    )
    .addOption(new Option("--no-truncate").hideHelp())
    .option(
      "--dimensions <int>",
      "Truncate output embeddings to specified dimension (embedding models only)",
      parsePositiveInt("--dimensions"),
    )
    .option("--insecure", "Use an insecure registry")
    .option("-i, --interactive", "After answering PROMPT or stdin, stay in the chat")
    .option("--experimental", "Enable experimental agent loop with tool support")
    .option("--experimental-yolo", "Skip all tool approval prompts (use with caution)")
    .option("--experimental-websearch", "Enable web search tool in experimental mode")
    .addHelpText("after", ENVIRONMENT_HELP)
    .action(async (model, prompt, opts) => {
      const flags: RunFlags = { ...opts, think: opts.think === true ? "true" : opts.think };
      await runCommand(ctx(), model, prompt, flags);
    });

  program.command("pull")
    .description("Pull a model from a registry")
    .argument("<MODEL>")
    .option("--insecure", "Use an insecure registry")
    .action(async (model, opts) => await pullCommand(ctx(), model, opts));

  program.command("show")
    .description("Show information for a model")
    .argument("<MODEL>")
    .option("--license", "Show license of a model")
    .option("--modelfile", "Show Modelfile of a model")
    .option("--parameters", "Show parameters of a model")
    .option("--system", "Show system message of a model")
    .option("--template", "Show template of a model")
    .option("-v, --verbose", "Show detailed model information")
    .action(async (model, opts) => await showCommand(ctx(), model, opts));

  program.command("ps")
    .description("List running models")
    .argument("[PREFIX]", "Only models whose name starts with PREFIX")
    .action(async (prefix) => await psCommand(ctx(), prefix));

  program.command("stop")
    .description("Stop a running model")
    .argument("<MODEL>")
    .action(async (model) => await stopCommand(ctx(), model));

  program.command("list")
    .alias("ls")
    .description("List models")
    .argument("[PREFIX]", "Only models whose name starts with PREFIX")
    .action(async (prefix) => await listCommand(ctx(), prefix));

  program.command("completion")
    .description("Print a shell completion script (bash, zsh or fish)")
    .argument("<SHELL>")
    .action(async (shell) => await completionCommand(ctx(), shell));

  program.command("upgrade")
    .description("Replace this dollama binary with the newest release (or --version V)")
    .argument("[VERSION]", "Release to install, e.g. v0.2.0 (same as --version)")
    .option("--version <V>", "Install this release instead of the newest, e.g. v0.2.0")
    .addHelpText(
      "after",
      "\nEnvironment Variables:\n      DOLLAMA_DOWNLOAD_URL          Releases base URL (default: the project's GitHub releases)\n",
    )
    .action(async (version, opts, cmd) => {
      // `upgrade --version V` reaches this option when root options are positional; otherwise
      // the root's `-v, --version` flag takes `--version` and V arrives as the VERSION argument.
      const pinned = opts.version ?? version;
      if (pinned === undefined && cmd.parent?.opts().version) {
        throw new CliError("option '--version <V>' argument missing");
      }
      await upgradeCommand(ctx(), { version: pinned });
    });

  if (argv.length === 1 && (argv[0] === "-v" || argv[0] === "--version")) {
    return await versionCommand(ctx());
  }
  try {
    await program.parseAsync(normalizeArgv(argv), { from: "user" });
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return await flush(io, output);
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

export { VERSION };
