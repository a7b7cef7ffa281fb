/**
 * The demo server's models: the ones the recordings in tests/fixtures/transcripts/ were made with
 * (their `/api/tags` entries, `/api/show` bodies and embedding taken from the recording), plus a
 * vision model and one that is pulled from the registry on first use, so every kind of model
 * dollama treats differently is there to try.
 */
import type { FakeModel, FakeOptions } from "./fake_ollama.ts";
import { bodyOf, type Exchange, loadExchanges } from "../replay/recording.ts";

export const DEMO_PORT = 11435;

/** What the demo tells a newcomer about each model. */
export interface DemoModel {
  name: string;
  capabilities: string[];
  /** How to get it, when it is not on the server yet. */
  note?: string;
}

// deno-lint-ignore no-explicit-any
type Json = any;

function recordedBody(exchanges: Exchange[], scenario: string, path: string): Json {
  const exchange = exchanges.find((e) => e.scenario === scenario && e.path === path);
  if (!exchange) throw new Error(`the recording has no ${path} in ${scenario}`);
  return JSON.parse(bodyOf(exchange));
}

const SKY = "The sky looks blue because of Rayleigh scattering: air molecules scatter the short, " +
  "blue wavelengths of sunlight far more strongly than the long, red ones, so blue light " +
  "reaches your eyes from every part of the sky.";

/** Long enough that the recorded `num_predict` limits cut it, as they cut the real thinking. */
const THINKING = "The answer to this classic math problem involves a bit of creative thinking. " +
  "In this case, it's not just about adding two and two: the user wants a short, plain answer, " +
  "so I will give the sum and nothing else, and check it once more before I answer them.";

/** The demo's fake server options, built from the recording. */
export function demoOptions(
  exchanges: Exchange[] = loadExchanges(),
  now = Date.now(),
): FakeOptions {
  const tags: Json[] = recordedBody(exchanges, "list", "/api/tags").models;
  const listed = (name: string) => {
    const entry = tags.find((t) => t.name === name);
    if (!entry) throw new Error(`the recording's list has no ${name}`);
    return entry;
  };
  // The recorded models as /api/tags listed them: name, size, digest, date and details.
  const recorded = (name: string, model: Omit<FakeModel, "name">): FakeModel => {
    const { size, digest, modified_at, ...list } = listed(name);
    return { name, size, digest, modified_at, list, ...model };
  };
  const show = (scenario: string) => recordedBody(exchanges, scenario, "/api/show");
  const embed = recordedBody(exchanges, "embed", "/api/embed");
  const gemmaShow = (capabilities: string[]) => ({
    details: listed("gemma3:latest").details,
    model_info: {
      "general.architecture": "gemma3",
      "general.parameter_count": 268098176,
      "gemma3.context_length": 32768,
      "gemma3.embedding_length": 640,
    },
    capabilities,
  });
  const running = recordedBody(exchanges, "ps", "/api/ps").models.map((m: Json) => ({
    ...m,
    // Recorded a few minutes before expiry; kept a day ahead so `ps` shows a live model.
    expires_at: new Date(now + 24 * 3600_000).toISOString(),
  }));

  return {
    version: recordedBody(exchanges, "version", "/api/version").version,
    chunkDelayMs: 30,
    running,
    models: [
      recorded("smollm2:latest", { reply: SKY, show: show("show-smollm2") }),
      recorded("smollm2-tools:latest", {
        capabilities: ["completion", "tools", "thinking"],
        thinking: THINKING,
        reply: "2 + 2 = 4.",
        toolCalls: [{
          id: "call_ue4nilek",
          function: { index: 0, name: "bash", arguments: { command: "ls" } },
        }],
        show: show("show-tools-thinking"),
      }),
      recorded("all-minilm:latest", {
        capabilities: ["embedding"],
        embedding: embed.embeddings[0],
        contextLength: 512,
        show: show("show-embedding"),
      }),
      recorded("gemma3:latest", { reply: SKY, show: gemmaShow(["completion"]) }),
      recorded("gemma3-fn:latest", {
        capabilities: ["completion", "tools"],
        reply: "I can call tools.",
        show: gemmaShow(["completion", "tools"]),
      }),
      {
        name: "qwen2.5vl:3b",
        capabilities: ["completion", "vision"],
        reply: "The image shows a small terminal window with a prompt in it.",
        size: 3_200_000_000,
        digest: "fb90415cde1e5c2f8a3be89b5f3fd8ee83a3b77ef87b55ec0e5f8e6d9a6d4f4e",
        list: { details: details("qwen25vl", "3.8B", "Q4_K_M") },
        show: {
          details: details("qwen25vl", "3.8B", "Q4_K_M"),
          model_info: {
            "general.architecture": "qwen25vl",
            "general.parameter_count": 3_754_622_976,
            "qwen25vl.context_length": 128_000,
            "qwen25vl.embedding_length": 2048,
          },
        },
      },
    ],
    registry: [{
      name: "qwen3:latest",
      capabilities: ["completion", "tools", "thinking"],
      thinking: "A short question; a short answer will do.",
      reply: "Hello! How can I help you today?",
      size: 5_225_387_923,
      digest: "500a1f067a9f782620b40bee6f7b0c89e17ae61f686b92c24933e4ca4b2b8b41",
      layers: [
        {
          digest: "sha256:a3de86cd1c132c822487ededd47a324c50491393e6565cd14bafa40d0b8e686f",
          total: 5_225_374_368,
          steps: [1e9, 2.5e9, 4e9, 5_225_374_368],
        },
        {
          digest: "sha256:ae370d884f108d16e7cc8fd5259ebc5773a0afa6e078b11f4ed7e39a27e0dfc4",
          total: 11_338,
        },
      ],
    }],
  };
}

function details(family: string, parameterSize: string, quantization: string) {
  return {
    parent_model: "",
    format: "gguf",
    family,
    families: [family],
    parameter_size: parameterSize,
    quantization_level: quantization,
  };
}

/** The models the demo offers, for its start-up message. */
export function demoModels(options: FakeOptions): DemoModel[] {
  const local = (options.models ?? []).map((m) => ({
    name: m.name.replace(/:latest$/, ""),
    capabilities: m.capabilities ?? ["completion"],
  }));
  const pulled = (options.registry ?? []).map((m) => ({
    name: m.name.replace(/:latest$/, ""),
    capabilities: m.capabilities ?? ["completion"],
    note: "pulled on first use",
  }));
  return [...local, ...pulled];
}

/** The demo's start-up message: where it listens, the line to paste, and its models. */
export function demoBanner(url: string, models: DemoModel[]): string {
  const width = Math.max(...models.map((m) => m.name.length)) + 2;
  const rows = models.map((m) =>
    `  ${m.name.padEnd(width)}${m.capabilities.join(", ")}${m.note ? ` (${m.note})` : ""}`
  );
  return [
    `A fake Ollama server is listening on ${url}. In another shell:`,
    "",
    `  export OLLAMA_HOST=${url}`,
    `  deno task dollama run smollm2 "why is the sky blue?"`,
    "",
    "Models and their capabilities:",
    ...rows,
    "",
    "Answers are canned; Ctrl+C stops the server.",
    "",
  ].join("\n");
}
