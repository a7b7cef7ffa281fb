/**
 * The help screens: generated from the spec, one layout, at most 80 columns, descriptions
 * wrapped between words, and the "Environment Variables:" section listing what the spec says.
 */
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { testIo } from "../support/test_io.ts";
import { helpText } from "./harness.ts";
import {
  acceptedFlags,
  type CliSpec,
  environmentFor,
  HELP_COMMAND,
  HELP_FLAG,
  SPEC,
} from "../../lib/cli/spec.ts";
import { CliError } from "../../lib/errors.ts";
import { runProgram } from "../../lib/program.ts";

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
  version                            Show version information (as --version)
  help [command]                     Help about any command

Environment Variables:
  OLLAMA_HOST                        Server address (default 127.0.0.1:11434)
  OLLAMA_API_KEY                     Sent as "Authorization: Bearer <key>"
  OLLAMA_NOHISTORY                   Do not preserve readline history
  OLLAMA_EDITOR                      Editor for editing the prompt (Ctrl+G)
  NO_COLOR                           Disable colours on a terminal
  HTTPS_PROXY                        Proxy for https:// requests
  HTTP_PROXY                         Proxy for http:// requests
  NO_PROXY                           Hosts to reach without a proxy
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

/** The names listed under "Environment Variables:". */
function environmentSection(help: string): string[] {
  const section = help.split(/^Environment Variables:$/m)[1] ?? "";
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
