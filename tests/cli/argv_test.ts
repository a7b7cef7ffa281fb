import fc from "fast-check";
import { assertEquals, errorOf } from "../support/assert.ts";
import { parse } from "./harness.ts";
import { normalizeArgv } from "../../lib/cli/argv.ts";
import { acceptedFlags, flagKey, type FlagSpec, SPEC } from "../../lib/cli/spec.ts";

const cases: [string[], string[]][] = [
  [["run", "m", "--think"], ["run", "m", "--think=true"]],
  [["run", "m", "--think", "why", "is"], ["run", "m", "--think=true", "why", "is"]],
  [["run", "m", "--think", "high", "why"], ["run", "m", "--think=high", "why"]],
  [["run", "m", "--think", "false"], ["run", "m", "--think=false"]],
  [["run", "m", "--think=medium"], ["run", "m", "--think=medium"]],
  [["run", "m", "--think=bogus"], ["run", "m", "--think=bogus"]],
  [["run", "m", "--truncate=false"], ["run", "m", "--no-truncate"]],
  [["run", "m", "--truncate=true"], ["run", "m", "--truncate"]],
  [["run", "m", "--verbose=false", "hi"], ["run", "m", "hi"]],
  [["run", "m", "--verbose=1"], ["run", "m", "--verbose=true"]],
  [["run", "m", "--", "--think", "--verbose=false"], [
    "run",
    "m",
    "--",
    "--think",
    "--verbose=false",
  ]],
  [["run", "m", "--keepalive=5m"], ["run", "m", "--keepalive=5m"]],
  // The last occurrence of a boolean flag wins, as in pflag: `=false` drops the earlier ones.
  [["run", "m", "hi", "--verbose", "--verbose=false"], ["run", "m", "hi"]],
  [["run", "m", "--verbose=json", "hi", "--verbose=false"], ["run", "m", "hi"]],
  [["run", "m", "--verbose=false", "--verbose=json"], ["run", "m", "--verbose=json"]],
  [["run", "m", "--hidethinking", "--hidethinking=false"], ["run", "m"]],
  [["run", "m", "-c", "hi", "--continue=false"], ["run", "m", "hi"]],
  [["run", "m", "--nohistory", "--nohistory=0"], ["run", "m"]],
  [["run", "m", "--nohistory=false", "--nohistory"], ["run", "m", "--nohistory"]],
  [["run", "m", "--truncate", "--truncate=false"], ["run", "m", "--truncate", "--no-truncate"]],
  // A flag that takes a value takes the next word as it is, whatever it looks like.
  [["run", "m", "hi", "--system", "--verbose"], ["run", "m", "hi", "--system", "--verbose"]],
  [["run", "m", "--system", "--truncate", "false"], [
    "run",
    "m",
    "--system",
    "--truncate",
    "false",
  ]],
  [["run", "m", "--system", "--think", "high"], ["run", "m", "--system", "--think", "high"]],
  [["run", "m", "--keepalive", "--verbose"], ["run", "m", "--keepalive", "--verbose"]],
  [["run", "m", "--format", "--", "--verbose"], ["run", "m", "--format", "--", "--verbose=true"]],
  [["run", "m", "-p", "--think", "x"], ["run", "m", "-p", "--think", "x"]],
  [["run", "m", "--system"], ["run", "m", "--system"]],
  // Short flags as pflag reads them: `=VALUE`, several in one word, a value attached.
  [["run", "m", "-c=true", "hi"], ["run", "m", "-c", "hi"]],
  [["run", "m", "-i", "-i=false"], ["run", "m"]],
  [["run", "m", "-ic"], ["run", "m", "-i", "-c"]],
  [["run", "m", "-ic=false"], ["run", "m", "-i"]],
  [["run", "m", "-pseed=1"], ["run", "m", "-p", "seed=1"]],
  [["run", "m", "-p=seed=1"], ["run", "m", "-p", "seed=1"]],
  [["run", "m", "-ip", "seed=1"], ["run", "m", "-i", "-p", "seed=1"]],
  [["run", "m", "-p", "-c"], ["run", "m", "-p", "-c"]],
  [["run", "m", "-ix"], ["run", "m", "-i", "-x"]],
  [["run", "m", "-xi"], ["run", "m", "-xi"]],
  [["run", "m", "-"], ["run", "m", "-"]],
  [["show", "m", "-v=false"], ["show", "m"]],
  // Flags before the command are the command's, as cobra parses them.
  [["-v", "show", "m"], ["show", "-v", "m"]],
  [["--version", "run", "m", "hi"], ["run", "--version", "m", "hi"]],
  [["--version", "upgrade", "v1"], ["upgrade", "--version", "v1"]],
  [["-v", "--", "run"], ["-v", "--", "run"]],
  [["-v", "nosuch"], ["-v", "nosuch"]],
  // The program's own flags, alone.
  [["-vv"], ["-v", "-v"]],
  [["--version=true", "-v"], ["--version", "-v"]],
  [["-v", "--version=false"], []],
];

for (const [input, expected] of cases) {
  Deno.test(`normalizeArgv() handles ${input.join(" ")}`, () => {
    assertEquals(normalizeArgv(input), expected);
  });
}

Deno.test("normalizeArgv() handles a bad boolean value with a clear error", () => {
  let message = "";
  try {
    normalizeArgv(["run", "m", "--verbose=maybe"]);
  } catch (err) {
    message = (err as Error).message;
  }
  assertEquals(message, 'invalid value "maybe" for --verbose (must be true, false, or json)');
  assertEquals(
    errorOf(() => normalizeArgv(["run", "m", "-c=maybe"])),
    'invalid value "maybe" for -c (must be true or false)',
  );
  assertEquals(
    errorOf(() => normalizeArgv(["run", "m", "-ic="])),
    'invalid value "" for -c (must be true or false)',
  );
});

/** run's flags, typed as any flag so that every field can be read. */
const RUN_FLAGS: readonly FlagSpec[] = SPEC.commands.find((c) => c.name === "run")!.flags;

/** Every boolean flag and switch of every command, with the command naming it. */
const BOOLEANS: [string, FlagSpec][] = SPEC.commands.flatMap((c) =>
  acceptedFlags(c).filter((f) => f.value.kind === "boolean" || f.value.kind === "switch")
    .map((f): [string, FlagSpec] => [c.name, f])
);

Deno.test("every boolean flag: --flag then --flag=false is off, for commander", async () => {
  for (const [command, flag] of BOOLEANS.filter(([, f]) => f.long !== "help")) {
    const args = command === "run" || command === "show" || command === "pull" ? ["m"] : [];
    const forms = [`--${flag.long}`, ...(flag.short ? [`-${flag.short}`] : [])];
    for (const on of forms) {
      for (const off of [`--${flag.long}=false`, ...(flag.short ? [`-${flag.short}=false`] : [])]) {
        const parsed = await parse(SPEC, [command, ...args, on, off]);
        const label = `${command} ${on} ${off}`;
        assertEquals(parsed.error, undefined, label);
        const value = parsed.calls[0]?.flags[flagKey(flag.long)];
        assertEquals(value === undefined || value === false, true, `${label}: ${value}`);
      }
    }
  }
});

/** One way of writing a boolean flag on the command line, and the value it sets. */
const WRITINGS = (flag: FlagSpec): [string, boolean][] => [
  [`--${flag.long}`, true],
  [`--${flag.long}=true`, true],
  [`--${flag.long}=false`, false],
  [`--${flag.long}=1`, true],
  [`--${flag.long}=F`, false],
  ...(flag.short
    ? [[`-${flag.short}`, true], [`-${flag.short}=t`, true], [`-${flag.short}=0`, false]] as [
      string,
      boolean,
    ][]
    : []),
];

Deno.test("property: the last occurrence of a boolean flag decides its value", async () => {
  const flags = RUN_FLAGS.filter((f) => f.value.kind === "boolean" || f.value.kind === "switch");
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...flags).chain((flag) =>
        fc.tuple(
          fc.constant(flag),
          fc.array(fc.constantFrom(...WRITINGS(flag)), { minLength: 1, maxLength: 5 }),
        )
      ),
      async ([flag, writings]) => {
        const parsed = await parse(SPEC, ["run", "m", ...writings.map(([w]) => w), "hi"]);
        assertEquals(parsed.error, undefined);
        const value = parsed.calls[0].flags[flagKey(flag.long)];
        // A switch set on reads `true`; a negatable flag turned off reads `false`.
        assertEquals(value === true, writings.at(-1)![1], JSON.stringify(writings));
        assertEquals(parsed.calls[0].args, ["m", ["hi"]]);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("property: a flag that takes a value takes the next word exactly as typed", async () => {
  const text = RUN_FLAGS.filter((f) => f.value.kind === "string" || f.value.kind === "repeatable");
  const word = fc.oneof(
    fc.string(),
    fc.constantFrom(
      ...RUN_FLAGS.flatMap((f) => [`--${f.long}`, `--${f.long}=false`, `-${f.short ?? "c"}`]),
      "--",
      "-",
      "true",
      "false",
      "high",
    ),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...text), word, async (flag, value) => {
      for (const typed of [`--${flag.long}`, ...(flag.short ? [`-${flag.short}`] : [])]) {
        const parsed = await parse(SPEC, ["run", "m", typed, value, "hi"]);
        assertEquals(parsed.error, undefined, JSON.stringify([typed, value]));
        const got = parsed.calls[0].flags[flagKey(flag.long)];
        assertEquals(flag.value.kind === "repeatable" ? got : [got], [value]);
        assertEquals(parsed.calls[0].args, ["m", ["hi"]]);
      }
    }),
    { numRuns: 200 },
  );
});
