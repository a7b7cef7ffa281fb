/** OllamaClient's start-up bound, stream silence limit and authorization header. */
import { assert, assertEquals } from "../support/assert.ts";
import { closing } from "../support/closing.ts";
import { FaultServer } from "../support/fault_server.ts";
import { OllamaClient } from "../../lib/api/client.ts";
import { ServerTimeoutError } from "../../lib/api/errors.ts";

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a failure");
}

function withServer(
  routes: ConstructorParameters<typeof FaultServer>[0],
  fn: (server: FaultServer) => Promise<void>,
) {
  return closing(new FaultServer(routes), fn);
}

Deno.test("a start-up request handles the bound passing with a ServerTimeoutError", async () => {
  await withServer({ "GET /api/tags": (c) => c.stall() }, async (server) => {
    const client = new OllamaClient({
      baseUrl: server.url,
      displayUrl: "http://shown",
      userAgent: "t",
      timeoutMs: 100,
    });
    const err = await failure(client.list());
    assert(err instanceof ServerTimeoutError, String(err));
    assertEquals(err.message, "the server at http://shown did not answer within 0.1s");
  });
});

Deno.test("a start-up request handles the caller's abort as an abort, not a timeout", async () => {
  await withServer({ "GET /api/tags": (c) => c.stall() }, async (server) => {
    const client = new OllamaClient({ baseUrl: server.url, userAgent: "t", timeoutMs: 60_000 });
    const controller = new AbortController();
    const call = client.list(controller.signal);
    setTimeout(() => controller.abort(), 50);
    assertEquals((await failure(call) as Error).name, "AbortError");
  });
});

Deno.test("a stream handles silence by waiting when no limit is set, and failing when one is", async () => {
  await withServer({
    "POST /api/generate": async (c) => {
      await new Promise((r) => setTimeout(r, 300));
      await c.ndjson([{ response: "late", done: true }]);
    },
  }, async (server) => {
    const patient = new OllamaClient({ baseUrl: server.url, userAgent: "t", timeoutMs: 100 });
    const chunks: string[] = [];
    await patient.generate({ model: "m" }).each((batch) => {
      for (const event of batch) if (event.type === "content") chunks.push(event.text);
      return undefined;
    });
    assertEquals(chunks, ["late"]);

    const limited = new OllamaClient({ baseUrl: server.url, userAgent: "t", streamIdleMs: 100 });
    // Nothing arrives in time.
    const err = await failure(limited.generate({ model: "m" }).each(() => undefined));
    assert(err instanceof ServerTimeoutError, String(err));
  });
});

Deno.test("credentials from OLLAMA_HOST handle authorization instead of the API key", async () => {
  await withServer({ "GET /api/version": (c) => c.json(200, { version: "1" }) }, async (server) => {
    const both = new OllamaClient({
      baseUrl: server.url,
      userAgent: "t",
      apiKey: "sk",
      basicAuthorization: "Basic dTpw",
    });
    await both.version();
    const keyOnly = new OllamaClient({ baseUrl: server.url, userAgent: "t", apiKey: "sk" });
    await keyOnly.version();
    assertEquals(server.requests.map((r) => r.headers.authorization), ["Basic dTpw", "Bearer sk"]);
  });
});
