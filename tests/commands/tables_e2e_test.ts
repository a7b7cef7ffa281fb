/**
 * `list`, `ps`, `show`, `stop` and `--version` end to end: the CLI as a subprocess against the
 * fake server, checking exact stdout, stderr, exit code and what went over the wire.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { closing } from "../support/closing.ts";
import { type FakeModel, FakeOllama, type FakeOptions } from "../support/fake_ollama.ts";
import { runCli } from "../support/cli.ts";
import { VERSION } from "../../lib/version.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A time `ms` away from now; the spans used sit mid-range so test start-up cannot tip them. */
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

const llama: FakeModel = {
  name: "llama3.2:latest",
  size: 2019393189,
  digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
  modified_at: fromNow(-(3 * 7 * DAY + 12 * HOUR)),
  capabilities: ["completion", "tools"],
  show: {
    model_info: {
      "general.architecture": "llama",
      "general.parameter_count": 3212749888,
      "llama.context_length": 131072,
      "llama.embedding_length": 3072,
      "tokenizer.ggml.bos_token_id": 128000,
    },
    details: { family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" },
    parameters: 'stop                           "<|eot_id|>"\n' +
      "temperature                    0.6",
    system: "You are a helpful assistant.",
    template: "{{ .Prompt }}",
    license: "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\n" +
      "Llama 3.2 Version Release Date: September 25, 2024\n" +
      "“Agreement” means the terms and conditions.\n",
    tensors: [{ name: "output_norm.weight", type: "F32", shape: [3072] }],
  },
};
const qwen: FakeModel = {
  name: "qwen3:8b",
  size: 5234567890,
  digest: "500a1f067a9f782620b40bee6f7b0c89e17ae61f686b92c24933e4ca4b2b8b41",
  modified_at: fromNow(-(2 * DAY + 3 * HOUR)),
};
const cloud: FakeModel = {
  name: "gpt-oss:120b-cloud",
  size: 384,
  digest: "569662207105bd4e1ffa37a4dc7ee5d5d3b22a6c8e2a9b8e1d2c3f4a5b6c7d8e",
  modified_at: fromNow(-(5 * 7 * DAY + 12 * HOUR)),
  list: { remote_model: "gpt-oss:120b", remote_host: "https://ollama.com:443" },
};

function withServer(options: FakeOptions, fn: (server: FakeOllama) => Promise<void>) {
  return closing(new FakeOllama({ models: [qwen, llama, cloud], ...options }), fn);
}

/** A loopback port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

const LIST_ALL = "NAME                  ID              SIZE      MODIFIED    \n" +
  "qwen3:8b              500a1f067a9f    5.2 GB    2 days ago     \n" +
  "llama3.2:latest       a80c4f17acd5    2.0 GB    3 weeks ago    \n" +
  "gpt-oss:120b-cloud    569662207105    -         5 weeks ago    \n";

Deno.test("list prints the models table exactly, after a heartbeat", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["list"], { host: server.url });
    assertEquals(result, { code: 0, stdout: LIST_ALL, stderr: "" });
    assertEquals(server.requests.map((r) => `${r.method} ${r.path}`), [
      "HEAD /",
      "GET /api/tags",
    ]);
  });
});

Deno.test("ls filters by a case-insensitive prefix", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["ls", "LLAMA"], { host: server.url });
    assertEquals(result, {
      code: 0,
      stdout: "NAME               ID              SIZE      MODIFIED    \n" +
        "llama3.2:latest    a80c4f17acd5    2.0 GB    3 weeks ago    \n",
      stderr: "",
    });
  });
});

Deno.test("list with no models prints the header alone", async () => {
  await withServer({ models: [] }, async (server) => {
    const result = await runCli(["list"], { host: server.url });
    assertEquals(result.stdout, "NAME    ID    SIZE    MODIFIED \n");
  });
});

Deno.test("list fails with one error line when no server is running", async () => {
  const result = await runCli(["list"], { host: `127.0.0.1:${closedPort()}` });
  assertEquals(result.code, 1);
  assertEquals(result.stdout, "");
  assertEquals(result.stderr.startsWith("Error: "), true);
  assertEquals(result.stderr.trimEnd().split("\n").length, 1);
});

const running = () => [
  {
    name: "qwen3:8b",
    model: "qwen3:8b",
    size: 6900000000,
    size_vram: 6900000000,
    digest: qwen.digest!,
    expires_at: fromNow(4 * 60_000 + 30_000),
    context_length: 4096,
  },
  {
    name: "llama3.2:latest",
    model: "llama3.2:latest",
    size: 3400000000,
    size_vram: 1768000000,
    digest: llama.digest!,
    expires_at: "2318-11-24T12:00:00.000000000Z",
    context_length: 8192,
  },
  {
    name: "Qwen2:0.5b",
    model: "Qwen2:0.5b",
    size: 500000000,
    size_vram: 0,
    digest: "6f48b936a09f7743c7fd30b1e7b2e1bd6b1a1d2f3e4c5b6a79808f7e6d5c4b3a",
    expires_at: fromNow(-5000),
    context_length: 2048,
  },
];

Deno.test("ps prints the running models table exactly", async () => {
  await withServer({ running: running() }, async (server) => {
    const result = await runCli(["ps"], { host: server.url });
    assertEquals(result, {
      code: 0,
      stdout:
        "NAME               ID              SIZE      PROCESSOR          CONTEXT    UNTIL              \n" +
        "qwen3:8b           500a1f067a9f    6.9 GB    100% GPU           4096       4 minutes from now    \n" +
        "llama3.2:latest    a80c4f17acd5    3.4 GB    48%/52% CPU/GPU    8192       Forever               \n" +
        "Qwen2:0.5b         6f48b936a09f    500 MB    100% CPU           2048       Stopping...           \n",
      stderr: "",
    });
    assertEquals(server.requests.map((r) => `${r.method} ${r.path}`), ["HEAD /", "GET /api/ps"]);
  });
});

Deno.test("ps filters by a case-sensitive prefix", async () => {
  await withServer({ running: running() }, async (server) => {
    const result = await runCli(["ps", "qwen"], { host: server.url });
    assertEquals(
      result.stdout,
      "NAME        ID              SIZE      PROCESSOR    CONTEXT    UNTIL              \n" +
        "qwen3:8b    500a1f067a9f    6.9 GB    100% GPU     4096       4 minutes from now    \n",
    );
  });
});

Deno.test("ps with nothing loaded prints the header alone", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["ps"], { host: server.url });
    assertEquals(result, {
      code: 0,
      stdout: "NAME    ID    SIZE    PROCESSOR    CONTEXT    UNTIL \n",
      stderr: "",
    });
  });
});

const SHOW_DEFAULT = "  Model\n" +
  "    architecture        llama     \n" +
  "    parameters          3.2B      \n" +
  "    context length      131072    \n" +
  "    embedding length    3072      \n" +
  "    quantization        Q4_K_M    \n" +
  "\n" +
  "  Capabilities\n" +
  "    completion    \n" +
  "    tools         \n" +
  "\n" +
  "  Parameters\n" +
  '    stop           "<|eot_id|>"    \n' +
  "    temperature    0.6             \n" +
  "\n" +
  "  System\n" +
  "    You are a helpful assistant.    \n" +
  "\n" +
  "  License\n" +
  "    LLAMA 3.2 COMMUNITY LICENSE AGREEMENT                 \n" +
  "    Llama 3.2 Version Release Date: September 25, 2024    \n" +
  "    ...                                                   \n" +
  "\n";

Deno.test("show prints the default sections exactly", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["show", "llama3.2"], { host: server.url });
    assertEquals(result, { code: 0, stdout: SHOW_DEFAULT, stderr: "" });
    assertEquals(server.requestsTo("/api/show").map((r) => r.body), [
      { model: "llama3.2", verbose: false },
    ]);
  });
});

for (const flag of ["--verbose", "-v"]) {
  Deno.test(`show ${flag} adds Metadata and Tensors and asks for them`, async () => {
    await withServer({}, async (server) => {
      const result = await runCli(["show", flag, "llama3.2"], { host: server.url });
      const verboseSections = "  Metadata\n" +
        "    general.architecture           llama              \n" +
        "    general.parameter_count        3.212749888e+09    \n" +
        "    llama.context_length           131072             \n" +
        "    llama.embedding_length         3072               \n" +
        "    tokenizer.ggml.bos_token_id    128000             \n" +
        "\n" +
        "  Tensors\n" +
        "    output_norm.weight    F32    [3072]    \n" +
        "\n";
      const parametersEnd = SHOW_DEFAULT.indexOf("  System\n");
      assertEquals(result, {
        code: 0,
        stdout: SHOW_DEFAULT.slice(0, parametersEnd) + verboseSections +
          SHOW_DEFAULT.slice(parametersEnd),
        stderr: "",
      });
      assertEquals(server.requestsTo("/api/show")[0].body.verbose, true);
    });
  });
}

const FIELDS: [string, string][] = [
  ["--license", llama.show!.license! + "\n"],
  ["--modelfile", '# Modelfile generated by "ollama show"\nFROM llama3.2:latest\n\n'],
  ["--parameters", llama.show!.parameters! + "\n"],
  ["--system", "You are a helpful assistant."],
  ["--template", "{{ .Prompt }}"],
];

for (const [flag, expected] of FIELDS) {
  Deno.test(`show ${flag} prints only that field`, async () => {
    await withServer({}, async (server) => {
      const result = await runCli(["show", "llama3.2", flag], { host: server.url });
      assertEquals(result, { code: 0, stdout: expected, stderr: "" });
    });
  });
}

Deno.test("show with two field flags fails with upstream's message", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["show", "llama3.2", "--license", "--template"], {
      host: server.url,
    });
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr:
        "Error: only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified\n",
    });
    assertEquals(server.requestsTo("/api/show").length, 0);
  });
});

Deno.test("show of an unknown model prints the server's message", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["show", "nope"], { host: server.url });
    assertEquals(result, { code: 1, stdout: "", stderr: "Error: model 'nope' not found\n" });
  });
});

Deno.test("show refuses image generation models", async () => {
  const flux = { name: "flux:latest", capabilities: ["image"] };
  await withServer({ models: [flux] }, async (server) => {
    const result = await runCli(["show", "flux"], { host: server.url });
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr: "Error: image generation models are not currently supported\n",
    });
  });
});

Deno.test("stop unloads with keep_alive 0 and prints nothing", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["stop", "llama3.2"], { host: server.url });
    assertEquals(result, { code: 0, stdout: "", stderr: "" });
    assertEquals(server.requests.map((r) => `${r.method} ${r.path}`), [
      "HEAD /",
      "POST /api/show",
      "POST /api/generate",
    ]);
    const body = server.requestsTo("/api/generate")[0].body;
    assertEquals(body.model, "llama3.2");
    assertEquals(body.prompt, "");
    assertEquals(body.keep_alive, "0s");
  });
});

Deno.test("stop of an unknown model says it could not find it", async () => {
  await withServer({}, async (server) => {
    const result = await runCli(["stop", "ghost:7b"], { host: server.url });
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr: 'Error: couldn\'t find model "ghost:7b" to stop\n',
    });
    assertEquals(server.requestsTo("/api/generate").length, 0);
  });
});

Deno.test("stop passes other server errors through", async () => {
  const handler = (req: { path: string }) =>
    req.path === "/api/generate"
      ? new Response(JSON.stringify({ error: "runner crashed" }), { status: 500 })
      : undefined;
  await withServer({ handler }, async (server) => {
    const result = await runCli(["stop", "llama3.2"], { host: server.url });
    assertEquals(result, { code: 1, stdout: "", stderr: "Error: runner crashed\n" });
  });
});

Deno.test("--version prints ours and the server's", async () => {
  await withServer({ version: "0.33.0-rc2" }, async (server) => {
    for (const flag of ["--version", "-v"]) {
      const result = await runCli([flag], { host: server.url });
      assertEquals(result, {
        code: 0,
        stdout: `dollama version ${VERSION}\nollama server version is 0.33.0-rc2\n`,
        stderr: "",
      });
    }
  });
});

Deno.test("--version without a server prints ours and a warning, and succeeds", async () => {
  const result = await runCli(["--version"], { host: `127.0.0.1:${closedPort()}` });
  assertEquals(result.code, 0);
  assertEquals(result.stdout, `dollama version ${VERSION}\n`);
  assertStringIncludes(result.stderr, "could not connect to a running Ollama instance");
});

Deno.test("--version does not wait for a server that never answers", async () => {
  // The server accepts the request and holds it open until the test ends.
  let release!: () => void;
  const held = new Promise<void>((resolve) => release = resolve);
  const handler = (req: { path: string }) =>
    req.path === "/api/version" ? held.then(() => new Response("{}")) : undefined;
  await withServer({ handler }, async (server) => {
    try {
      const result = await runCli(["--version"], { host: server.url });
      assertEquals(result.code, 0);
      assertEquals(result.stdout, `dollama version ${VERSION}\n`);
    } finally {
      release();
    }
  });
});
