/** Flag values as the parser built from the spec turns them into typed values, or rejects them. */
import { assertEquals, errorOf } from "../support/assert.ts";
import { parse } from "./harness.ts";
import { parseFlagValue } from "../../lib/cli/commander.ts";
import { type FlagSpec, SPEC } from "../../lib/cli/spec.ts";

const COUNT: FlagSpec = {
  long: "count",
  description: "",
  value: { kind: "whole", placeholder: "n" },
};
const SIDE: FlagSpec = {
  long: "side",
  description: "",
  value: { kind: "choice", placeholder: "side", values: ["left", "right", "up"] },
};
const LEVEL: FlagSpec = {
  long: "level",
  description: "",
  value: { kind: "optional", placeholder: "level", values: ["on", "off"], implied: "on" },
};
const NAME: FlagSpec = {
  long: "name",
  description: "",
  value: { kind: "string", placeholder: "name" },
};

Deno.test("parseFlagValue() handles whole numbers, value sets, optional values and text", () => {
  assertEquals(parseFlagValue(COUNT, "42"), 42);
  assertEquals(
    errorOf(() => parseFlagValue(COUNT, "-1")),
    'invalid value "-1" for --count (must be a whole number)',
  );
  assertEquals(parseFlagValue(SIDE, "up"), "up");
  assertEquals(
    errorOf(() => parseFlagValue(SIDE, "")),
    'invalid value for --side: "" (must be left, right, or up)',
  );
  assertEquals(parseFlagValue(LEVEL, "off"), "off");
  assertEquals(parseFlagValue(LEVEL, ""), "on");
  assertEquals(
    errorOf(() => parseFlagValue(LEVEL, "dim")),
    'invalid value for --level: "dim" (must be on or off)',
  );
  assertEquals(parseFlagValue(NAME, ""), "");
});

Deno.test("run's flags arrive typed: --think= is --think, -i is interactive, --no-truncate", async () => {
  const parsed = await parse(SPEC, [
    "run",
    "m",
    "--think=",
    "-i",
    "--truncate=false",
    "--dimensions=8",
    "--keepalive",
    "5m",
  ]);
  assertEquals(parsed.error, undefined);
  assertEquals(parsed.calls[0].flags, {
    think: "true",
    interactive: true,
    truncate: false,
    dimensions: 8,
    keepalive: "5m",
  });
  assertEquals(parsed.calls[0].args, ["m", []]);
});
