import { assertEquals } from "../support/assert.ts";
import { normalizeArgv } from "../../lib/cli/argv.ts";

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
];

for (const [input, expected] of cases) {
  Deno.test(`normalizeArgv() handles ${input.slice(2).join(" ")}`, () => {
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
});
