/**
 * The demo server after `/save NAME` in the chat: the new model is listed under its own name, as a
 * real server lists it, not as a second copy of the model it was made from.
 */
import { assertEquals } from "../support/assert.ts";
import { demoOptions } from "../support/demo.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { runCli } from "../support/cli.ts";

Deno.test("demo: a model created from a recorded one is listed under its own name", async () => {
  const server = new FakeOllama({ ...demoOptions(), port: 0 });
  try {
    const created = await fetch(`${server.url}/api/create`, {
      method: "POST",
      body: JSON.stringify({ model: "mysave", from: "smollm2:latest" }),
    });
    await created.body?.cancel();
    assertEquals(created.status, 200);
    const list = await runCli(["list", "--json"], { host: server.url });
    assertEquals(list.code, 0, list.stderr);
    const names: string[] = JSON.parse(list.stdout).models.map((m: { name: string }) => m.name);
    assertEquals(names.filter((n) => n === "smollm2:latest"), ["smollm2:latest"]);
    assertEquals(names.includes("mysave:latest"), true, names.join(", "));
  } finally {
    await server.close();
  }
});
