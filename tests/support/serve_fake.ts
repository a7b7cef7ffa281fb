/**
 * Starts the fake server by hand, for trying dollama without a real Ollama:
 *   deno run -A tests/support/serve_fake.ts   # prints OLLAMA_HOST=http://127.0.0.1:PORT
 */
import { FakeOllama } from "./fake_ollama.ts";

const server = new FakeOllama({
  chunkDelayMs: Number(Deno.env.get("FAKE_DELAY_MS") ?? "30"),
  models: [
    {
      name: "llama3:latest",
      reply: "The sky appears blue because of a phenomenon called Rayleigh scattering, in " +
        "which shorter wavelengths of sunlight are scattered far more strongly by the " +
        "molecules of the atmosphere than longer ones. 日本語のテキストも折り返されます。",
    },
    {
      name: "qwen3:latest",
      capabilities: ["completion", "thinking"],
      thinking: "The user wants a short answer. Let me think about the numbers carefully.",
      reply: "17 × 23 = 391.",
    },
    { name: "all-minilm:latest", capabilities: ["embedding"] },
  ],
  registry: [{
    name: "gemma3:latest",
    layers: [{ digest: "sha256:" + "6a0746a1ec1a".padEnd(64, "0"), total: 4_700_000_000 }],
  }],
});
console.log(`OLLAMA_HOST=${server.url}`);
