import { assertEquals, errorOf } from "../support/assert.ts";
import { envBool, readConfig } from "../../lib/cli/config.ts";
import {
  noEffectWarnings,
  parseFormat,
  parseKeepAlive,
  parseParameterFlags,
  parseThink,
  readFlagFiles,
  resolveRunOptions,
  type RunFlags,
  textOrFile,
} from "../../lib/commands/run_options.ts";
import { assemblePrompt, modelSource } from "../../lib/commands/run.ts";
import { inferThink, isMultimodal } from "../../lib/api/capabilities.ts";
import { baseEnv, dollamaCommand, runCli } from "../support/cli.ts";

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

Deno.test("parseParameterFlags() takes /set parameter's names, types and messages", () => {
  assertEquals(
    parseParameterFlags(["seed=42", "temperature=0.5", "stop=<|end|>", "stop=###", "use_mmap=f"]),
    { seed: 42, temperature: 0.5, stop: ["<|end|>", "###"], use_mmap: false },
  );
  // A value may contain '='; a repeated name other than stop keeps the last value.
  assertEquals(parseParameterFlags(["stop=a=b", "top_k=1", "top_k=2"]), {
    stop: ["a=b"],
    top_k: 2,
  });
  assertEquals(parseParameterFlags([]), {});
  assertEquals(
    errorOf(() => parseParameterFlags(["seed=abc"])),
    'invalid value for --parameter "seed=abc": invalid int value [abc]',
  );
  assertEquals(
    errorOf(() => parseParameterFlags(["top_p=high"])),
    'invalid value for --parameter "top_p=high": invalid float value [high]',
  );
  assertEquals(
    errorOf(() => parseParameterFlags(["colour=red"])),
    "invalid value for --parameter \"colour=red\": unknown parameter 'colour'",
  );
  assertEquals(
    errorOf(() => parseParameterFlags(["seed"])),
    'invalid value for --parameter: "seed" (use KEY=VALUE, e.g. seed=42)',
  );
  assertEquals(
    errorOf(() => parseParameterFlags(["=5"])),
    'invalid value for --parameter: "=5" (use KEY=VALUE, e.g. seed=42)',
  );
});

Deno.test("parseKeepAlive() takes Go durations, bare seconds, and negatives as -1", () => {
  assertEquals(parseKeepAlive("5m"), "5m0s");
  assertEquals(parseKeepAlive("0"), "0s");
  assertEquals(parseKeepAlive("300"), 300);
  assertEquals(parseKeepAlive("2.5"), 2.5);
  assertEquals(parseKeepAlive("-1"), -1);
  assertEquals(parseKeepAlive("-30"), -1);
  assertEquals(parseKeepAlive("-5m"), -1);
  assertEquals(errorOf(() => parseKeepAlive("10x")), 'time: unknown unit "x" in duration "10x"');
  assertEquals(errorOf(() => parseKeepAlive("1.2.3")), 'time: missing unit in duration "1.2.3"');
  assertEquals(errorOf(() => parseKeepAlive("abc")), 'time: invalid duration "abc"');
});

Deno.test("textOrFile() reads @FILE, keeps other text, and names the flag on errors", () => {
  const files: Record<string, string> = { "prompt.txt": "Be brief." };
  const read = (path: string) => {
    if (path in files) return files[path];
    throw new Deno.errors.NotFound(`No such file: ${path}`);
  };
  assertEquals(textOrFile("system", "@prompt.txt", read), "Be brief.");
  assertEquals(textOrFile("system", "Be kind.", read), "Be kind.");
  assertEquals(textOrFile("system", "@@handle", read), "@handle");
  assertEquals(
    errorOf(() => textOrFile("system", "@missing.txt", read)),
    'invalid value for --system: cannot read "missing.txt": no such file',
  );
  assertEquals(
    errorOf(() => textOrFile("format", "@", read)),
    'invalid value for --format: "@" needs a file name',
  );
});

Deno.test("parseFormat() reads a schema from @FILE and checks it like an inline one", () => {
  const files: Record<string, string> = {
    "schema.json": '{"type":"object","properties":{"age":{"type":"integer"}}}\n',
    "list.json": "[1]",
  };
  const read = (path: string) =>
    files[path] ?? (() => {
      throw new Deno.errors.NotFound(path);
    })();
  assertEquals(parseFormat("@schema.json", read), {
    type: "object",
    properties: { age: { type: "integer" } },
  });
  assertEquals(
    errorOf(() => parseFormat("@list.json", read)),
    "invalid value for --format: use json or a JSON schema object",
  );
  assertEquals(
    errorOf(() => parseFormat("@nope.json", read)),
    'invalid value for --format: cannot read "nope.json": no such file',
  );
});

Deno.test("resolveRunOptions() handles the scripting flags", () => {
  const read = (path: string) => `text of ${path}`;
  const options = resolveRunOptions({
    parameter: ["num_ctx=4096", "stop=END"],
    system: "@sys.txt",
    noStream: true,
    lines: true,
    verbose: "json",
    keepalive: "120",
  }, read);
  assertEquals(options.parameters, { num_ctx: 4096, stop: ["END"] });
  assertEquals(options.system, "text of sys.txt");
  assertEquals([options.noStream, options.lines, options.verbose, options.verboseJson], [
    true,
    true,
    true,
    true,
  ]);
  assertEquals(options.keepAlive, 120);
  const plain = resolveRunOptions({ verbose: true });
  assertEquals([plain.verbose, plain.verboseJson, plain.noStream, plain.lines], [
    true,
    false,
    false,
    false,
  ]);
  assertEquals([plain.parameters, plain.system], [{}, undefined]);
});

Deno.test("noEffectWarnings() names each flag that changes nothing, once", () => {
  const chat = { model: "llama3", embedding: false, interactive: false };
  assertEquals(noEffectWarnings({}, chat), []);
  assertEquals(noEffectWarnings({ experimentalYolo: true, experimentalWebsearch: true }, chat), [
    "--experimental-yolo has no effect without --experimental",
    "--experimental-websearch has no effect without --experimental",
  ]);
  assertEquals(noEffectWarnings({ experimental: true, experimentalYolo: true }, chat), [
    "--experimental has no effect in a one-shot run (the agent needs the chat)",
  ]);
  assertEquals(noEffectWarnings({ experimental: true }, { ...chat, interactive: true }), []);
  assertEquals(noEffectWarnings({ truncate: false, dimensions: 8, lines: true }, chat), [
    '--truncate has no effect: "llama3" is not an embedding model',
    '--dimensions has no effect: "llama3" is not an embedding model',
    '--lines has no effect: "llama3" is not an embedding model',
  ]);
  const embedding = { model: "minilm", embedding: true, interactive: false };
  assertEquals(noEffectWarnings({ truncate: true, lines: true, dimensions: 4 }, embedding), []);
  assertEquals(noEffectWarnings({ experimental: true }, embedding), [
    '--experimental has no effect: "minilm" is an embedding model',
  ]);
  assertEquals(noEffectWarnings({ think: "high", system: "x", noStream: true }, embedding), [
    '--think has no effect: "minilm" is an embedding model',
    '--system has no effect: "minilm" is an embedding model',
    '--no-stream has no effect: "minilm" is an embedding model',
  ]);
  const shown = { interactive: true, hidethinking: true, nowordwrap: true, verbose: true } as const;
  assertEquals(noEffectWarnings({ ...shown, nohistory: true }, embedding), [
    '--nohistory has no effect: "minilm" is an embedding model',
    '--interactive has no effect: "minilm" is an embedding model',
    '--hidethinking has no effect: "minilm" is an embedding model',
    '--nowordwrap has no effect: "minilm" is an embedding model',
    '--verbose has no effect: "minilm" is an embedding model',
  ]);
  // Switched off, they are no flags to warn about.
  assertEquals(noEffectWarnings({ hidethinking: false, nowordwrap: false }, embedding), []);
});

Deno.test("RunFlags types the new flags from the spec", () => {
  const flags: RunFlags = { parameter: ["seed=1"], verbose: "json", noStream: true, lines: true };
  const on: RunFlags = { verbose: true };
  // @ts-expect-error: --verbose names only json besides on
  const badVerbose: RunFlags = { verbose: "yaml" };
  // @ts-expect-error: --parameter is repeatable, so a list
  const badParameter: RunFlags = { parameter: "seed=1" };
  assertEquals([flags, on, badVerbose, badParameter].length, 4);
  assertEquals(resolveRunOptions(flags).parameters, { seed: 1 });
});

Deno.test("readFlagFiles() reads --system and --format files ahead, bounded, failures kept", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/system.txt`, "Be brief.");
    await Deno.writeTextFile(`${dir}/big.txt`, "x".repeat(11));
    const read = await readFlagFiles(
      { system: `@${dir}/system.txt`, format: `@${dir}/big.txt` },
      new AbortController().signal,
      10,
    );
    assertEquals(textOrFile("system", `@${dir}/system.txt`, read), "Be brief.");
    assertEquals(
      errorOf(() => textOrFile("format", `@${dir}/big.txt`, read)),
      `invalid value for --format: cannot read "${dir}/big.txt": it is larger than ${
        10 / (1024 * 1024)
      } MB`,
    );
    const missing = await readFlagFiles({ system: `@${dir}/none` }, new AbortController().signal);
    assertEquals(
      errorOf(() => textOrFile("system", `@${dir}/none`, missing)),
      `invalid value for --system: cannot read "${dir}/none": no such file`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--system @/dev/zero is refused, not read until memory runs out", async () => {
  const result = await runCli(["run", "m", "hi", "--system", "@/dev/zero"], {
    host: "127.0.0.1:9",
  });
  assertEquals(result, {
    code: 1,
    stdout: "",
    stderr: 'Error: invalid value for --system: cannot read "/dev/zero": it is larger than 16 MB\n',
  });
});

Deno.test("Ctrl+C while --system @FIFO waits for a writer ends the run with status 130", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const fifo = `${dir}/fifo`;
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assertEquals(made.code, 0);
    const child = new Deno.Command(Deno.execPath(), {
      args: dollamaCommand(["run", "m", "hi", "--system", `@${fifo}`]),
      env: baseEnv({ OLLAMA_HOST: "127.0.0.1:9" }),
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Opening the FIFO to write waits for dollama to open it to read; then its read waits for
    // data that never comes.
    using _writer = await Deno.open(fifo, { write: true });
    child.kill("SIGINT");
    // A guard, not a measure: a read that Ctrl+C cannot end would otherwise hang the test.
    const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
    const out = await child.output();
    clearTimeout(guard);
    assertEquals([out.code, new TextDecoder().decode(out.stderr)], [130, ""]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
