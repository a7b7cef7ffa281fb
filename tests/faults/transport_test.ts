/**
 * Faults of the connection itself (docs/reliability.md, Transport): refused, reset, garbage,
 * broken framing, streams without an end, huge lines and tiny chunks, gzip, bad UTF-8,
 * redirects, IPv6 loopback and proxies.
 */
import { assert, assertEquals, assertStringIncludes } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { closing } from "../support/closing.ts";
import { closedPort, type FaultScript, FaultServer } from "../support/fault_server.ts";
import { answer, assertOneErrorLine, dollama, withFaults } from "./helpers.ts";

const lines = (objects: unknown[]) => objects.map((o) => JSON.stringify(o) + "\n");

Deno.test("a refused connection names the address and how to start a server", async () => {
  const port = closedPort();
  assertOneErrorLine(
    await runCli(["list"], { host: `127.0.0.1:${port}` }),
    `could not connect to ollama server at http://127.0.0.1:${port}, run 'ollama serve' to ` +
      "start it or set OLLAMA_HOST to where it runs",
  );
});

/**
 * `dollama list` against a server that does `raw` with each connection: one "could not reach"
 * line, with the reason alone, not the runtime's preamble that repeats the address.
 */
async function assertUnreachable(raw: FaultScript, reason: RegExp): Promise<void> {
  await closing(new FaultServer({}, { raw }), async (server) => {
    const result = await runCli(["list"], { host: server.url });
    const prefix = `Error: could not reach ollama server at ${server.url}: `;
    assertEquals([result.code, result.stdout], [1, ""]);
    assert(
      result.stderr.startsWith(prefix) && result.stderr.endsWith("\n") &&
        reason.test(result.stderr.slice(prefix.length, -1)),
      result.stderr,
    );
  });
}

Deno.test("a connection closed before any answer gives one line", async () => {
  // A close before the request is read may reach the runtime as a reset instead.
  await assertUnreachable(
    (c) => c.close(),
    /^(connection closed before message completed|connection reset by peer.*)$/i,
  );
});

Deno.test("garbage instead of HTTP gives one line", async () => {
  await assertUnreachable(async (c) => {
    await c.write("SSH-2.0-OpenSSH_9.6\r\n\r\n");
    c.close();
    // What the runtime says depends on whether the garbage or the close reaches it first.
  }, /^(invalid HTTP version parsed|received unexpected message from connection)$/);
});

Deno.test("a stream without its final chunk ends with an error after the text", async () => {
  await withFaults({
    "POST /api/generate": (c) => c.ndjson([{ model: "m", response: "half", done: false }]),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals(result.stdout, "half");
    assertOneErrorLine(result, "the server closed the stream before the response was complete");
  });
});

const BROKEN = "the connection to the server broke during its answer " +
  "(error reading a body from connection)";

Deno.test("a connection that closes inside a chunked stream gives one line", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.ndjson([{ model: "m", response: "cut", done: false }], { unfinished: true }),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals(result.stdout, "cut");
    assertOneErrorLine(result, BROKEN);
  });
});

Deno.test("a connection that closes after the final chunk still gives the whole answer", async () => {
  // The final object completes the answer; the body's end is not waited for.
  await withFaults({
    "POST /api/generate": (c) => c.ndjson(answer("whole"), { unfinished: true }),
  }, async (server) => {
    assertEquals(await dollama(server, ["run", "m", "hi"]), {
      code: 0,
      stdout: "whole\n",
      stderr: "",
    });
  });
});

Deno.test("broken chunked framing gives one line", async () => {
  await withFaults({
    "POST /api/generate": async (c) => {
      await c.head(200, { "Transfer-Encoding": "chunked" });
      await c.write("zz\r\nnot a chunk\r\n0\r\n\r\n");
      c.close();
    },
  }, async (server) => {
    assertOneErrorLine(await dollama(server, ["run", "m", "hi"]), BROKEN);
  });
});

Deno.test("a gzip-encoded stream is decoded", async () => {
  const zipped = new Uint8Array(
    await new Response(
      new Blob(lines(answer("zipped"))).stream().pipeThrough(new CompressionStream("gzip")),
    ).arrayBuffer(),
  );
  await withFaults({
    "POST /api/generate": (c) => c.respond(200, zipped, { "Content-Encoding": "gzip" }),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals([result.code, result.stdout, result.stderr], [0, "zipped\n", ""]);
  });
});

Deno.test("invalid UTF-8 in a stream becomes replacement characters", async () => {
  const encoder = new TextEncoder();
  const body = new Uint8Array([
    ...encoder.encode('{"response":"a'),
    0xff,
    0xc3,
    ...encoder.encode('b","done":false}\n{"done":true}\n'),
  ]);
  await withFaults({ "POST /api/generate": (c) => c.respond(200, body) }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals([result.code, result.stdout], [0, "a\ufffd\ufffdb\n"]);
  });
});

Deno.test("a 10 MB line arrives whole", async () => {
  const big = "y".repeat(10_000_000);
  await withFaults({
    "POST /api/generate": (c) => c.chunked(200, lines(answer(big))),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals([result.code, result.stdout.length, result.stderr], [0, big.length + 1, ""]);
  });
});

Deno.test("a 70 MB line is refused with one line instead of buffered without end", async () => {
  await withFaults({
    "POST /api/generate": (c) => c.chunked(200, lines(answer("y".repeat(70_000_000)))),
  }, async (server) => {
    assertOneErrorLine(
      await dollama(server, ["run", "m", "hi"]),
      "the server sent a line longer than 64 MB",
    );
  });
});

Deno.test("100 000 tiny chunks all arrive", async () => {
  const pieces = Array.from({ length: 100_000 }, () => '{"response":"a","done":false}\n');
  await withFaults({
    "POST /api/generate": (c) => c.chunked(200, [...pieces, '{"done":true}\n']),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi"]);
    assertEquals([result.code, result.stdout], [0, "a".repeat(100_000) + "\n"]);
  });
});

Deno.test("a redirect is followed", async () => {
  await withFaults({
    "GET /api/tags": (c) => c.respond(307, "", { Location: "/elsewhere/tags" }),
    "GET /elsewhere/tags": (c) => c.json(200, { models: [{ name: "m:latest", digest: "d" }] }),
  }, async (server) => {
    const result = await dollama(server, ["list"]);
    assertEquals(result.code, 0);
    assertStringIncludes(result.stdout, "m:latest");
  });
});

Deno.test("the IPv6 loopback works as OLLAMA_HOST", async () => {
  let server: FaultServer;
  try {
    server = new FaultServer({ "GET /api/tags": (c) => c.json(200, { models: [] }) }, {
      hostname: "::1",
    });
  } catch {
    // No IPv6 on this machine: nothing to check.
    return;
  }
  try {
    assertEquals(server.url, `http://[::1]:${server.port}`);
    const result = await runCli(["list"], { host: `[::1]:${server.port}` });
    assertEquals([result.code, result.stdout], [0, "NAME    ID    SIZE    MODIFIED \n"]);
  } finally {
    await server.close();
  }
});

Deno.test("HTTP_PROXY carries the requests, and NO_PROXY takes a host out of it", async () => {
  const proxy = new FaultServer({
    "HEAD http://ollama.invalid:11434/": (c) => c.respond(200),
    "GET http://ollama.invalid:11434/api/tags": (c) => c.json(200, { models: [] }),
  });
  try {
    const viaProxy = await runCli(["list"], {
      host: "ollama.invalid:11434",
      env: { HTTP_PROXY: proxy.url },
    });
    assertEquals([viaProxy.code, viaProxy.stderr], [0, ""]);
    assertEquals(proxy.requests.map((r) => r.path), [
      "http://ollama.invalid:11434/",
      "http://ollama.invalid:11434/api/tags",
    ]);
    await withFaults({ "GET /api/tags": (c) => c.json(200, { models: [] }) }, async (server) => {
      const direct = await dollama(server, ["list"], {
        env: { HTTP_PROXY: proxy.url, NO_PROXY: "127.0.0.1" },
      });
      assertEquals([direct.code, direct.stderr], [0, ""]);
      assertEquals(server.requests.length, 2);
      assertEquals(proxy.requests.length, 2);
    });
  } finally {
    await proxy.close();
  }
});

Deno.test("HTTP_PROXY never carries requests to this machine, as upstream's proxy rules say", async () => {
  const proxy = new FaultServer({});
  try {
    await withFaults({ "GET /api/tags": (c) => c.json(200, { models: [] }) }, async (server) => {
      const port = new URL(server.url).port;
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
        for (const NO_PROXY of ["", "*", "example.com"]) {
          const result = await runCli(["list"], { host, env: { HTTP_PROXY: proxy.url, NO_PROXY } });
          assertEquals([result.code, result.stderr], [0, ""], `${host} NO_PROXY=${NO_PROXY}`);
        }
      }
      assertEquals(proxy.requests.length, 0);
    });
  } finally {
    await proxy.close();
  }
});
