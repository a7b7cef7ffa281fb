/** Tool definitions, bash execution and its output caps, and the web tools' texts. */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import {
  capForModel,
  capture,
  displayName,
  displayOutput,
  formatBashResult,
  runBash,
  shortForm,
  toolDefinitions,
  webFetch,
  webSearch,
} from "../../lib/agent/tools.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { testContext, testIo } from "../support/test_io.ts";
import { OllamaClient } from "../../lib/api/client.ts";

function clientFor(server: FakeOllama): OllamaClient {
  return new OllamaClient({ baseUrl: server.url, userAgent: "t" });
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).message;
  }
  return "(no error)";
}

Deno.test("toolDefinitions handles bash alone and with the web tools, sorted by name", () => {
  assertEquals(
    JSON.stringify(toolDefinitions({ bash: true, web: false })),
    JSON.stringify([{
      type: "function",
      function: {
        name: "bash",
        description:
          "Execute a bash command on the system. Use this to run shell commands, check files, run programs, etc.",
        parameters: {
          type: "object",
          properties: { command: { type: "string", description: "The bash command to execute" } },
          required: ["command"],
        },
      },
    }]),
  );
  assertEquals(toolDefinitions({ bash: true, web: true }).map((t) => t.function.name), [
    "bash",
    "web_fetch",
    "web_search",
  ]);
  assertEquals(toolDefinitions({ bash: false, web: true }).map((t) => t.function.name), [
    "web_fetch",
    "web_search",
  ]);
  assertEquals(toolDefinitions({ bash: false, web: false }), []);
});

Deno.test("shortForm and displayName handle each tool", () => {
  assertEquals(shortForm("bash", { command: "ls  -la\nwc" }), "Bash: ls -la wc");
  assertEquals(shortForm("bash", { command: "x".repeat(60) }), `Bash: ${"x".repeat(50)}...`);
  assertEquals(shortForm("bash", { command: "é".repeat(45) }, 40), `Bash: ${"é".repeat(40)}...`);
  assertEquals(shortForm("web_search", { query: "q" }), "Web Search: q");
  assertEquals(displayName("web_fetch"), "Web Fetch");
  assertEquals(displayName("my_tool"), "My tool");
});

Deno.test("formatBashResult handles output, stderr, exit codes, timeouts and no output", () => {
  const base = {
    stdout: "",
    stdoutTruncated: false,
    stderr: "",
    stderrTruncated: false,
    exitCode: 0,
    timedOut: false,
  };
  assertEquals(formatBashResult(base), "(no output)");
  assertEquals(formatBashResult({ ...base, stdout: "hi\n" }), "hi\n");
  assertEquals(
    formatBashResult({ ...base, stdout: "a", stderr: "b", exitCode: 2 }),
    "a\nstderr:\nb\n\nExit code: 2",
  );
  assertEquals(
    formatBashResult({
      ...base,
      stdout: "a",
      stdoutTruncated: true,
      stderr: "b",
      stderrTruncated: true,
    }),
    "a\n... (output truncated)\nstderr:\nb\n... (stderr truncated)",
  );
  assertEquals(
    formatBashResult({ ...base, timedOut: true, exitCode: 137 }),
    "\n\nError: command timed out after 60 seconds",
  );
});

Deno.test("capture handles the byte cap across chunks", async () => {
  const stream = ReadableStream.from([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])]);
  const { bytes, truncated } = await capture(stream, 4);
  assertEquals([...bytes], [1, 2, 3, 4]);
  assertEquals(truncated, true);
  const exact = await capture(ReadableStream.from([new Uint8Array([1, 2])]), 2);
  assertEquals(exact.truncated, false);
});

Deno.test("capForModel handles the local and cloud caps", () => {
  assertEquals(capForModel("a".repeat(16_000), false), "a".repeat(16_000));
  assertEquals(
    capForModel("a".repeat(16_001), false),
    "a".repeat(16_000) + "\n... (output truncated)",
  );
  assertEquals(capForModel("a".repeat(16_001), true), "a".repeat(16_001));
  assertEquals(
    capForModel("a".repeat(40_001), true),
    "a".repeat(40_000) + "\n... (output truncated)",
  );
});

Deno.test("displayOutput handles indentation, grey and the 300-byte cap", () => {
  assertEquals(displayOutput("a\nb\n", false), "  a\n  b\n");
  assertEquals(displayOutput("a", true), "\x1b[90m  a\x1b[0m\n");
  assertEquals(displayOutput("x".repeat(301), false), `  ${"x".repeat(300)}... (truncated)\n`);
  // A multi-byte character is never cut in half.
  assertEquals(
    displayOutput("x" + "é".repeat(200), false),
    `  x${"é".repeat(149)}... (truncated)\n`,
  );
});

Deno.test("runBash handles stdout, stderr and the exit code", async () => {
  const signal = new AbortController().signal;
  assertEquals(await runBash("echo hi", { signal }), "hi\n");
  assertEquals(
    await runBash("echo out; echo err >&2; exit 3", { signal }),
    "out\n\nstderr:\nerr\n\n\nExit code: 3",
  );
  assertEquals(await runBash("true", { signal }), "(no output)");
});

Deno.test("runBash handles large output by capping it at 50 000 bytes", async () => {
  const signal = new AbortController().signal;
  const text = await runBash("head -c 60000 /dev/zero | tr '\\0' a", { signal });
  assertEquals(text, "a".repeat(50_000) + "\n... (output truncated)");
});

Deno.test("runBash handles a timeout by stopping the whole process group", async () => {
  const signal = new AbortController().signal;
  const text = await runBash("sleep 30 | cat", { signal, timeoutMs: 50 });
  assertEquals(text, "\n\nError: command timed out after 60 seconds");
});

Deno.test("runBash handles an abort (Ctrl+C) by stopping the command and rejecting", async () => {
  const controller = new AbortController();
  const dir = Deno.makeTempDirSync();
  const running = runBash(`touch ${dir}/started; sleep 30`, { signal: controller.signal });
  while (true) {
    try {
      Deno.statSync(`${dir}/started`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  controller.abort();
  let name = "";
  try {
    await running;
  } catch (err) {
    name = (err as Error).name;
  }
  assertEquals(name, "AbortError");
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("webSearch and webFetch handle the local server's experimental endpoints", async () => {
  const server = new FakeOllama();
  try {
    const web = { client: clientFor(server), signal: new AbortController().signal };
    assertEquals(
      await webSearch(web, "what is ollama?"),
      "Search results for: what is ollama?\n\n1. Ollama\n   URL: https://ollama.com/\n   About what is ollama?.\n\n",
    );
    assertEquals(server.requestsTo("/api/experimental/web_search")[0].body, {
      query: "what is ollama?",
      max_results: 5,
    });
    assertEquals(
      await webFetch(web, "https://x.test/"),
      "Title: Example\n\nContent:\nThe page at https://x.test/.",
    );
  } finally {
    await server.close();
  }
});

Deno.test("webSearch handles no results and server errors", async () => {
  let status = 200;
  const server = new FakeOllama({
    handler: (req) => {
      if (!req.path.includes("web_search")) return undefined;
      if (status === 200) return Response.json({ results: [] });
      return Response.json({ error: "ollama cloud is disabled: web search is unavailable" }, {
        status,
      });
    },
  });
  try {
    const web = { client: clientFor(server), signal: new AbortController().signal };
    assertEquals(await webSearch(web, "q"), "No results found for query: q");
    status = 403;
    let message = "";
    try {
      await webSearch(web, "q");
    } catch (err) {
      message = (err as Error).message;
    }
    assertEquals(message, "ollama cloud is disabled: web search is unavailable");
    status = 502;
    try {
      await webSearch(web, "q");
    } catch (err) {
      message = (err as Error).message;
    }
    assertStringIncludes(message, "web search API returned status 502:");
  } finally {
    await server.close();
  }
});

Deno.test("webSearch and webFetch send OLLAMA_API_KEY as the bearer token, like every other call", async () => {
  const server = new FakeOllama();
  try {
    const ctx = testContext(testIo({ env: { OLLAMA_API_KEY: "secret-key" } }), server.url);
    const web = { client: ctx.client, signal: new AbortController().signal };
    await webSearch(web, "q");
    await webFetch(web, "https://x.test/");
    assertEquals(
      server.requestsTo("/api/experimental/web_search")[0].headers["authorization"],
      "Bearer secret-key",
    );
    assertEquals(
      server.requestsTo("/api/experimental/web_fetch")[0].headers["authorization"],
      "Bearer secret-key",
    );
  } finally {
    await server.close();
  }
});

Deno.test("webFetch asks for signin on 401 and names other statuses", async () => {
  let status = 401;
  const server = new FakeOllama({
    handler: (req) =>
      req.path.includes("web_fetch")
        ? Response.json({ error: "no", signin_url: "https://ollama.com/connect" }, { status })
        : undefined,
  });
  try {
    const web = { client: clientFor(server), signal: new AbortController().signal };
    assertEquals(
      await messageOf(webFetch(web, "https://x.test/")),
      "Not authenticated. Run `ollama signin` and try again.",
    );
    status = 500;
    assertEquals(
      await messageOf(webFetch(web, "https://x.test/")),
      "web fetch API returned status 500: no",
    );
  } finally {
    await server.close();
  }
});

Deno.test("webSearch reports an unreachable server with the client's connection text", async () => {
  // A port that was just free: nothing listens there.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const client = new OllamaClient({ baseUrl: `http://127.0.0.1:${port}`, userAgent: "t" });
  assertEquals(
    await messageOf(webSearch({ client, signal: new AbortController().signal }, "q")),
    `could not connect to ollama server at http://127.0.0.1:${port}, run 'ollama serve' to start it or set OLLAMA_HOST to where it runs`,
  );
});

Deno.test("a web call's own timeout is worded for the model; the caller's Ctrl+C passes through", async () => {
  // The client rethrows what fetch rejects with, so a fetch that times out stands in for the wait.
  const client = new OllamaClient({
    baseUrl: "http://127.0.0.1:9",
    userAgent: "t",
    fetch: (_url, init) =>
      Promise.reject(
        init?.signal?.aborted
          ? new DOMException("aborted", "AbortError")
          : new DOMException("timed out", "TimeoutError"),
      ),
  });
  const idle = new AbortController().signal;
  assertEquals(
    await messageOf(webSearch({ client, signal: idle }, "q")),
    "web search timed out after 15 seconds",
  );
  assertEquals(
    await messageOf(webFetch({ client, signal: idle }, "https://x.test/")),
    "web fetch timed out after 30 seconds",
  );
  const cancelled = new AbortController();
  cancelled.abort();
  let name = "";
  try {
    await webFetch({ client, signal: cancelled.signal }, "https://x.test/");
  } catch (err) {
    name = (err as Error).name;
  }
  assertEquals(name, "AbortError");
});
