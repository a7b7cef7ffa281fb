/**
 * Large piped input end to end: stdin read into one growing buffer, and a prompt of millions of
 * characters sent as a streamed request body, arrive at the server exactly as typed.
 */
import { assertEquals } from "../support/assert.ts";
import { runCli } from "../support/cli.ts";
import { FakeOllama } from "../support/fake_ollama.ts";

/** Three million characters of mixed text: ASCII, two- to four-byte UTF-8, quotes, newlines. */
const INPUT = 'line "one" \\ é 日本語 👩‍👩‍👧\n'.repeat(120_000);

Deno.test("run sends megabytes of piped stdin to an embedding model intact", async () => {
  const server = new FakeOllama({
    models: [{ name: "emb:latest", capabilities: ["embedding"], embedding: [0.5] }],
  });
  try {
    const result = await runCli(["run", "emb"], { host: server.url, stdin: INPUT });
    assertEquals([result.code, result.stdout, result.stderr], [0, "[0.5]\n", ""]);
    const input = server.requestsTo("/api/embed")[0].body?.input;
    assertEquals(input === INPUT, true, "the input arrived changed");
  } finally {
    await server.close();
  }
});

Deno.test("run sends megabytes of piped stdin and the arguments as one prompt", async () => {
  const server = new FakeOllama({ models: [{ name: "m:latest", reply: "ok" }] });
  try {
    const result = await runCli(["run", "m", "summarize"], { host: server.url, stdin: INPUT });
    assertEquals([result.code, result.stdout], [0, "ok\n"]);
    const prompt = server.requestsTo("/api/generate")[0].body?.prompt;
    assertEquals(prompt === `${INPUT} summarize`, true, "the prompt arrived changed");
  } finally {
    await server.close();
  }
});
