/**
 * Nothing waits forever (docs/reliability.md, Timeouts): start-up requests give up after the
 * bound, which DOLLAMA_TIMEOUT sets (one second here; no assertion is about time), a silent
 * stream is limited only when DOLLAMA_TIMEOUT is set, and Ctrl+C ends every phase.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FaultServer } from "../support/fault_server.ts";
import { baseEnv, dollamaCommand, runCli } from "../support/cli.ts";
import { assertOneErrorLine, dollama, interruptAt, SHORT_TIMEOUT, withFaults } from "./helpers.ts";

const env = SHORT_TIMEOUT;
const noAnswer = (server: FaultServer) => `the server at ${server.url} did not answer within 1s`;

Deno.test("a server that accepts and never answers the heartbeat gives up after the bound", async () => {
  await withFaults({ "HEAD /": (c) => c.stall() }, async (server) => {
    assertOneErrorLine(await dollama(server, ["list"], { env }), noAnswer(server));
  });
});

Deno.test("a server that never answers /api/show, /api/tags or /api/ps gives up after the bound", async () => {
  await withFaults({
    "POST /api/show": (c) => c.stall(),
    "GET /api/tags": (c) => c.stall(),
    "GET /api/ps": (c) => c.stall(),
  }, async (server) => {
    for (const args of [["show", "m"], ["run", "m", "hi"], ["list"], ["ps"], ["stop", "m"]]) {
      assertOneErrorLine(await dollama(server, args, { env }), noAnswer(server));
    }
  });
});

Deno.test("headers sent one byte at a time give up after the bound", async () => {
  await withFaults({
    "HEAD /": (c) => c.trickle("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200),
  }, async (server) => {
    assertOneErrorLine(await dollama(server, ["list"], { env }), noAnswer(server));
  });
});

Deno.test("https:// against a port that never completes the handshake gives up after the bound", async () => {
  const server = new FaultServer({}, { raw: (c) => c.stall() });
  try {
    const host = `https://127.0.0.1:${server.port}`;
    const result = await runCli(["list"], { host, env });
    assertOneErrorLine(result, `the server at ${host} did not answer within 1s`);
  } finally {
    await server.close();
  }
});

Deno.test("--version handles a server that never answers by printing its own version", async () => {
  await withFaults({ "GET /api/version": (c) => c.stall() }, async (server) => {
    const result = await dollama(server, ["--version"], { env });
    assertEquals(result.code, 0);
    assertStringIncludes(result.stderr, "Warning: could not connect to a running Ollama instance");
  });
});

Deno.test("DOLLAMA_TIMEOUT handles a generation that never starts by giving up", async () => {
  await withFaults({ "POST /api/generate": (c) => c.stall() }, async (server) => {
    assertOneErrorLine(await dollama(server, ["run", "m", "hi"], { env }), noAnswer(server));
  });
});

Deno.test("DOLLAMA_TIMEOUT handles a stream that stalls after its first words", async () => {
  await withFaults({
    "POST /api/generate": async (c) => {
      await c.head(200, { "Content-Type": "application/x-ndjson", "Transfer-Encoding": "chunked" });
      const line = JSON.stringify({ model: "m", response: "partial", done: false }) + "\n";
      await c.write(`${line.length.toString(16)}\r\n${line}\r\n`);
      await c.stall();
    },
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"], { env });
    assertEquals(result.stdout, "partial");
    assertOneErrorLine(result, noAnswer(server));
  });
});

Deno.test("DOLLAMA_TIMEOUT handles a value that is not a number with a warning", async () => {
  await withFaults({ "GET /api/ps": (c) => c.json(200, { models: [] }) }, async (server) => {
    const result = await dollama(server, ["ps"], { env: { DOLLAMA_TIMEOUT: "soon" } });
    assertEquals(result.code, 0);
    assertEquals(
      result.stderr,
      'warning: invalid DOLLAMA_TIMEOUT "soon", must be a number of seconds above 0\n',
    );
  });
});

for (
  const [phase, path, args] of [
    ["the heartbeat", "/", ["list"]],
    ["show", "/api/show", ["run", "m", "hi"]],
    ["a generation without DOLLAMA_TIMEOUT", "/api/generate", ["run", "m", "hi"]],
    ["a pull", "/api/pull", ["pull", "m"]],
    ["stop", "/api/generate", ["stop", "m"]],
  ] as const
) {
  Deno.test(`Ctrl+C handles ${phase} that never answers: exit 130, no error line`, async () => {
    await withFaults({
      "HEAD /": path === "/" ? (c) => c.stall() : (c) => c.respond(200),
      [`${path === "/" ? "HEAD" : path === "/api/show" ? "POST" : "POST"} ${path}`]: (c) =>
        c.stall(),
    }, async (server) => {
      const result = await dollama(server, [...args], { onSpawn: interruptAt(server, path) });
      assertEquals([result.code, result.stderr.includes("Error")], [130, false]);
    });
  });
}

Deno.test("Ctrl+C handles stdin that never ends: exit 130, no error line", async () => {
  await withFaults({}, async (server) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: dollamaCommand(["run", "m"]),
      env: baseEnv({ OLLAMA_HOST: server.url }),
      clearEnv: true,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // Stdin is read right after the heartbeat, which the server answers at once: the signal,
    // sent once the heartbeat is seen (polled), lands while dollama waits on stdin.
    await interruptAt(server, "/")(child);
    const out = await child.output();
    await child.stdin.close().catch(() => {});
    assertEquals([out.code, new TextDecoder().decode(out.stderr)], [130, ""]);
  });
});
