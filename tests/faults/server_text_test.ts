/**
 * Server-supplied text is made harmless before it reaches a terminal or an error line
 * (docs/reliability.md, Server text). These run through pipes: tables and error lines are
 * sanitised whatever the destination; data a pipe carries (`show --license`) stays byte-exact.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { answer, assertHarmless, assertOneErrorLine, dollama, withFaults } from "./helpers.ts";

/** OSC 0 retitles the terminal, OSC 52 writes the clipboard (`rm -rf ~`, base64). */
const TITLE = "\x1b]0;pwned\x07";
const CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4=\x07";
const SHOWN_TITLE = "\u241b]0;pwned\u2407";
const SHOWN_CLIPBOARD = "\u241b]52;c;cm0gLXJmIH4=\u2407";
/** A right-to-left override, which makes following text read backwards. */
const RLO = "\u202e";

Deno.test("list handles a model name with OSC 0 and OSC 52 by showing them inert", async () => {
  await withFaults({
    "GET /api/tags": (c) =>
      c.json(200, {
        models: [{ name: `evil${TITLE}${CLIPBOARD}`, digest: `ab\x9bcd${RLO}`, size: 1 }],
      }),
  }, async (server) => {
    const result = await dollama(server, ["list"]);
    assertEquals(result.code, 0);
    assertHarmless(result.stdout, "stdout");
    assertStringIncludes(result.stdout, `evil${SHOWN_TITLE}${SHOWN_CLIPBOARD}`);
    assertStringIncludes(result.stdout, "ab\ufffdcd\ufffd");
  });
});

Deno.test("ps handles escape sequences in a running model's name and digest", async () => {
  await withFaults({
    "GET /api/ps": (c) =>
      c.json(200, {
        models: [{ name: `m${TITLE}`, digest: `\x1b[2J${RLO}`, size: 1, size_vram: 1 }],
      }),
  }, async (server) => {
    const result = await dollama(server, ["ps"]);
    assertEquals(result.code, 0);
    assertHarmless(result.stdout, "stdout");
    assertStringIncludes(result.stdout, `m${SHOWN_TITLE}`);
    assertStringIncludes(result.stdout, "\u241b[2J\ufffd");
  });
});

const EVIL_SHOW = {
  capabilities: ["completion", `tools${TITLE}`],
  details: { family: "llama", parameter_size: `3B${CLIPBOARD}`, quantization_level: `Q4${RLO}` },
  model_info: { "general.architecture": `llama${TITLE}`, [`key${TITLE}`]: `v${CLIPBOARD}` },
  parameters: `stop "${TITLE}"`,
  system: `be nice${CLIPBOARD}`,
  license: `MIT${TITLE}\nline two${RLO}`,
  template: `{{ .Prompt }}${TITLE}`,
  modelfile: `FROM x${CLIPBOARD}`,
  tensors: [{ name: `t${TITLE}`, type: "F32", shape: [1] }],
};

Deno.test("show handles escape sequences in every table it prints, --verbose included", async () => {
  await withFaults({ "POST /api/show": (c) => c.json(200, EVIL_SHOW) }, async (server) => {
    for (const args of [["show", "m"], ["show", "m", "--verbose"]]) {
      const result = await dollama(server, args);
      assertEquals(result.code, 0, result.stderr);
      assertHarmless(result.stdout, args.join(" "));
      assertStringIncludes(result.stdout, `tools${SHOWN_TITLE}`);
      assertStringIncludes(result.stdout, `MIT${SHOWN_TITLE}`);
    }
  });
});

Deno.test("show handles a field flag on a pipe by writing the server's bytes unchanged", async () => {
  await withFaults({ "POST /api/show": (c) => c.json(200, EVIL_SHOW) }, async (server) => {
    const expected: Record<string, string> = {
      license: `${EVIL_SHOW.license}\n`,
      modelfile: `${EVIL_SHOW.modelfile}\n`,
      parameters: `${EVIL_SHOW.parameters}\n`,
      system: EVIL_SHOW.system,
      template: EVIL_SHOW.template,
    };
    for (const [field, bytes] of Object.entries(expected)) {
      const result = await dollama(server, ["show", "m", `--${field}`]);
      assertEquals([result.code, result.stdout], [0, bytes], field);
    }
  });
});

Deno.test("an HTTP error body with escape sequences gives a harmless error line", async () => {
  await withFaults({
    "POST /api/show": (c) => c.json(500, { error: `boom${TITLE}${RLO}` }),
  }, async (server) => {
    const result = await dollama(server, ["show", "m"]);
    assertOneErrorLine(result, `boom${SHOWN_TITLE}\ufffd`);
  });
});

Deno.test("a mid-stream error with escape sequences gives a harmless error line", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.ndjson([{ model: "m", response: "partial", done: false }, { error: `x${CLIPBOARD}` }]),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals(result.stdout, "partial");
    assertOneErrorLine(result, `x${SHOWN_CLIPBOARD}`);
  });
});

Deno.test("a stream line that is not JSON gives a harmless error line", async () => {
  await withFaults({
    "POST /api/generate": (c) => c.chunked(200, [`oops${TITLE}\n`]),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertOneErrorLine(result, `oops${SHOWN_TITLE}`);
  });
});

Deno.test("a sign-in URL with escape sequences gives a harmless error line", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.json(401, { error: "unauthorized", signin_url: `https://x${CLIPBOARD}` }),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertOneErrorLine(
      result,
      `you need to be signed in to Ollama to use this model; sign in at https://x${SHOWN_CLIPBOARD}`,
    );
  });
});

Deno.test("pull handles escape sequences in status lines and in its error", async () => {
  await withFaults({
    "POST /api/pull": (c) =>
      c.ndjson([{ status: `pulling manifest${TITLE}` }, { error: `denied${CLIPBOARD}` }]),
  }, async (server) => {
    const result = await dollama(server, ["pull", "m"]);
    assertEquals(result.code, 1);
    assertHarmless(result.stderr, "stderr");
    assertEquals(
      result.stderr,
      `pulling manifest${SHOWN_TITLE}\nError: denied${SHOWN_CLIPBOARD}\n`,
    );
  });
});

Deno.test("run handles model output on a pipe by keeping its bytes, escapes included", async () => {
  await withFaults({
    "POST /api/generate": (c) => c.ndjson(answer(`raw${TITLE}\x00`)),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals([result.code, result.stdout, result.stderr], [0, `raw${TITLE}\x00\n`, ""]);
  });
});

Deno.test("--version shows the server's version on one line, its escape sequences inert", async () => {
  await withFaults({
    "GET /api/version": (c) =>
      c.json(200, { version: `0.1${TITLE}${CLIPBOARD}\x9b${RLO}\nError: x` }),
  }, async (server) => {
    const result = await dollama(server, ["--version"]);
    assertEquals(result.code, 0);
    assertHarmless(result.stdout, "stdout");
    assertEquals(
      result.stdout.split("\n")[1],
      "ollama server version is 0.1\\x1b]0;pwned\\x07\\x1b]52;c;cm0gLXJmIH4=\\x07\\x9b\\u202e\\nError: x",
    );
    assertEquals(result.stdout.split("\n").length, 3);
  });
});
