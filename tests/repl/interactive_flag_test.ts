import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { baseEnv, dollamaCommand } from "../support/cli.ts";

function hasSetsid(): boolean {
  try {
    return new Deno.Command("setsid", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

// setsid (util-linux) starts dollama with no controlling terminal; macOS has no setsid.
Deno.test({
  name: "run -i handles having no terminal with a clear error",
  ignore: !hasSetsid(),
}, async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  try {
    // setsid: a new session with no controlling terminal, as under CI or cron.
    const out = await new Deno.Command("setsid", {
      args: ["-w", Deno.execPath(), ...dollamaCommand(["run", "llama3", "-i", "hi"])],
      env: { ...baseEnv(), OLLAMA_HOST: server.url },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 1);
    assertEquals(
      /^Error: -i needs a terminal to read the chat from, and there is none \(.+\)\n$/.test(stderr),
      true,
      stderr,
    );
    assertEquals(server.requestsTo("/api/chat").length, 0);
  } finally {
    await server.close();
  }
});
