/**
 * The help screens: generated from the spec, one layout, at most 80 columns, descriptions
 * wrapped between words, and the "Environment Variables:" section listing what the spec says.
 */
import { assert, assertEquals, assertRejects, assertStringIncludes } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { startDollama } from "../support/tmux.ts";
import { testIo } from "../support/test_io.ts";
import { helpText } from "./harness.ts";
import {
  acceptedFlags,
  type CliSpec,
  environmentFor,
  type Handlers,
  HELP_COMMAND,
  HELP_FLAG,
  SPEC,
} from "../../lib/cli/spec.ts";
import { CliError } from "../../lib/errors.ts";
import { runProgram } from "../../lib/program.ts";
import { buildProgram } from "../../lib/cli/commander.ts";

const DOLLAMA: CliSpec = SPEC;
const COMMANDS = DOLLAMA.commands.filter((c) => c.name !== HELP_COMMAND);

const TOP_HELP = `Usage: dollama [options] [command]

A standalone client for Ollama servers: run, pull, show, ps, stop and list
models

Options:
  -v, --version                      Show version information
  -h, --help                         Show help for the command

Commands:
  run [options] <MODEL> [PROMPT...]  Run a model
  pull [options] <MODEL>             Pull a model from a registry
  show [options] <MODEL>             Show information for a model
  ps [options] [PREFIX]              List running models
  stop <MODEL>                       Stop a running model
  list|ls [options] [PREFIX]         List models
  completion <SHELL>                 Print a shell completion script (bash, zsh
                                     or fish)
  upgrade [options] [VERSION]        Replace this dollama binary with the newest
                                     release (or --version V)
  chats [options] [ACTION] [ID]      List saved conversations; chats show ID
                                     prints one, chats rm ID deletes one
  version                            Show version information (as --version)
  help [command]                     Help about any command

Environment Variables:
  OLLAMA_HOST                        Server address (default 127.0.0.1:11434)
  OLLAMA_API_KEY                     Sent as "Authorization: Bearer <key>"
  OLLAMA_NOHISTORY                   Save no input history and no conversations
  OLLAMA_EDITOR                      Editor for editing the prompt (Ctrl+G)
  NO_COLOR                           Disable colours on a terminal
  HTTPS_PROXY                        Proxy for https:// requests
  HTTP_PROXY                         Proxy for http:// requests
  NO_PROXY                           Hosts to reach without a proxy
  DOLLAMA_TIMEOUT                    Seconds to wait for the server at start-up
                                     (default 30)
`;

const UPGRADE_HELP = `Usage: dollama upgrade [options] [VERSION]

Replace this dollama binary with the newest release (or --version V)

Arguments:
  VERSION               Release to install, e.g. v0.2.0 (same as --version)

Options:
  --version <V>         Install this release instead of the newest, e.g. v0.2.0
  -h, --help            Show help for the command

Environment Variables:
  HTTPS_PROXY           Proxy for https:// requests
  HTTP_PROXY            Proxy for http:// requests
  NO_PROXY              Hosts to reach without a proxy
  DOLLAMA_DOWNLOAD_URL  Releases base URL (default: GitHub releases)
`;

Deno.test("help for the program and for upgrade, byte for byte", async () => {
  assertEquals(await helpText(SPEC), TOP_HELP);
  assertEquals(await helpText(SPEC, "upgrade"), UPGRADE_HELP);
});

/** The help text with each wrapped description put back on one line. */
function unwrapped(help: string): string {
  return help.replace(/\n {3,}/g, " ");
}

/** The names listed under "Environment Variables:" (the section ends at a blank line). */
function environmentSection(help: string): string[] {
  const section = (help.split(/^Environment Variables:$/m)[1] ?? "").split("\n\n")[0];
  return [...section.matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
}

for (const screen of ["top", ...COMMANDS.map((c) => c.name)]) {
  Deno.test(`help for ${screen}: 80 columns, whole words, the spec's flags and variables`, async () => {
    const help = await helpText(SPEC, screen === "top" ? undefined : screen);
    for (const line of help.split("\n")) {
      assert(line.length <= 80, `${line.length} columns: ${line}`);
    }
    const command = COMMANDS.find((c) => c.name === screen);
    const flags = command ? acceptedFlags(command) : [...DOLLAMA.flags, HELP_FLAG];
    // Rejoining the wrapped lines gives every description back intact: no word was split.
    const text = unwrapped(help);
    for (const flag of flags) {
      assert(text.includes(`  ${flag.description}\n`), `${screen} --${flag.long}: ${help}`);
    }
    for (const arg of command?.args ?? []) {
      if (arg.description) assert(text.includes(`  ${arg.description}\n`), `${screen} ${arg.name}`);
    }
    if (!command) {
      for (const c of DOLLAMA.commands) assert(text.includes(`  ${c.description}\n`), c.name);
    }
    const environment = environmentFor(DOLLAMA, screen);
    assertEquals(environmentSection(help), environment.map((e) => e.name));
    for (const e of environment) assert(text.includes(`  ${e.description}\n`), e.name);
  });
}

Deno.test("help hides the variables meant for tests", async () => {
  const screens = await Promise.all(
    [undefined, ...COMMANDS.map((c) => c.name)].map((name) => helpText(SPEC, name)),
  );
  const listed = new Set(screens.flatMap(environmentSection));
  assert(listed.has("OLLAMA_HOST"));
  for (const name of ["DOLLAMA_APPROVAL_TYPEAHEAD_MS", "DOLLAMA_UPGRADE_TARGET"]) {
    assert(DOLLAMA.environment.some((e) => e.name === name), `${name} is in the spec`);
    assert(!listed.has(name), `${name} is listed`);
  }
});

Deno.test("dollama --help and help run print the help on stdout, exit 0", async () => {
  assertEquals(await runCli(["--help"]), { code: 0, stdout: TOP_HELP, stderr: "" });
  const run = await runCli(["help", "run"]);
  assertEquals(run, { code: 0, stdout: await helpText(SPEC, "run"), stderr: "" });
});

Deno.test("dollama without a command prints the help on stderr and exits 1", async () => {
  assertEquals(await runCli([]), {
    code: 1,
    stdout: "",
    stderr: `${TOP_HELP}Error: a command is required\n`,
  });
});

Deno.test("dollama --version upgrade asks for the release the flag should name", async () => {
  const io = testIo({
    // Should the check ever let this through, the upgrade finds no server and no binary.
    env: { DOLLAMA_DOWNLOAD_URL: "http://127.0.0.1:9", DOLLAMA_UPGRADE_TARGET: "/nonexistent" },
  });
  const err = await assertRejects(
    () => runProgram(["--version", "upgrade"], io, new AbortController().signal),
  );
  assert(err instanceof CliError, String(err));
  assertEquals(err.message, "option '--version <V>' argument missing");
  assertEquals(io.stdout.text + io.stderr.text, "");
});

Deno.test("dollama help -h is the help; any other flag after help is named as unknown", async () => {
  assertEquals(await runCli(["help", "-h"]), { code: 0, stdout: TOP_HELP, stderr: "" });
  const run = await runCli(["help", "run", "--help"]);
  assertEquals(run, { code: 0, stdout: await helpText(SPEC, "run"), stderr: "" });
  for (const args of [["help", "-v"], ["-v", "help"], ["help", "run", "--verbose"]]) {
    assertEquals(await runCli(args), {
      code: 1,
      stdout: "",
      stderr: `Error: unknown option '${args.find((a) => a.startsWith("-"))}'\n`,
    }, args.join(" "));
  }
});

/** The help screen as printed to a terminal `columns` wide. */
async function helpAt(columns: number, command?: string): Promise<string> {
  let out = "";
  const handlers: Record<string, Handlers<CliSpec>[string]> = {};
  for (const c of COMMANDS) handlers[c.name] = () => Promise.resolve();
  const program = buildProgram(DOLLAMA, handlers, {
    writeOut: (s) => out += s,
    writeErr: (s) => out += s,
    outColumns: () => columns,
  });
  await assertRejects(() =>
    program.parseAsync(command ? [command, "--help"] : ["--help"], {
      from: "user",
    })
  );
  return out;
}

/** The lines allowed to be wider than the terminal: usage, and example commands (copyable). */
function mayOverflow(line: string, help: string): boolean {
  const examples = help.split(/^Examples:$/m)[1] ?? "";
  return line.startsWith("Usage: ") || (line.startsWith("    ") && examples.includes(line));
}

for (const columns of [60, 100, 132, 200]) {
  Deno.test(`help on a ${columns}-column terminal fills it, whole words, nothing cut`, async () => {
    for (const screen of [undefined, ...COMMANDS.map((c) => c.name)]) {
      const help = await helpAt(columns, screen);
      const longest = Math.max(...help.split("\n").map((l) => mayOverflow(l, help) ? 0 : l.length));
      assert(longest <= columns, `${screen}: a line of ${longest} columns:\n${help}`);
      // The same words as at 80 columns, only wrapped differently.
      const words = (text: string) => text.replace(/\s+/g, " ");
      assertEquals(words(help), words(await helpText(SPEC, screen)));
    }
  });
}

Deno.test("help wider than 80 columns puts each description on one line", async () => {
  const help = await helpAt(132);
  assert(help.includes(`\n${SPEC.description}\n`), help);
  assert(
    help.includes(
      "  completion <SHELL>                 Print a shell completion script (bash, zsh or fish)\n",
    ),
  );
});

Deno.test("help on a narrow terminal puts each description under its term", async () => {
  assertEquals(
    await helpAt(36, "upgrade"),
    `Usage: dollama upgrade [options] [VERSION]

Replace this dollama binary with the
newest release (or --version V)

Arguments:
  VERSION
      Release to install, e.g.
      v0.2.0 (same as --version)

Options:
  --version <V>
      Install this release instead
      of the newest, e.g. v0.2.0
  -h, --help
      Show help for the command

Environment Variables:
  HTTPS_PROXY
      Proxy for https:// requests
  HTTP_PROXY
      Proxy for http:// requests
  NO_PROXY
      Hosts to reach without a proxy
  DOLLAMA_DOWNLOAD_URL
      Releases base URL (default:
      GitHub releases)
`,
  );
});

Deno.test("run --help ends with examples, each command whole on its own line", async () => {
  const help = await helpText(SPEC, "run");
  const run = COMMANDS.find((c) => c.name === "run")!;
  assert((run.examples ?? []).length >= 5, "run has examples");
  const section = help.split(/^Examples:$/m)[1];
  assertEquals(
    section,
    "\n" + run.examples!.map((e) => `  ${e.description}\n    ${e.command}\n`).join(""),
  );
  for (const command of DOLLAMA.commands) {
    for (const e of command.examples ?? []) {
      assert(e.command.length <= 76, `fits 80 columns: ${e.command}`);
      assert(e.command.startsWith("dollama ") || e.command.includes("| dollama "), e.command);
    }
  }
});

Deno.test("dollama --help on a 60-column terminal is wrapped to 60 columns", async () => {
  const term = await startDollama(["run", "--help"], { cols: 60, rows: 120 });
  try {
    assertEquals(await term.waitForExit(), 0);
    // -J joins rows the terminal wrapped itself: a line wider than 60 would show here whole.
    const out = await new Deno.Command("tmux", {
      args: ["-L", term.socket, "capture-pane", "-p", "-J", "-S", "-", "-t", term.target],
      stdout: "piped",
    }).output();
    const screen = new TextDecoder().decode(out.stdout);
    assertStringIncludes(screen, "Usage: dollama run [options] <MODEL> [PROMPT...]\n");
    assertStringIncludes(screen, "  MODEL                      Model to run, e.g. llama3.2 or\n");
    for (const line of screen.split("\n")) {
      assert(line.length <= 60 || mayOverflow(line, screen), `${line.length} columns: ${line}`);
    }
  } finally {
    await term.kill();
  }
});

Deno.test("dollama help names an unknown command instead of printing the whole help", async () => {
  assertEquals(await runCli(["help", "nosuch"]), {
    code: 1,
    stdout: "",
    stderr: "Error: unknown command 'nosuch' (see dollama help)\n",
  });
  assertEquals(await runCli(["help", "help"]), { code: 0, stdout: TOP_HELP, stderr: "" });
  assertEquals((await runCli(["help", "ls"])).code, 0);
});
