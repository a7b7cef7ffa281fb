/** OllamaClient's web calls: their per-call timeout combined with the caller's signal. */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { OllamaClient } from "../../lib/api/client.ts";

/** A server whose web endpoints answer only when the test releases them. */
function stalledServer(): { server: FakeOllama; reached: Promise<void>; release: () => void } {
  let release = () => {};
  const released = new Promise<void>((resolve) => release = resolve);
  let reach = () => {};
  const reached = new Promise<void>((resolve) => reach = resolve);
  const server = new FakeOllama({
    handler: async (req) => {
      if (!req.path.startsWith("/api/experimental/")) return undefined;
      reach();
      await released;
      return Response.json({});
    },
  });
  return { server, reached, release };
}

async function errorName(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    return (err as Error).name;
  }
  return "(no error)";
}

Deno.test("webSearch and webFetch end with a TimeoutError when their own timeout passes", async () => {
  const { server, release } = stalledServer();
  try {
    const client = new OllamaClient({ baseUrl: server.url, userAgent: "t" });
    const signal = new AbortController().signal;
    assertEquals(await errorName(client.webSearch({ query: "q" }, signal, 50)), "TimeoutError");
    assertEquals(await errorName(client.webFetch({ url: "u" }, signal, 50)), "TimeoutError");
    assertEquals(signal.aborted, false);
  } finally {
    release();
    await server.close();
  }
});

Deno.test("webSearch ends with the caller's AbortError when the caller aborts first", async () => {
  const { server, reached, release } = stalledServer();
  try {
    const client = new OllamaClient({ baseUrl: server.url, userAgent: "t" });
    const controller = new AbortController();
    const call = client.webSearch({ query: "q" }, controller.signal, 60_000);
    await reached;
    controller.abort();
    assertEquals(await errorName(call), "AbortError");
  } finally {
    release();
    await server.close();
  }
});

Deno.test("webSearch and webFetch post their requests and return the parsed bodies", async () => {
  const server = new FakeOllama();
  try {
    const client = new OllamaClient({ baseUrl: server.url, userAgent: "dollama-test" });
    const signal = new AbortController().signal;
    const fetched = await client.webFetch({ url: "https://x.test/" }, signal, 5_000);
    assertEquals(fetched, { title: "Example", content: "The page at https://x.test/.", links: [] });
    await client.webSearch({ query: "q", max_results: 5 }, signal, 5_000);
    const request = server.requestsTo("/api/experimental/web_search")[0];
    assertEquals(request.body, { query: "q", max_results: 5 });
    assertEquals(request.headers["user-agent"], "dollama-test");
  } finally {
    await server.close();
  }
});
