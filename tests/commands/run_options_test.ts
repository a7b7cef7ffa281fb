import { assertEquals } from "../support/assert.ts";
import { envBool, readConfig } from "../../lib/cli/config.ts";
import { parseFormat, parseThink, resolveRunOptions } from "../../lib/commands/run_options.ts";
import { assemblePrompt, modelSource } from "../../lib/commands/run.ts";
import { inferThink, isMultimodal } from "../../lib/api/capabilities.ts";

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return "(no error)";
}

Deno.test("parseThink() handles every accepted value and rejects others", () => {
  assertEquals(parseThink("true"), true);
  assertEquals(parseThink(""), true);
  assertEquals(parseThink("false"), false);
  assertEquals(parseThink("high"), "high");
  assertEquals(parseThink("max"), "max");
  assertEquals(
    errorOf(() => parseThink("extreme")),
    'invalid value for --think: "extreme" (must be true, false, high, medium, low, or max)',
  );
});

Deno.test("parseFormat() handles json, a schema, and rejects what is neither", () => {
  assertEquals(parseFormat("json"), "json");
  assertEquals(parseFormat('{"type":"object"}'), { type: "object" });
  assertEquals(parseFormat(""), undefined);
  assertEquals(
    errorOf(() => parseFormat("[1]")),
    "invalid value for --format: use json or a JSON schema object",
  );
});

Deno.test("envBool() handles Go's rules: empty false, unknown words true", () => {
  assertEquals(envBool(undefined), false);
  assertEquals(envBool(""), false);
  assertEquals(envBool("0"), false);
  assertEquals(envBool(" 'false' "), false);
  assertEquals(envBool("1"), true);
  assertEquals(envBool("yes"), true);
});

Deno.test("resolveRunOptions() handles defaults and flags; readConfig() the environment", () => {
  const defaults = resolveRunOptions({});
  assertEquals(defaults.wordWrap, true);
  assertEquals(defaults.think, undefined);
  assertEquals(defaults.keepAlive, undefined);
  assertEquals(readConfig(() => undefined).noHistory, false);
  const set = resolveRunOptions(
    { nowordwrap: true, keepalive: "-5m", think: "low", dimensions: 0 },
  );
  assertEquals(set.wordWrap, false);
  assertEquals(set.keepAlive, -1);
  assertEquals(set.think, "low");
  assertEquals(set.dimensions, undefined);
  assertEquals(readConfig((name) => name === "OLLAMA_NOHISTORY" ? "1" : undefined).noHistory, true);
});

Deno.test("assemblePrompt() handles stdin first, then the arguments", () => {
  assertEquals(assemblePrompt("", ["why", "is"]), "why is");
  assertEquals(assemblePrompt("hello\n", ["summarize"]), "hello\n summarize");
  assertEquals(assemblePrompt("only stdin", []), "only stdin");
  assertEquals(assemblePrompt("", []), "");
});

Deno.test("inferThink() handles explicit choices and the thinking capability", () => {
  assertEquals(inferThink(undefined, { capabilities: ["completion", "thinking"] }), true);
  assertEquals(inferThink(undefined, { capabilities: ["completion"] }), undefined);
  assertEquals(inferThink(false, { capabilities: ["thinking"] }), false);
  assertEquals(inferThink("high", {}), "high");
});

Deno.test("isMultimodal() handles capabilities, projectors and vision metadata", () => {
  assertEquals(isMultimodal({ capabilities: ["completion", "vision"] }), true);
  assertEquals(isMultimodal({ capabilities: ["audio"] }), true);
  assertEquals(isMultimodal({ projector_info: { "clip.has_vision_encoder": true } }), true);
  assertEquals(isMultimodal({ model_info: { "gemma3.vision.block_count": 27 } }), true);
  assertEquals(isMultimodal({ capabilities: ["completion"], model_info: {} }), false);
});

Deno.test("modelSource() handles cloud and local suffixes", () => {
  assertEquals(modelSource("llama3"), undefined);
  assertEquals(modelSource("llama3:8b"), undefined);
  assertEquals(modelSource("kimi:cloud"), "cloud");
  assertEquals(modelSource("gpt-oss:20b-cloud"), "cloud");
  assertEquals(modelSource("x:local"), "local");
  assertEquals(modelSource("host:5000/ns/model"), undefined);
  assertEquals(
    errorOf(() => modelSource("x:cloud:local")),
    "use either :local or :cloud, not both",
  );
});
