/**
 * Clear errors for the cases users hit (docs/reliability.md, Clear errors), and credentials that
 * are used but never printed.
 */
import { assert, assertEquals } from "../support/assert.ts";
import { baseEnv, dollamaCommand, runCli } from "../support/cli.ts";
import { closedPort } from "../support/fault_server.ts";
import { assertOneErrorLine, dollama, withFaults } from "./helpers.ts";

Deno.test("a 403 on the heartbeat names the status and the Host header", async () => {
  await withFaults({ "HEAD /": (c) => c.respond(403) }, async (server) => {
    assertOneErrorLine(
      await dollama(server, ["list"]),
      `the server at ${server.url} answered 403 Forbidden; Ollama answers 403 when it rejects ` +
        "the Host header: use the server's IP address in OLLAMA_HOST, or start the server with " +
        "OLLAMA_HOST=0.0.0.0",
    );
  });
});

Deno.test("a 502 on the heartbeat names the status and the proxy", async () => {
  await withFaults({ "HEAD /": (c) => c.respond(502) }, async (server) => {
    assertOneErrorLine(
      await dollama(server, ["run", "m", "hi"]),
      `the server at ${server.url} answered 502 Bad Gateway; a proxy in front of Ollama could ` +
        "not reach it, is the Ollama server running?",
    );
  });
});

Deno.test("an HTML error page is reduced to its title", async () => {
  const page = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n" +
    "<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>" +
    "\r\n</html>\r\n";
  await withFaults({
    "POST /api/show": (c) => c.respond(504, page, { "Content-Type": "text/html" }),
    "POST /api/generate": (c) => c.respond(504, page, { "Content-Type": "text/html" }),
  }, async (server) => {
    assertOneErrorLine(await dollama(server, ["show", "m"]), "504 Gateway Time-out");
  });
});

Deno.test("stdin that is a directory says that it is stdin", async () => {
  await withFaults({}, async (server) => {
    const env = baseEnv({ OLLAMA_HOST: server.url });
    const out = await new Deno.Command("sh", {
      args: ["-c", 'exec "$@" < /', "sh", Deno.execPath(), ...dollamaCommand(["run", "m"])],
      env,
      clearEnv: true,
      cwd: new URL("../../", import.meta.url).pathname,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertOneErrorLine(
      { code: out.code, stdout: "", stderr: new TextDecoder().decode(out.stderr) },
      "stdin is a directory, not a file: cannot read a prompt from it",
    );
  });
});

Deno.test("an OLLAMA_API_KEY with a line break is named as the problem and never printed", async () => {
  await withFaults({}, async (server) => {
    const result = await dollama(server, ["list"], {
      env: { OLLAMA_API_KEY: "sk-top\nsecret" },
    });
    assertOneErrorLine(
      result,
      "OLLAMA_API_KEY contains a line break or another control character; set it to the key alone",
    );
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("control characters in OLLAMA_HOST are shown escaped on one line", async () => {
  const port = closedPort();
  const result = await runCli(["list"], { host: `127.0.0.1:${port}/a\nb\x1b[2J` });
  assertOneErrorLine(
    result,
    `could not connect to ollama server at http://127.0.0.1:${port}/a\\nb\\x1b[2J, run 'ollama ` +
      "serve' to start it or set OLLAMA_HOST to where it runs",
  );
  // In the host name they make no address at all: said in dollama's words, escaped too.
  const named = await runCli(["list"], { host: `exa\x1bmple\u202e:${port}` });
  assertOneErrorLine(
    named,
    `OLLAMA_HOST gives http://exa\\x1bmple\\u202e:${port}, which is not a valid address`,
  );
});

Deno.test("an OLLAMA_HOST that makes no address is said so, naming the variable", async () => {
  for (
    const [host, shown] of [
      ["exa mple.com", "http://exa mple.com:11434"],
      ["[::1]:11561:1", "http://[[::1]:11561:1]:11434"],
    ]
  ) {
    assertOneErrorLine(
      await runCli(["list"], { host }),
      `OLLAMA_HOST gives ${shown}, which is not a valid address`,
    );
  }
});

Deno.test("a port written with a sign or leading zeros is that port", async () => {
  await withFaults({ "GET /api/tags": (c) => c.json(200, { models: [] }) }, async (server) => {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:+${port}`, `127.0.0.1:0${port}`]) {
      const result = await runCli(["list"], { host });
      assertEquals([result.code, result.stderr], [0, ""], host);
    }
  });
});

Deno.test("an OLLAMA_API_KEY with a character a header cannot carry is said so, nothing sent", async () => {
  await withFaults({}, async (server) => {
    const result = await dollama(server, ["list"], { env: { OLLAMA_API_KEY: "key日本" } });
    assertOneErrorLine(
      result,
      "OLLAMA_API_KEY contains a character an HTTP header cannot carry; set it to the key alone",
    );
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("--dimensions 0 and a negative value get one message, before the server is asked", async () => {
  await withFaults({}, async (server) => {
    assertOneErrorLine(
      await dollama(server, ["run", "m", "text", "--dimensions", "0"]),
      'invalid value "0" for --dimensions (must be a whole number above 0)',
    );
    assertOneErrorLine(
      await dollama(server, ["run", "m", "text", "--dimensions", "-2"]),
      'invalid value "-2" for --dimensions (must be a whole number above 0)',
    );
    assertEquals(server.requests.length, 0);
  });
});

Deno.test("credentials in OLLAMA_HOST are sent as Basic authentication", async () => {
  await withFaults({
    "GET /api/tags": (c) => c.json(200, { models: [] }),
  }, async (server) => {
    const host = server.url.replace("http://", "http://user:s%40cret@");
    const result = await runCli(["list"], { host, env: { OLLAMA_API_KEY: "sk-key" } });
    assertEquals([result.code, result.stderr], [0, ""]);
    const expected = `Basic ${btoa("user:s@cret")}`;
    assertEquals(server.requests.map((r) => r.headers.authorization), [expected, expected]);
  });
});

Deno.test("credentials in OLLAMA_HOST are shown with the password as ***", async () => {
  const port = closedPort();
  const result = await runCli(["run", "m", "hi"], {
    host: `http://user:secret@127.0.0.1:${port}`,
  });
  assertOneErrorLine(
    result,
    `could not connect to ollama server at http://user:***@127.0.0.1:${port}, run 'ollama ` +
      "serve' to start it or set OLLAMA_HOST to where it runs",
  );
});

Deno.test("OLLAMA_API_KEY never appears in any output, whatever the server answers", async () => {
  const key = "sk-never-print-me";
  await withFaults({
    "GET /api/tags": (c) => c.json(401, { error: "unauthorized" }),
    "POST /api/show": (c) => c.json(500, { error: "internal" }),
    "POST /api/pull": (c) => c.json(403, { error: "forbidden" }),
  }, async (server) => {
    for (
      const args of [["list"], ["show", "m"], ["pull", "m"], ["run", "m", "hi"], ["--version"]]
    ) {
      const result = await dollama(server, args, { env: { OLLAMA_API_KEY: key } });
      assert(!`${result.stdout}${result.stderr}`.includes(key), `${args}: ${result.stderr}`);
    }
    assertEquals(server.requests[0].headers.authorization, `Bearer ${key}`);
  });
});
