/**
 * `dollama run` one-shot, end to end: the CLI as a subprocess against the fake server, checking
 * stdout, stderr, exit code and what went over the wire.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { dollamaCommand, runAgainst as run, runCli } from "../support/cli.ts";
import { closing } from "../support/closing.ts";
import { llama, qwen } from "../support/sky_models.ts";

const minilm = {
  name: "all-minilm:latest",
  capabilities: ["embedding"],
  embedding: [0.010071029, -0.0017594862, 1e-7],
};

/** Starts a fake server, runs the CLI against it, and always shuts the server down. */
function withServer(options: FakeOptions, fn: (server: FakeOllama) => Promise<void>) {
  return closing(new FakeOllama({ models: [llama, qwen, minilm], ...options }), fn);
}

/**
 * The requests after the heartbeat and the first `/api/show`, which go out together and may
 * arrive in either order.
 */
function afterStartup(server: FakeOllama): string[] {
  const seen = server.requests.map((r) => `${r.method} ${r.path}`);
  assertEquals(seen.slice(0, 2).sort(), ["HEAD /", "POST /api/show"]);
  return seen.slice(2);
}

function lastGenerate(server: FakeOllama) {
  const requests = server.requestsTo("/api/generate");
  assert(requests.length > 0, "no generate request was sent");
  return requests[requests.length - 1].body;
}

Deno.test("run handles a prompt: answer on stdout with one newline, nothing else", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "llama3", "why", "is", "the", "sky", "blue"]);
    assertEquals(result, { code: 0, stdout: `${llama.reply}\n`, stderr: "" });
    assertEquals(afterStartup(server), ["POST /api/generate"]);
    assertEquals(lastGenerate(server), {
      model: "llama3",
      prompt: "why is the sky blue",
      options: {},
    });
  });
});

Deno.test("run without a home directory answers, and says once that it cannot save", async () => {
  await withServer({}, async (server) => {
    for (
      const env of [{ HOME: "" }, { HOME: "", OLLAMA_NOHISTORY: "1" }] as Record<string, string>[]
    ) {
      const result = await run(server, ["run", "llama3", "hi"], { env });
      const warning = "warning: the conversation could not be saved: there is no directory " +
        "for saved conversations (HOME is not set)\n";
      assertEquals(result, {
        code: 0,
        stdout: `${llama.reply}\n`,
        stderr: env.OLLAMA_NOHISTORY ? "" : warning,
      });
    }
  });
});

Deno.test("run handles stdin and a prompt: stdin first, joined by one space", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "llama3", "summarize"], { stdin: "hello\n" });
    assertEquals(result.code, 0);
    assertEquals(lastGenerate(server).prompt, "hello\n summarize");
  });
});

Deno.test("run handles stdin of any size exactly: empty, within and across the first read", async () => {
  await withServer({}, async (server) => {
    // The first read takes at most 16 KiB (lib/io_deno.ts). A unit is 18 bytes of UTF-8 with its
    // "é" 6 bytes in, so after 15 bytes and 909 units the "é" straddles byte 16,384.
    const unit = "stdin é ✓ 🦙\n";
    const prefix = "x".repeat(15);
    for (
      const text of [
        "",
        "a",
        prefix + unit.repeat(900),
        prefix + unit.repeat(911),
        prefix + unit.repeat(20_000),
      ]
    ) {
      const result = await run(server, ["run", "llama3", "end"], { stdin: text });
      assertEquals(result.code, 0, result.stderr);
      assertEquals(lastGenerate(server).prompt, text === "" ? "end" : `${text} end`);
    }
  });
});

Deno.test("run handles each flag's effect on the wire", async () => {
  await withServer({}, async (server) => {
    const cases: [string[], Record<string, unknown>][] = [
      [["--keepalive", "5m"], { keep_alive: "5m0s" }],
      [["--keepalive=1h30m"], { keep_alive: "1h30m0s" }],
      [["--keepalive", "-1m"], { keep_alive: -1 }],
      [["--keepalive", "0"], { keep_alive: "0s" }],
      [["--format", "json"], { format: "json" }],
      [["--format", '{"type":"object"}'], { format: { type: "object" } }],
      [["--think=false"], { think: false }],
    ];
    for (const [flags, expected] of cases) {
      const result = await run(server, ["run", "llama3", ...flags, "hi"]);
      assertEquals(result.code, 0, `${flags}: ${result.stderr}`);
      assertEquals(lastGenerate(server), {
        model: "llama3",
        prompt: "hi",
        options: {},
        ...expected,
      }, flags.join(" "));
    }
  });
});

Deno.test("run handles --think levels, written with = or a space", async () => {
  await withServer({}, async (server) => {
    for (const flags of [["--think=high"], ["--think", "high"]]) {
      await run(server, ["run", "qwen3", ...flags, "hi"]);
      assertEquals(lastGenerate(server).think, "high");
      assertEquals(lastGenerate(server).prompt, "hi");
    }
    // A word that is not a level stays in the prompt, as upstream.
    await run(server, ["run", "qwen3", "--think", "why", "not"]);
    assertEquals(lastGenerate(server).think, true);
    assertEquals(lastGenerate(server).prompt, "why not");
  });
});

Deno.test("run handles a thinking model: thinking on stderr, the answer alone on stdout", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "qwen3", "hi"]);
    assertEquals(result.code, 0);
    assertEquals(lastGenerate(server).think, true);
    assertEquals(result.stdout, `${qwen.reply}\n`);
    assertEquals(result.stderr, `Thinking...\n${qwen.thinking}\n...done thinking.\n\n`);
  });
});

Deno.test("run handles --hidethinking: thinking requested, never printed", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "qwen3", "--hidethinking", "hi"]);
    assertEquals(result, { code: 0, stdout: `${qwen.reply}\n`, stderr: "" });
    assertEquals(lastGenerate(server).think, true);
  });
});

Deno.test("run handles a non-thinking model: no think key on the wire", async () => {
  await withServer({}, async (server) => {
    await run(server, ["run", "llama3", "hi"]);
    assertEquals("think" in lastGenerate(server), false);
  });
});

Deno.test("run handles --verbose: the stats block on stderr", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "llama3", "--verbose", "hi"]);
    assertEquals(result.stdout, `${llama.reply}\n`);
    assertEquals(
      result.stderr,
      [
        "total duration:       1.234567891s",
        "load duration:        12.3456ms",
        "prompt eval count:    26 token(s)",
        "prompt eval duration: 123.456ms",
        "prompt eval rate:     210.60 tokens/s",
        "eval count:           298 token(s)",
        "eval duration:        1.0987s",
        "eval rate:            271.23 tokens/s",
        "",
      ].join("\n"),
    );
  });
});

Deno.test("run handles an embedding model: the first vector as JSON on stdout", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "all-minilm", "hello", "world"]);
    assertEquals(result, { code: 0, stdout: "[0.010071029,-0.0017594862,1e-7]\n", stderr: "" });
    assertEquals(server.requestsTo("/api/embed")[0].body, {
      model: "all-minilm",
      input: "hello world",
    });
    assertEquals(server.requestsTo("/api/generate").length, 0);
  });
});

Deno.test("run handles --truncate=false, --dimensions and --keepalive for embeddings", async () => {
  await withServer({}, async (server) => {
    const args = [
      "run",
      "all-minilm",
      "--truncate=false",
      "--dimensions",
      "2",
      "--keepalive",
      "1m",
    ];
    const result = await run(server, [...args, "x"], { stdin: "piped" });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(server.requestsTo("/api/embed")[0].body, {
      model: "all-minilm",
      input: "piped x",
      truncate: false,
      dimensions: 2,
      keep_alive: "1m0s",
    });
  });
});

Deno.test("run handles an embedding model without input", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "all-minilm"]);
    assertEquals(result.code, 1);
    assertEquals(
      result.stderr,
      'Error: embedding models require input text. Usage: dollama run all-minilm "your text here"\n',
    );
  });
});

Deno.test("run handles a missing model by pulling it, then answering", async () => {
  const gemma = {
    name: "gemma3:latest",
    reply: "Pulled and ready.",
    layers: [{ digest: "sha256:" + "6a0746a1ec1a".padEnd(64, "0"), total: 4_700_000_000 }],
  };
  await withServer({ registry: [gemma] }, async (server) => {
    const result = await run(server, ["run", "gemma3", "hi"]);
    assertEquals(result.code, 0, result.stderr);
    assertEquals(result.stdout, "Pulled and ready.\n");
    assertStringIncludes(result.stderr, "pulling manifest");
    assertStringIncludes(result.stderr, "success");
    assertEquals(afterStartup(server), ["POST /api/pull", "POST /api/show", "POST /api/generate"]);
    assertEquals(server.requestsTo("/api/pull")[0].body.model, "gemma3");
  });
});

Deno.test("run handles a model the registry does not know", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "nosuchmodel:7b", "hi"]);
    assertEquals(result.code, 1);
    assertEquals(result.stdout, "");
    assert(
      result.stderr.endsWith("Error: pull model manifest: file does not exist\n"),
      result.stderr,
    );
    assertEquals(server.requestsTo("/api/generate").length, 0);
  });
});

Deno.test("run handles a server that is down: names the URL and the fix", async () => {
  const server = new FakeOllama();
  const url = server.url;
  await server.close();
  const result = await runCli(["run", "llama3", "hi"], { host: url });
  assertEquals(result.code, 1);
  assertEquals(
    result.stderr,
    `Error: could not connect to ollama server at ${url}, run 'ollama serve' to start it or set OLLAMA_HOST to where it runs\n`,
  );
});

Deno.test("run handles an HTTP error with the server's message", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "llama3", "--think", "hi"]);
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr: 'Error: 400 Bad Request: "llama3" does not support thinking\n',
    });
  });
});

Deno.test("run handles an error in the middle of the stream", async () => {
  const failAfterChunks = { count: 3, error: "an error was encountered while running the model" };
  await withServer({ failAfterChunks }, async (server) => {
    const result = await run(server, ["run", "llama3", "hi"]);
    assertEquals(result.code, 1);
    assertEquals(result.stdout, "The sky is ");
    assertEquals(result.stderr, `Error: ${failAfterChunks.error}\n`);
  });
});

Deno.test("run handles a stream that ends without done", async () => {
  await withServer({
    handler: (req) =>
      req.path === "/api/generate"
        ? new Response('{"model":"llama3","response":"partial","done":false}\n')
        : undefined,
  }, async (server) => {
    const result = await run(server, ["run", "llama3", "hi"]);
    assertEquals(result.code, 1);
    assertEquals(result.stdout, "partial");
    assertEquals(
      result.stderr,
      "Error: the server closed the stream before the response was complete\n",
    );
  });
});

Deno.test("run handles Ctrl+C while streaming: request aborted, exit 130", async () => {
  await withServer({ chunkDelayMs: 200 }, async (server) => {
    const result = await run(server, ["run", "llama3", "hi"], {
      onSpawn: async (child) => {
        // Wait until the answer is streaming, then interrupt.
        while (server.requestsTo("/api/generate").length === 0) {
          await new Promise((r) => setTimeout(r, 20));
        }
        child.kill("SIGINT");
      },
    });
    assertEquals(result.code, 130);
    assertEquals(result.stderr, "");
    await server.clientWentAway; // the server saw the connection close
  });
});

Deno.test("run handles piped output: no escape byte on stdout or stderr", async () => {
  await withServer({}, async (server) => {
    const model = { ...qwen, name: "evil:latest", reply: "\x1b]0;title\x07 red \x1b[31mtext" };
    server.models.set(model.name, model);
    const result = await run(server, ["run", "evil", "--verbose", "hi"], { env: { NO_COLOR: "" } });
    assertEquals(result.code, 0);
    // The answer bytes are passed through exactly; only our own decoration is withheld.
    assertEquals(result.stdout, `${model.reply}\n`);
    assertEquals(result.stderr.includes("\x1b"), false);
  });
});

Deno.test("run handles OLLAMA_HOST with a base path", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["run", "llama3", "hi"], { host: `${server.url}/ollama/` });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(server.requests.map((r) => r.path), [
      "/ollama/",
      "/ollama/api/show",
      "/ollama/api/generate",
    ]);
  });
});

Deno.test("run handles headers: User-Agent and the API key", async () => {
  await withServer({}, async (server) => {
    await run(server, ["run", "llama3", "hi"], { env: { OLLAMA_API_KEY: "sekrit" } });
    const headers = server.requestsTo("/api/generate")[0].headers;
    assertEquals(headers["authorization"], "Bearer sekrit");
    assertEquals(headers["content-type"], "application/json");
    assertEquals(headers["accept"], "application/x-ndjson");
    assert(
      /^dollama\/\d+\.\d+\.\d+ \(\w+ \w+\) Deno\/\d/.test(headers["user-agent"]),
      headers["user-agent"],
    );
  });
});

Deno.test("run handles bad input with one clear line and exit 1, before contacting the server", async () => {
  await withServer({}, async (server) => {
    const cases: [string[], string][] = [
      [
        ["run", "m", "--think=bogus", "hi"],
        'invalid value for --think: "bogus" (must be true, false, high, medium, low, or max)',
      ],
      [["run", "m", "--keepalive", "10x", "hi"], 'time: unknown unit "x" in duration "10x"'],
      [["run", "m", "--keepalive", "abc", "hi"], 'time: invalid duration "abc"'],
      [["run", "m", "--verbos", "hi"], "unknown option '--verbos' (Did you mean --verbose?)"],
      [
        ["run", "m", "--dimensions", "x", "hi"],
        'invalid value "x" for --dimensions (must be a whole number)',
      ],
      [["run"], "missing required argument 'MODEL'"],
      [["run", "m", "--format", "{bad", "hi"], ""],
    ];
    for (const [args, message] of cases) {
      const result = await run(server, args);
      assertEquals(result.code, 1, args.join(" "));
      assertEquals(result.stdout, "");
      if (message) assertEquals(result.stderr, `Error: ${message}\n`);
      else assert(/^Error: invalid value for --format: .+\n$/.test(result.stderr), result.stderr);
    }
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("run handles a closed stdout pipe quietly", async () => {
  const long = { name: "long:latest", reply: "word ".repeat(200_000) };
  await withServer({ models: [long] }, async (server) => {
    const command = [Deno.execPath(), ...dollamaCommand(["run", "long", "hi"])]
      .map((w) => `'${w}'`).join(" ");
    const out = await new Deno.Command("bash", {
      args: [
        "-c",
        `${command} 2>err.txt | head -c 10; echo; echo "status=\${PIPESTATUS[0]}"; cat err.txt`,
      ],
      cwd: Deno.makeTempDirSync(),
      env: { OLLAMA_HOST: server.url, NO_COLOR: "1", RUST_BACKTRACE: "0" },
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assertEquals(text, "word word \nstatus=0\n");
  });
});

Deno.test("run handles Ctrl+C while the model is being looked up: exit 130", async () => {
  let release!: () => void;
  const released = new Promise<void>((r) => release = r);
  await withServer({
    handler: async (req) => {
      if (req.path === "/api/show") await released;
      return undefined;
    },
  }, async (server) => {
    try {
      const result = await run(server, ["run", "llama3", "hi"], {
        onSpawn: async (child) => {
          while (server.requestsTo("/api/show").length === 0) {
            await new Promise((r) => setTimeout(r, 20));
          }
          child.kill("SIGINT");
        },
      });
      assertEquals(result, { code: 130, stdout: "", stderr: "" });
      assertEquals(server.requestsTo("/api/generate").length, 0);
    } finally {
      release();
    }
  });
});

Deno.test("run handles a server that wants sign-in: the sign-in URL, exit 1", async () => {
  const signin = "https://ollama.com/connect?name=box&key=abc";
  await withServer({
    handler: (req) =>
      req.path === "/api/show"
        ? new Response(JSON.stringify({ error: "unauthorized", signin_url: signin }), {
          status: 401,
        })
        : undefined,
  }, async (server) => {
    const result = await run(server, ["run", "kimi:cloud", "hi"]);
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr: `Error: you need to be signed in to Ollama to use this model; sign in at ${signin}\n`,
    });
  });
});

Deno.test("run handles an explicit cloud model that does not exist: no pull", async () => {
  await withServer({}, async (server) => {
    const result = await run(server, ["run", "nothere:cloud", "hi"]);
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr: "Error: model 'nothere:cloud' not found\n",
    });
    assertEquals(server.requestsTo("/api/pull").length, 0);
  });
});
