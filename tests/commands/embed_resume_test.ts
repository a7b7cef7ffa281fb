/**
 * `--resume ID` on an embedding model: the input is embedded on its own (an embedding is not a
 * turn of a conversation), and stderr says that the flag changed nothing instead of staying
 * silent. Subprocess runs against the fake server.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { runCli } from "../support/cli.ts";

Deno.test("--resume on an embedding model warns that it has no effect", async () => {
  const state = await Deno.makeTempDir({ prefix: "dollama-state-" });
  const server = new FakeOllama({
    models: [
      { name: "llama3:latest", reply: "Hi." },
      { name: "all-minilm:latest", capabilities: ["embedding"], embedding: [0.5, -0.25] },
    ],
  });
  const env = { XDG_STATE_HOME: state };
  try {
    const chat = await runCli(["run", "llama3", "hello"], { host: server.url, env });
    assertEquals(chat.code, 0, chat.stderr);
    const list = await runCli(["chats", "--json"], { host: server.url, env });
    const id: string = JSON.parse(list.stdout)[0].id;
    const embed = await runCli(["run", "all-minilm", "--resume", id, "x"], {
      host: server.url,
      env,
    });
    assertEquals(embed, {
      code: 0,
      stdout: "[0.5,-0.25]\n",
      stderr: 'warning: --resume has no effect: "all-minilm" is an embedding model\n',
    });
    assertEquals(server.requestsTo("/api/embed").map((r) => r.body.input), ["x"]);
  } finally {
    await server.close();
    await Deno.remove(state, { recursive: true });
  }
});
