/**
 * Responses of the wrong shape give one clear line naming the endpoint, never JavaScript's own
 * text (docs/reliability.md, Shape checks).
 */
import { assertEquals } from "../support/assert.ts";
import { answer, assertOneErrorLine, dollama, withFaults } from "./helpers.ts";

const unexpected = (endpoint: string) => `the server sent an unexpected response to ${endpoint}`;

Deno.test("show handles a body of null with one line naming /api/show", async () => {
  await withFaults({ "POST /api/show": (c) => c.respond(200, "null") }, async (server) => {
    assertOneErrorLine(await dollama(server, ["show", "m"]), unexpected("/api/show"));
    assertOneErrorLine(await dollama(server, ["run", "m", "hi"]), unexpected("/api/show"));
  });
});

Deno.test("list handles models that are not a list with one line naming /api/tags", async () => {
  await withFaults({
    "GET /api/tags": (c) => c.json(200, { models: { name: "m" } }),
  }, async (server) => {
    assertOneErrorLine(await dollama(server, ["list"]), unexpected("/api/tags"));
  });
});

Deno.test("list handles an HTML page answered with 200 as an unexpected response", async () => {
  await withFaults({
    "GET /api/tags": (c) => c.respond(200, "<html><body>Welcome to nginx!</body></html>"),
  }, async (server) => {
    assertOneErrorLine(await dollama(server, ["list"]), unexpected("/api/tags"));
  });
});

Deno.test("ps handles a model that is not an object with one line naming /api/ps", async () => {
  await withFaults({ "GET /api/ps": (c) => c.json(200, { models: [7] }) }, async (server) => {
    assertOneErrorLine(await dollama(server, ["ps"]), unexpected("/api/ps"));
  });
});

Deno.test("pull handles a numeric status with one line naming /api/pull", async () => {
  await withFaults({ "POST /api/pull": (c) => c.ndjson([{ status: 42 }]) }, async (server) => {
    assertOneErrorLine(await dollama(server, ["pull", "m"]), unexpected("/api/pull"));
  });
});

Deno.test("run --verbose handles durations that are strings after a complete answer", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.ndjson(answer("hello", {
        total_duration: "5s",
        eval_count: 2,
        eval_duration: "1s",
        prompt_eval_duration: 1_000_000_000,
        prompt_eval_count: 4,
      })),
  }, async (server) => {
    const result = await dollama(server, ["run", "m", "hi", "--verbose"]);
    assertEquals([result.code, result.stdout], [0, "hello\n"]);
    assertEquals(
      result.stderr,
      "prompt eval count:    4 token(s)\n" +
        "prompt eval duration: 1s\n" +
        "prompt eval rate:     4.00 tokens/s\n" +
        "eval count:           2 token(s)\n",
    );
  });
});

Deno.test("run handles a tool call without a function with one line naming the endpoint", async () => {
  await withFaults({
    "POST /api/generate": (c) =>
      c.ndjson([{ model: "m", response: "", tool_calls: [{ id: "x" }], done: true }]),
  }, async (server) => {
    assertOneErrorLine(await dollama(server, ["run", "m", "hi"]), unexpected("/api/generate"));
  });
});

Deno.test("run handles a stream chunk that is not an object", async () => {
  await withFaults({ "POST /api/generate": (c) => c.ndjson([5]) }, async (server) => {
    assertOneErrorLine(await dollama(server, ["run", "m", "hi"]), unexpected("/api/generate"));
  });
});

Deno.test("run handles embeddings of the wrong shape with one line naming /api/embed", async () => {
  await withFaults({
    "POST /api/show": (c) => c.json(200, { capabilities: ["embedding"] }),
    "POST /api/embed": (c) => c.json(200, { embeddings: "none" }),
  }, async (server) => {
    assertOneErrorLine(await dollama(server, ["run", "m", "text"]), unexpected("/api/embed"));
  });
});

Deno.test("responses handle unknown extra fields by ignoring them", async () => {
  await withFaults({
    "GET /api/tags": (c) =>
      c.json(200, {
        models: [{ name: "m:latest", size: 1, digest: "abcdef", future: { a: [1] } }],
        cursor: "next",
      }),
    "POST /api/generate": (c) =>
      c.ndjson([{ model: "m", response: "ok", done: false, logprobs: [0.5] }, {
        model: "m",
        done: true,
        extra: null,
      }]),
  }, async (server) => {
    const list = await dollama(server, ["list"]);
    assertEquals(
      [list.code, list.stdout],
      [0, "NAME        ID        SIZE    MODIFIED \nm:latest    abcdef    1 B     Never       \n"],
    );
    const run = await dollama(server, ["run", "m", "hi"]);
    assertEquals([run.code, run.stdout, run.stderr], [0, "ok\n", ""]);
  });
});
