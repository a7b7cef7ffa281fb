/**
 * Answers that are not what their status says (docs/reliability.md, Server text): an error
 * status the status table does not name, an `error` sent with 200, a redirect that cannot be
 * followed, and a server's message of several lines. Each is one `Error:` line and exit 1.
 */
import { assertEquals } from "../support/assert.ts";
import { answer, assertOneErrorLine, dollama, withFaults } from "./helpers.ts";

Deno.test("an error status without a name in the table is named by its reason phrase", async () => {
  await withFaults({
    "POST /api/generate": (c) => c.json(422, { error: "bad input" }),
  }, async (server) => {
    assertOneErrorLine(
      await dollama(server, ["run", "m", "hi"]),
      "422 Unprocessable Entity: bad input",
    );
  });
});

Deno.test("an `error` sent with status 200 is a refusal, not an empty answer", async () => {
  const refusal = (c: Parameters<Parameters<typeof withFaults>[0][string]>[0]) =>
    c.json(200, { error: "boom at 200" });
  await withFaults({
    "GET /api/tags": refusal,
    "GET /api/ps": refusal,
    "POST /api/generate": refusal,
  }, async (server) => {
    for (const args of [["list"], ["ps"], ["stop", "m"]]) {
      assertOneErrorLine(await dollama(server, args), "boom at 200");
    }
  });
  await withFaults({ "POST /api/show": refusal }, async (server) => {
    assertOneErrorLine(await dollama(server, ["show", "m"]), "boom at 200");
  });
});

Deno.test("a redirect without a Location, or a 1xx, is an error naming its status", async () => {
  await withFaults({
    "GET /api/tags": (c) => c.respond(301),
    "GET /api/ps": (c) => c.respond(103),
  }, async (server) => {
    assertOneErrorLine(
      await dollama(server, ["list"]),
      "the server answered 301 Moved Permanently",
    );
    const ps = await dollama(server, ["ps"]);
    assertEquals(ps.code, 1, ps.stderr);
  });
});

Deno.test("a server's message of several lines is one error line", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.ndjson([...answer("partial ").slice(0, 1), { error: "model failed\nsuccess\n$ " }]),
    "GET /api/tags": (c) => c.respond(503, "upstream connect error\r\nreset reason: overflow\n"),
    "GET /api/ps": (c) =>
      c.json(401, {
        error: "unauthorized",
        signin_url: "https://ollama.com/connect?x=1\nError: fake second line",
      }),
  }, async (server) => {
    const run = await dollama(server, ["run", "m", "hi"]);
    assertEquals(run.stdout, "partial ");
    assertOneErrorLine(run, "model failed success $");
    assertOneErrorLine(
      await dollama(server, ["list"]),
      "upstream connect error reset reason: overflow",
    );
    const ps = await dollama(server, ["ps"]);
    assertEquals(ps.code, 1);
    // The sign-in hint and its URL, on the one line.
    assertEquals(ps.stderr.split("\n").length, 2, ps.stderr);
  });
});
