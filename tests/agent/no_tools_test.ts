/**
 * `--experimental` when the agent has nothing to offer: a model without the `tools` capability
 * gets a warning at start-up instead of silence, and `/tools` with OLLAMA_AGENT_DISABLE_BASH on a
 * model that can call tools says why there are none instead of blaming the model. In a real
 * pseudo-terminal (tmux) against the fake server.
 */
import { assertEquals, assertStringIncludes } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { startDollama } from "../support/tmux.ts";
import { noEffectWarnings } from "../../lib/commands/run_options.ts";

Deno.test("noEffectWarnings(): --experimental in the chat of a model without tools", () => {
  const chat = { model: "llama3", embedding: false, interactive: true };
  assertEquals(noEffectWarnings({ experimental: true }, { ...chat, tools: false }), [
    '--experimental has no effect: "llama3" does not support tools',
  ]);
  assertEquals(noEffectWarnings({ experimental: true }, { ...chat, tools: true }), []);
});

Deno.test("agent: --experimental on a model without tools says so once at start-up", async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest", reply: "Hi." }] });
  const term = await startDollama(["run", "llama3", "--experimental"], { host: server.url });
  try {
    const screen = await term.waitFor(/^>>>/m);
    assertEquals(
      screen.split("\n")[0],
      'warning: --experimental has no effect: "llama3" does not support tools',
    );
    await term.sendKeys("C-d");
    assertEquals(await term.waitForExit(), 0);
  } finally {
    await term.kill();
    await server.close();
  }
});

Deno.test("agent: /tools with OLLAMA_AGENT_DISABLE_BASH names the variable, not the model", async () => {
  const server = new FakeOllama({
    models: [{ name: "qwen3:latest", capabilities: ["completion", "tools"], reply: "Hi." }],
  });
  const term = await startDollama(["run", "qwen3", "--experimental"], {
    host: server.url,
    env: { OLLAMA_AGENT_DISABLE_BASH: "1" },
  });
  try {
    await term.waitFor(/^>>>/m);
    await term.sendText("/tools");
    await term.sendKeys("Enter");
    const screen = await term.waitFor(/Tools not available.*\n>>>/);
    assertStringIncludes(
      screen,
      ">>> /tools\nTools not available - OLLAMA_AGENT_DISABLE_BASH is set\n>>>",
    );
    await term.sendKeys("C-d");
    assertEquals(await term.waitForExit(), 0);
  } finally {
    await term.kill();
    await server.close();
  }
});
