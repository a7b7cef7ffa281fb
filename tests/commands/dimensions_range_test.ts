/**
 * `--dimensions` past 2^53 is refused before the server is contacted, as Go refuses an int flag
 * out of range, instead of being sent rounded (`1e20` for 99999999999999999999).
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { runCli } from "../support/cli.ts";

Deno.test("--dimensions too large for an exact number: one error line, exit 1, nothing sent", async () => {
  const server = new FakeOllama({
    models: [{ name: "all-minilm:latest", capabilities: ["embedding"], embedding: [0.5] }],
  });
  try {
    const result = await runCli(
      ["run", "all-minilm", "--dimensions", "99999999999999999999", "x"],
      { host: server.url },
    );
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr:
        'Error: invalid value "99999999999999999999" for --dimensions (must be a whole number)\n',
    });
    assertEquals(server.requests.length, 0);
  } finally {
    await server.close();
  }
});
