/**
 * The command line's fast path against commander: wherever the fast path answers, commander
 * (built from the same spec) must call the same handler with the same arguments and flags.
 */
import fc from "fast-check";
import { assertEquals } from "../support/assert.ts";
import { parse } from "./harness.ts";
import { normalizeArgv } from "../../lib/cli/argv.ts";
import { parsePlainCommandLine } from "../../lib/cli/fast_argv.ts";
import { type CliSpec, type FlagSpec, SPEC } from "../../lib/cli/spec.ts";

const spec: CliSpec = SPEC;

/** The fast path's answer for what the user typed, or undefined if it declines (or argv fails). */
function fast(argv: string[]) {
  let normalized: string[];
  try {
    normalized = normalizeArgv(argv, SPEC);
  } catch {
    return undefined;
  }
  return parsePlainCommandLine(normalized, SPEC);
}

async function commander(argv: string[]) {
  const parsed = await parse(SPEC, argv);
  if (parsed.error !== undefined || parsed.calls.length !== 1) {
    return { error: String(parsed.error), calls: parsed.calls.length };
  }
  const [call] = parsed.calls;
  return { command: call.command, args: call.args, flags: call.flags, root: call.root };
}

async function assertSame(argv: string[]): Promise<boolean> {
  const answer = fast(argv);
  if (answer === undefined) return false;
  assertEquals(await commander(argv), { ...answer, root: {} }, JSON.stringify(argv));
  return true;
}

Deno.test("the fast path answers plain command lines exactly as commander does", async () => {
  const plain = [
    ["run", "m"],
    ["run", "m", "hi"],
    ["run", "m", "why", "is", "the", "sky", "blue"],
    ["run", "m", "--verbose", "hi", "--nowordwrap"],
    ["run", "m", "--verbose=json", "hi"],
    ["run", "m", "--format", "json", "--keepalive", "5m", "hi"],
    ["run", "m", "--format=json", "--dimensions", "64", "text"],
    ["run", "m", "--think", "high", "hi"],
    ["run", "m", "--think", "why"],
    ["run", "m", "--think=false", "--hidethinking"],
    ["run", "m", "--truncate=false", "text"],
    ["run", "m", "--no-truncate", "text"],
    ["run", "m", "-i", "hi"],
    ["run", "m", "--", "--verbose", "-i"],
    ["pull", "m", "--insecure"],
    ["show", "m", "--modelfile"],
    ["show", "m", "-v"],
    ["list"],
    ["ls", "qw"],
    ["ps"],
    ["stop", "m"],
    ["completion", "bash"],
    ["upgrade", "--version", "0.2.0"],
  ];
  for (const argv of plain) assertEquals(await assertSame(argv), true, JSON.stringify(argv));
});

Deno.test("the fast path leaves help, root flags and anything unusual to commander", () => {
  const unusual = [
    [],
    ["--help"],
    ["-v"],
    ["--version", "upgrade"],
    ["help", "run"],
    ["run"],
    ["run", "-h"],
    ["run", "m", "--help"],
    ["run", "m", "--unknown"],
    ["run", "m", "-p", "seed=1", "-p", "top_k=2", "hi"],
    ["run", "m", "-x"],
    ["run", "m", "-iv"],
    ["run", "m", "-"],
    ["run", "m", "--keepalive", "-1"],
    ["run", "m", "--format"],
    ["run", "m", "--dimensions", "many"],
    ["run", "m", "--verbose=maybe"],
    ["pull", "a", "b"],
    ["nonsense"],
  ];
  for (const argv of unusual) assertEquals(fast(argv), undefined, JSON.stringify(argv));
});

/** Words a command line is made of: commands, every flag in every form, values, prompt text. */
const WORDS = [
  ...spec.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]),
  ...spec.commands.flatMap((c): readonly FlagSpec[] => c.flags).flatMap((f) => [
    `--${f.long}`,
    `--no-${f.long}`,
    `--${f.long}=`,
    `--${f.long}=true`,
    `--${f.long}=false`,
    `--${f.long}=json`,
    ...(f.short ? [`-${f.short}`, `-${f.short}=false`, `-${f.short}=true`] : []),
  ]),
  "-ic",
  "-pseed=1",
  "-v",
  "-h",
  "--help",
  "--",
  "-",
  "-1",
  "5m",
  "64",
  "json",
  "high",
  "true",
  "m",
  "qwen3:8b",
  "hello",
  "",
  "bash",
];

Deno.test("property: wherever the fast path answers, commander gives the same call", async () => {
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...spec.commands.map((c) => c.name), "ls"),
      fc.array(
        // Plain words weigh more, so that many lines are plain enough for the fast path.
        fc.oneof(
          { arbitrary: fc.constantFrom(...WORDS), weight: 2 },
          { arbitrary: fc.constantFrom("m", "hello", "json", "5m", "64", "high"), weight: 1 },
        ),
        { maxLength: 7 },
      ),
      async (command, rest) => {
        if (await assertSame([command, ...rest])) answered++;
      },
    ),
    { numRuns: 1500 },
  );
  // The property would hold vacuously if the fast path declined everything.
  assertEquals(answered > 100, true, `only ${answered} command lines took the fast path`);
});
