/**
 * A run from source with an empty Deno cache prints nothing of Deno's own: node_modules (from
 * `deno install --frozen`) holds every dependency, and the `dollama` task's `--cached-only`
 * keeps Deno from asking the npm registry about them again (it would print
 * `Download https://registry.npmjs.org/…` on stderr, on every run, never caching the answer).
 */
import denoJson from "../../deno.json" with { type: "json" };
import { assertEquals } from "../support/assert.ts";
import { baseEnv } from "../support/cli.ts";
import { FakeOllama } from "../support/fake_ollama.ts";

const root = new URL("../../", import.meta.url).pathname;

Deno.test("the dollama task on an empty Deno cache prints only dollama's output", async () => {
  const server = new FakeOllama({ models: [{ name: "smollm2:latest", reply: "Hi." }] });
  const cache = await Deno.makeTempDir({ prefix: "dollama-deno-dir-" });
  try {
    const [deno, ...args] = denoJson.tasks.dollama.split(/\s+/);
    assertEquals(deno, "deno");
    const out = await new Deno.Command(Deno.execPath(), {
      args: [...args, "run", "smollm2", "hello"],
      cwd: root,
      env: { ...baseEnv({ OLLAMA_HOST: server.url }), DENO_DIR: cache },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    assertEquals(
      { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) },
      { code: 0, stdout: "Hi.\n", stderr: "" },
    );
  } finally {
    await server.close();
    await Deno.remove(cache, { recursive: true });
  }
});
