/**
 * The command-line spec is the one source of the parser, the help and the completions: a flag
 * added to a copy of the spec shows up in all three, and the spec is consistent with itself.
 */
import { CommanderError } from "@commander-js/extra-typings";
import { assert, assertEquals, assertStringIncludes, messageOf } from "../support/assert.ts";
import { helpText, parse } from "./harness.ts";
import { normalizeArgv } from "../../lib/cli/argv.ts";
import { bashScript, fishScript, zshScript } from "../../lib/cli/completion.ts";
import {
  acceptedFlags,
  type CliSpec,
  commandNames,
  type EnvSpec,
  type FlagSpec,
  SPEC,
} from "../../lib/cli/spec.ts";
import { resolveRunOptions, type RunFlags } from "../../lib/commands/run_options.ts";
import { CliError } from "../../lib/errors.ts";

const COLOUR: FlagSpec = {
  long: "colour",
  description: "Paint the answer in one colour",
  value: { kind: "choice", placeholder: "name", values: ["red", "green"] },
};
const SPEAK: FlagSpec = {
  long: "speak-aloud",
  description: "Read the answer aloud",
  value: { kind: "boolean" },
};
const MOOD: FlagSpec = {
  long: "mood",
  description: "Answer in a mood",
  value: { kind: "optional", placeholder: "mood", values: ["calm", "loud"], implied: "calm" },
};
const VOICE: EnvSpec = {
  name: "DOLLAMA_VOICE",
  description: "The voice --speak-aloud uses",
  shownIn: ["run"],
  readBy: "config",
};

/** dollama's spec, seen as any spec (not as its literal types). */
const DOLLAMA: CliSpec = SPEC;

/** dollama's spec with three more flags on `run` and one more environment variable. */
const EXTENDED: CliSpec = {
  ...SPEC,
  commands: SPEC.commands.map((c) =>
    c.name === "run" ? { ...c, flags: [...c.flags, COLOUR, SPEAK, MOOD] } : c
  ),
  environment: [...SPEC.environment, VOICE],
};

Deno.test("a flag added to the spec is accepted by the parser, with its typed value", async () => {
  const argv = ["run", "m", "--colour", "green", "--speak-aloud=true", "--mood", "loud", "hi"];
  const parsed = await parse(EXTENDED, argv);
  assertEquals(parsed.error, undefined);
  assertEquals(parsed.calls, [{
    command: "run",
    args: ["m", ["hi"]],
    flags: { colour: "green", speakAloud: true, mood: "loud" },
    root: {},
  }]);
  // The optional value's rules come from the spec too: alone it is implied, a non-value word
  // stays prompt text, and false drops a boolean.
  const implied = await parse(EXTENDED, ["run", "m", "--mood", "why", "--speak-aloud=false"]);
  assertEquals(implied.calls[0].flags, { mood: "calm" });
  assertEquals(implied.calls[0].args, ["m", ["why"]]);
  // Without the spec's entry, the same command line is a usage error.
  const plain = await parse(SPEC, argv);
  assert(plain.error instanceof CommanderError, messageOf(plain.error));
  assertEquals(plain.error.message, "error: unknown option '--colour'");
  assertEquals(plain.calls, []);
});

Deno.test("a flag added to the spec rejects values outside its value set", async () => {
  const bad = await parse(EXTENDED, ["run", "m", "--colour", "blue", "hi"]);
  assert(bad.error instanceof CliError, messageOf(bad.error));
  assertEquals(bad.error.message, 'invalid value for --colour: "blue" (must be red or green)');
  const badMood = await parse(EXTENDED, ["run", "m", "--mood=sad"]);
  assertEquals(messageOf(badMood.error), 'invalid value for --mood: "sad" (must be calm or loud)');
  const badBool = await parse(EXTENDED, ["run", "m", "--speak-aloud=maybe"]);
  assert(badBool.error instanceof CliError, messageOf(badBool.error));
  assertEquals(
    badBool.error.message,
    'invalid value "maybe" for --speak-aloud (must be true or false)',
  );
  assertEquals([bad, badMood, badBool].flatMap((p) => p.calls), []);
});

Deno.test("a flag and a variable added to the spec are listed by help", async () => {
  const help = await helpText(EXTENDED, "run");
  assertStringIncludes(help, "\n  --colour <name>            Paint the answer in one colour\n");
  assertStringIncludes(help, "\n  --speak-aloud              Read the answer aloud\n");
  assertStringIncludes(help, "\n  --mood [mood]              Answer in a mood\n");
  assertStringIncludes(help, "\n  DOLLAMA_VOICE              The voice --speak-aloud uses\n");
  const plain = await helpText(SPEC, "run");
  for (const word of ["--colour", "--speak-aloud", "--mood", "DOLLAMA_VOICE"]) {
    assert(!plain.includes(word), word);
  }
});

/** COMPREPLY of the bash script for the words, the cursor on the last one. */
async function bashComplete(script: string, words: string[]): Promise<string[]> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const program = `${script}
COMP_WORDS=(${words.map(quote).join(" ")})
COMP_CWORD=${words.length - 1}
_dollama
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = await new Deno.Command("bash", {
    args: ["-c", program],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(new TextDecoder().decode(out.stderr), "");
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
}

Deno.test("a flag added to the spec is offered by the bash, zsh and fish scripts", async () => {
  const bash = bashScript(EXTENDED);
  assertEquals(await bashComplete(bash, ["dollama", "run", "--col"]), ["--colour"]);
  assertEquals(await bashComplete(bash, ["dollama", "run", "--colour", ""]), ["red", "green"]);
  assertEquals(await bashComplete(bash, ["dollama", "run", "--speak"]), ["--speak-aloud"]);
  assertEquals(await bashComplete(bash, ["dollama", "run", "--mood", "l"]), ["loud"]);
  assertEquals(await bashComplete(bashScript(SPEC), ["dollama", "run", "--col"]), []);

  const zsh = zshScript(EXTENDED);
  assertStringIncludes(zsh, "'--colour=[Paint the answer in one colour]:colour:(red green)'");
  assertStringIncludes(zsh, "'--speak-aloud[Read the answer aloud]'");
  assertStringIncludes(zsh, "'--mood=-[Answer in a mood]::mood:(calm loud)'");
  assert(!zshScript(SPEC).includes("--colour"));

  const fish = fishScript(EXTENDED);
  const run = "complete -c dollama -n '__fish_seen_subcommand_from run'";
  assertStringIncludes(
    fish,
    `${run} -l colour -x -a 'red green' -d 'Paint the answer in one colour'`,
  );
  assertStringIncludes(fish, `${run} -l speak-aloud -d 'Read the answer aloud'`);
  assertStringIncludes(fish, `${run} -l mood -x -a 'calm loud' -d 'Answer in a mood'`);
  assert(!fishScript(SPEC).includes("colour"));
});

Deno.test("the argv pre-pass takes its flags from the spec it is given", () => {
  assertEquals(normalizeArgv(["run", "m", "--speak-aloud=false"], EXTENDED), ["run", "m"]);
  assertEquals(normalizeArgv(["run", "m", "--speak-aloud=false"], SPEC), [
    "run",
    "m",
    "--speak-aloud=false",
  ]);
  assertEquals(normalizeArgv(["run", "m", "--mood"], EXTENDED), ["run", "m", "--mood=calm"]);
  assertEquals(normalizeArgv(["run", "m", "--mood"], SPEC), ["run", "m", "--mood"]);
});

Deno.test("the argv pre-pass reads the flags of the command it is given", () => {
  // `show --system` and `show --verbose` are booleans; run's are a text and a switch.
  assertEquals(normalizeArgv(["show", "m", "--verbose=false"]), ["show", "m"]);
  assertEquals(normalizeArgv(["show", "m", "--verbose"]), ["show", "m", "--verbose"]);
  assertEquals(normalizeArgv(["run", "m", "--verbose"]), ["run", "m", "--verbose=true"]);
  assertEquals(normalizeArgv(["show", "m", "--system=true"]), ["show", "m", "--system"]);
  assertEquals(normalizeArgv(["run", "m", "--system=false"]), ["run", "m", "--system=false"]);
  // Without a command, nothing is rewritten.
  assertEquals(normalizeArgv(["--verbose=false"]), ["--verbose=false"]);
});

Deno.test("the spec has no duplicate names", () => {
  const names = DOLLAMA.commands.flatMap(commandNames);
  assertEquals(names.length, new Set(names).size, names.join(" "));
  for (const command of DOLLAMA.commands) {
    const flags = acceptedFlags(command);
    const words = flags.flatMap((f) => [f.long, ...(f.short ? [f.short] : [])]);
    assertEquals(words.length, new Set(words).size, `${command.name}: ${words.join(" ")}`);
  }
  const env = DOLLAMA.environment.map((e) => e.name);
  assertEquals(env.length, new Set(env).size, env.join(" "));
});

Deno.test("the spec's arguments: only the first completes, only the last is variadic", () => {
  for (const command of DOLLAMA.commands) {
    command.args.forEach((arg, i) => {
      if (i > 0) assertEquals(arg.completes, "none", `${command.name} ${arg.name}`);
      if (arg.variadic) assertEquals(i, command.args.length - 1, `${command.name} ${arg.name}`);
    });
  }
});

Deno.test("RunFlags is typed from the spec's run entry", () => {
  const flags: RunFlags = {
    keepalive: "5m",
    think: "high",
    dimensions: 3,
    truncate: false,
    experimentalYolo: true,
  };
  // @ts-expect-error: "extreme" is not one of --think's values
  const badThink: RunFlags = { think: "extreme" };
  // @ts-expect-error: --dimensions is a whole number, parsed before the command sees it
  const badDimensions: RunFlags = { dimensions: "3" };
  // @ts-expect-error: run has no --license
  const unknown: RunFlags = { license: true };
  assertEquals([badThink, badDimensions, unknown].length, 3);
  const options = resolveRunOptions(flags);
  assertEquals(
    [options.think, options.dimensions, options.truncate, options.experimental.yolo],
    ["high", 3, false, true],
  );
});
