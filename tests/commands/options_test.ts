/**
 * `dollama run`'s scripting flags end to end: `--parameter`, `--system`, `--format @FILE`,
 * `--keepalive` numbers, `--truncate false`, `--verbose=json` and `--no-stream`, each checked on
 * the wire (the fake server's recorded requests) and on the CLI's output; their errors (one line,
 * exit 1, no request); the warnings for flags that change nothing; help lines and completions.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { runAgainst as run } from "../support/cli.ts";
import { closing } from "../support/closing.ts";
import { testIo, WriteLog } from "../support/test_io.ts";
import { runProgram } from "../../lib/program.ts";
import { bashScript, fishScript, zshScript } from "../../lib/cli/completion.ts";
import { SPEC } from "../../lib/cli/spec.ts";
import { helpText } from "../cli/harness.ts";
import { llama, qwen } from "../support/sky_models.ts";

const minilm = { name: "all-minilm:latest", capabilities: ["embedding"], embedding: [0.5, -0.25] };

function withServer(options: FakeOptions, fn: (server: FakeOllama) => Promise<void>) {
  return closing(new FakeOllama({ models: [llama, qwen, minilm], ...options }), fn);
}

function bodiesTo(server: FakeOllama, path: string) {
  return server.requestsTo(path).map((r) => r.body);
}

async function tempFile(text: string, suffix: string): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "dollama-options-", suffix });
  await Deno.writeTextFile(path, text);
  return path;
}

Deno.test("--parameter and --system are sent with the one-shot request", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, [
      "run",
      "llama3",
      "-p",
      "seed=42",
      "--parameter",
      "temperature=0.5",
      "-p",
      "stop=<|end|>",
      "-p",
      "stop=###",
      "--system",
      "Answer in one sentence.",
      "why",
    ]);
    assertEquals(result, { code: 0, stdout: `${llama.reply}\n`, stderr: "" });
    assertEquals(bodiesTo(server, "/api/generate"), [{
      model: "llama3",
      prompt: "why",
      system: "Answer in one sentence.",
      options: { seed: 42, temperature: 0.5, stop: ["<|end|>", "###"] },
    }]);
  });
});

Deno.test("--system @FILE and --format @FILE read the file", async () => {
  const system = await tempFile("You are terse.\nNo lists.\n", ".txt");
  const schema = await tempFile('{"type":"object","required":["age"]}', ".json");
  try {
    await withServer({}, async (server) => {
      const result = await run(server, [
        "run",
        "llama3",
        "--system",
        `@${system}`,
        "--format",
        `@${schema}`,
        "hi",
      ]);
      assertEquals(result.code, 0, result.stderr);
      assertEquals(bodiesTo(server, "/api/generate"), [{
        model: "llama3",
        prompt: "hi",
        system: "You are terse.\nNo lists.\n",
        options: {},
        format: { type: "object", required: ["age"] },
      }]);
    });
  } finally {
    await Deno.remove(system);
    await Deno.remove(schema);
  }
});

Deno.test("--keepalive: a bare number is seconds, any negative number keeps the model", async () => {
  await withServer({}, async (server) => {
    for (const value of ["300", "-1", "-42", "-5m", "90s"]) {
      const result = await run(server, ["run", "llama3", "--keepalive", value, "hi"]);
      assertEquals(result.code, 0, result.stderr);
    }
    assertEquals(bodiesTo(server, "/api/generate").map((b) => b.keep_alive), [
      300,
      -1,
      -1,
      -1,
      "1m30s",
    ]);
  });
});

Deno.test("--truncate true|false with a space is the flag's value, not the input", async () => {
  await withServer({}, async (server) => {
    for (const args of [["--truncate", "false"], ["--truncate", "true"], ["--truncate"]]) {
      const result = await run(server, ["run", "all-minilm", ...args, "hello"]);
      assertEquals(result, { code: 0, stdout: "[0.5,-0.25]\n", stderr: "" });
    }
    assertEquals(bodiesTo(server, "/api/embed"), [
      { model: "all-minilm", input: "hello", truncate: false },
      { model: "all-minilm", input: "hello", truncate: true },
      { model: "all-minilm", input: "hello", truncate: true },
    ]);
  });
});

Deno.test("--parameter goes with embedding requests as options", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "all-minilm", "-p", "num_ctx=512", "hello"]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(bodiesTo(server, "/api/embed"), [
      { model: "all-minilm", input: "hello", options: { num_ctx: 512 } },
    ]);
  });
});

Deno.test("--verbose=json prints the stats as one JSON object on stderr", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "llama3", "--verbose=json", "hi"]);
    assertEquals(result.code, 0);
    assertEquals(result.stdout, `${llama.reply}\n`);
    assert(result.stderr.endsWith("\n") && !result.stderr.slice(0, -1).includes("\n"));
    assertEquals(JSON.parse(result.stderr), {
      total_duration: 1234567891,
      load_duration: 12345600,
      prompt_eval_count: 26,
      prompt_eval_duration: 123456000,
      prompt_eval_rate: 210.6,
      eval_count: 298,
      eval_duration: 1098700000,
      eval_rate: 271.23,
    });
    // `--verbose json` with a space leaves `json` as prompt text, as upstream's boolean did.
    const spaced = await run(server, ["run", "llama3", "--verbose", "json"]);
    assertStringIncludes(spaced.stderr, "total duration:");
    assertEquals(bodiesTo(server, "/api/generate").at(-1)?.prompt, "json");
  });
});

async function inProcess(server: FakeOllama, argv: string[]) {
  const io = testIo({ env: { OLLAMA_HOST: server.url, NO_COLOR: "1" } });
  const stdout = new WriteLog();
  const stderr = new WriteLog();
  await runProgram(argv, { ...io, stdout, stderr }, new AbortController().signal);
  return { stdout, stderr };
}

Deno.test("--no-stream writes the answer once, complete; thinking still streams", async () => {
  // A slow stream, so that without the flag the answer reaches stdout in several writes.
  await withServer({ chunkDelayMs: 30 }, async (server) => {
    const streamed = await inProcess(server, ["run", "qwen3", "hi"]);
    assert(streamed.stdout.writes.length > 2, streamed.stdout.writes.join("|"));

    const held = await inProcess(server, ["run", "qwen3", "--no-stream", "hi"]);
    assertEquals(held.stdout.writes, [qwen.reply, "\n"]);
    assertEquals(held.stderr.text, streamed.stderr.text);
    assertStringIncludes(held.stderr.text, `Thinking...\n${qwen.thinking}`);
  });
});

Deno.test("--no-stream prints what arrived before a mid-stream error, as streaming does", async () => {
  await withServer(
    { failAfterChunks: { count: 2, error: "model runner crashed" } },
    async (server) => {
      const held = await run(server, ["run", "llama3", "--no-stream", "hi"]);
      const streamed = await run(server, ["run", "llama3", "hi"]);
      assertEquals(held, streamed);
      assertEquals(held.code, 1);
      assertEquals(held.stdout, "The sky ");
      assertStringIncludes(held.stderr, "model runner crashed");
    },
  );
});

Deno.test("bad values of the new flags: one line, exit 1, nothing sent", async () => {
  await withServer({}, async (server) => {
    const cases: [string[], string][] = [
      [["-p", "seed=abc"], 'invalid value for --parameter "seed=abc": invalid int value [abc]'],
      [["-p", "seed"], 'invalid value for --parameter: "seed" (use KEY=VALUE, e.g. seed=42)'],
      [
        ["-p", "colour=red"],
        "invalid value for --parameter \"colour=red\": unknown parameter 'colour'",
      ],
      [
        ["--system", "@/nonexistent/system.txt"],
        'invalid value for --system: cannot read "/nonexistent/system.txt": no such file',
      ],
      [
        ["--format", "@/nonexistent/schema.json"],
        'invalid value for --format: cannot read "/nonexistent/schema.json": no such file',
      ],
      [["--verbose=yaml"], 'invalid value "yaml" for --verbose (must be true, false, or json)'],
      [["--keepalive", "5x"], 'time: unknown unit "x" in duration "5x"'],
    ];
    for (const [flags, message] of cases) {
      const result = await run(server, ["run", "llama3", ...flags, "hi"]);
      assertEquals(result, { code: 1, stdout: "", stderr: `Error: ${message}\n` }, flags.join(" "));
    }
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("flags that change nothing in this run say so once on stderr", async () => {
  await withServer({}, async (server) => {
    const yolo = await run(server, ["run", "llama3", "--experimental-yolo", "hi"]);
    assertEquals(yolo, {
      code: 0,
      stdout: `${llama.reply}\n`,
      stderr: "warning: --experimental-yolo has no effect without --experimental\n",
    });
    const oneShot = await run(server, ["run", "llama3", "--experimental", "hi"]);
    assertEquals(
      oneShot.stderr,
      "warning: --experimental has no effect in a one-shot run (the agent needs the chat)\n",
    );
    const embeddingFlags = await run(server, ["run", "llama3", "--dimensions", "8", "hi"]);
    assertEquals(
      embeddingFlags.stderr,
      'warning: --dimensions has no effect: "llama3" is not an embedding model\n',
    );
    const chatFlags = await run(server, ["run", "all-minilm", "--think", "hello"]);
    assertEquals(chatFlags, {
      code: 0,
      stdout: "[0.5,-0.25]\n",
      stderr: 'warning: --think has no effect: "all-minilm" is an embedding model\n',
    });
    // The flags still go where they apply: nothing changed on the wire.
    assertEquals(bodiesTo(server, "/api/generate").map((b) => Object.keys(b).sort()), [
      ["model", "options", "prompt"],
      ["model", "options", "prompt"],
      ["model", "options", "prompt"],
    ]);
  });
});

Deno.test("dollama version works like --version", async () => {
  await withServer({ version: "0.33.1" }, async (server) => {
    const word = await run(server, ["version"]);
    const flag = await run(server, ["--version"]);
    assertEquals(word, flag);
    assertEquals(word.code, 0);
    assertStringIncludes(word.stdout, "ollama server version is 0.33.1\n");
  });
});

Deno.test("help lists the new flags of run, list, ps and show", async () => {
  const runHelp = await helpText(SPEC, "run");
  for (
    const line of [
      "  -p, --parameter <K=V>  ",
      "  --system <TEXT>  ",
      "  --no-stream  ",
      "  --lines  ",
      "  --verbose [json]  ",
    ]
  ) assertStringIncludes(runHelp, `\n${line}`);
  for (const command of ["list", "ps", "show"]) {
    assertStringIncludes(
      await helpText(SPEC, command),
      "--json  ",
      command,
    );
  }
});

/** COMPREPLY of the bash script for the words, the cursor on the last one. */
async function bashComplete(words: string[]): Promise<string[]> {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const program = `${bashScript(SPEC)}
COMP_WORDS=(${words.map(quote).join(" ")})
COMP_CWORD=${words.length - 1}
_dollama
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const out = await new Deno.Command("bash", { args: ["-c", program], stdout: "piped" }).output();
  return new TextDecoder().decode(out.stdout).split("\n").filter((l) => l !== "");
}

Deno.test("completions offer the new flags and --verbose=json", async () => {
  assertEquals(await bashComplete(["dollama", "run", "--par"]), ["--parameter"]);
  assertEquals(await bashComplete(["dollama", "run", "--no-s"]), ["--no-stream"]);
  assertEquals(await bashComplete(["dollama", "run", "--li"]), ["--lines"]);
  assertEquals(await bashComplete(["dollama", "run", "--sys"]), ["--system"]);
  // `--verbose=json` is offered attached; after a space the word is the prompt's.
  assertEquals(await bashComplete(["dollama", "run", "--verbose=j"]), ["json"]);
  for (const command of ["list", "ps", "show"]) {
    assertEquals(await bashComplete(["dollama", command, "--js"]), ["--json"], command);
  }
  const zsh = zshScript(SPEC);
  // Repeatable: zsh offers -p again after one was given.
  assertStringIncludes(zsh, "'*-p[Set a model parameter");
  assertStringIncludes(zsh, "'*--parameter=[Set a model parameter");
  assertStringIncludes(zsh, "'--verbose=-[Show timings for response (--verbose=json");
  assertStringIncludes(zsh, "::verbose:(json)'");
  assertStringIncludes(zsh, "'--no-stream[Print the answer once");
  const fish = fishScript(SPEC);
  const runFlag = "complete -c dollama -n '__fish_seen_subcommand_from run'";
  assertStringIncludes(fish, `${runFlag} -l parameter -s p -x -d `);
  assertStringIncludes(fish, `${runFlag} -l lines -d `);
  assertStringIncludes(fish, `${runFlag} -l verbose -d `);
  assertStringIncludes(
    fish,
    "complete -c dollama -n '__fish_seen_subcommand_from list ls' -l json",
  );
});
