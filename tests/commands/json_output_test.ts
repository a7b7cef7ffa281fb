/**
 * `--json` on list, ps and show: the documents as the README's Scripting section names them
 * (unit tests with exact bytes), and end to end through the CLI, where each parses as one JSON
 * document and carries the README's fields.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { runCli } from "../support/cli.ts";
import { listJson, psJson, showJson } from "../../lib/format/json_output.ts";
import type { ListModel, RunningModel, ShowResponse } from "../../lib/api/types.ts";

const DIGEST = "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72";

/** The fields the README promises, per document. */
const LIST_FIELDS = [
  "name",
  "id",
  "digest",
  "size",
  "modified_at",
  "remote",
  "family",
  "parameter_size",
  "quantization_level",
];
const PS_FIELDS = [
  "name",
  "id",
  "digest",
  "size",
  "size_vram",
  "processor",
  "context_length",
  "expires_at",
];
const SHOW_FIELDS = [
  "model",
  "capabilities",
  "architecture",
  "parameter_size",
  "parameter_count",
  "quantization_level",
  "context_length",
  "embedding_length",
  "parameters",
  "system",
  "template",
  "license",
  "remote_model",
  "remote_host",
  "modified_at",
];

Deno.test("listJson() prints every model's fields, filtered by prefix like the table", () => {
  const models: ListModel[] = [
    {
      name: "llama3.2:latest",
      model: "llama3.2:latest",
      modified_at: "2026-11-20T10:00:00Z",
      size: 2019393189,
      digest: DIGEST,
      details: { family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" },
    },
    {
      name: "kimi:cloud",
      model: "kimi:cloud",
      modified_at: "",
      size: 384,
      digest: "",
      remote_host: "https://ollama.com:443",
    },
  ];
  assertEquals(
    listJson(models, "LLAMA"),
    `{
  "models": [
    {
      "name": "llama3.2:latest",
      "id": "a80c4f17acd5",
      "digest": "${DIGEST}",
      "size": 2019393189,
      "modified_at": "2026-11-20T10:00:00Z",
      "remote": false,
      "family": "llama",
      "parameter_size": "3.2B",
      "quantization_level": "Q4_K_M"
    }
  ]
}
`,
  );
  const cloud = JSON.parse(listJson(models, "kimi")).models[0];
  assertEquals(cloud, {
    name: "kimi:cloud",
    id: "",
    digest: "",
    size: 0,
    modified_at: null,
    remote: true,
    family: null,
    parameter_size: null,
    quantization_level: null,
  });
  assertEquals(listJson([], undefined), '{\n  "models": []\n}\n');
});

Deno.test("psJson() prints the loaded models with the table's processor text", () => {
  const running: RunningModel[] = [{
    name: "qwen3:8b",
    model: "qwen3:8b",
    size: 1000,
    size_vram: 480,
    digest: DIGEST,
    expires_at: "2026-11-24T12:05:00Z",
    context_length: 4096,
  }];
  assertEquals(JSON.parse(psJson(running, undefined)), {
    models: [{
      name: "qwen3:8b",
      id: "a80c4f17acd5",
      digest: DIGEST,
      size: 1000,
      size_vram: 480,
      processor: "52%/48% CPU/GPU",
      context_length: 4096,
      expires_at: "2026-11-24T12:05:00Z",
    }],
  });
  // ps filters case-sensitively, as its table does.
  assertEquals(JSON.parse(psJson(running, "Qwen")), { models: [] });
});

Deno.test("showJson() names the model's facts; model_info only with --verbose", () => {
  const info: ShowResponse = {
    parameters:
      'stop                           "<|eot|>"\nstop                           "<|end|>"\n' +
      "temperature                    0.6\n",
    template: "{{ .Prompt }}",
    system: "You are helpful.",
    license: "",
    details: { family: "llama", parameter_size: "8.0B", quantization_level: "Q4_K_M" },
    model_info: {
      "general.architecture": "llama",
      "general.parameter_count": 8030261248,
      "llama.context_length": 131072,
      "llama.embedding_length": 4096,
    },
    capabilities: ["completion", "tools"],
    modified_at: "2026-11-20T10:00:00Z",
  };
  const expected = {
    model: "llama3.1",
    capabilities: ["completion", "tools"],
    architecture: "llama",
    parameter_size: "8.0B",
    parameter_count: 8030261248,
    quantization_level: "Q4_K_M",
    context_length: 131072,
    embedding_length: 4096,
    parameters: [
      { name: "stop", value: '"<|eot|>"' },
      { name: "stop", value: '"<|end|>"' },
      { name: "temperature", value: "0.6" },
    ],
    system: "You are helpful.",
    template: "{{ .Prompt }}",
    license: null,
    remote_model: null,
    remote_host: null,
    modified_at: "2026-11-20T10:00:00Z",
  };
  assertEquals(JSON.parse(showJson("llama3.1", info, false)), expected);
  assertEquals(JSON.parse(showJson("llama3.1", info, true)), {
    ...expected,
    model_info: info.model_info,
  });
  // Nothing known: every field is still there.
  assertEquals(Object.keys(JSON.parse(showJson("x", {}, false))), SHOW_FIELDS);
});

Deno.test("list, ps and show --json print one document with the README's fields", async () => {
  const server = new FakeOllama({
    models: [{ name: "llama3:latest" }, { name: "all-minilm:latest" }],
    running: [{
      name: "llama3:latest",
      model: "llama3:latest",
      size: 100,
      size_vram: 100,
      digest: DIGEST,
      expires_at: "2099-01-01T00:00:00Z",
    }],
  });
  try {
    const run = (args: string[]) => runCli(args, { host: server.url });
    const list = await run(["list", "--json"]);
    assertEquals([list.code, list.stderr], [0, ""]);
    const listed = JSON.parse(list.stdout).models;
    assertEquals(listed.map((m: { name: string }) => m.name), [
      "llama3:latest",
      "all-minilm:latest",
    ]);
    for (const model of listed) assertEquals(Object.keys(model), LIST_FIELDS);
    assertEquals(JSON.parse((await run(["ls", "all", "--json"])).stdout).models.length, 1);

    const ps = await run(["ps", "--json"]);
    assertEquals([ps.code, ps.stderr], [0, ""]);
    const loaded = JSON.parse(ps.stdout).models;
    assertEquals(loaded.length, 1);
    assertEquals(Object.keys(loaded[0]), PS_FIELDS);
    assertEquals(loaded[0].processor, "100% GPU");

    const show = await run(["show", "llama3", "--json"]);
    assertEquals([show.code, show.stderr], [0, ""]);
    const shown = JSON.parse(show.stdout);
    assertEquals(Object.keys(shown), SHOW_FIELDS);
    assertEquals([shown.model, shown.architecture, shown.capabilities], [
      "llama3",
      "llama",
      ["completion"],
    ]);
    const verbose = JSON.parse((await run(["show", "llama3", "--json", "-v"])).stdout);
    assertEquals(Object.keys(verbose), [...SHOW_FIELDS, "model_info"]);
  } finally {
    await server.close();
  }
});

Deno.test("show --json with a field flag is a usage error, before contacting the server", async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  try {
    const result = await runCli(["show", "llama3", "--json", "--license"], { host: server.url });
    assertEquals(result, {
      code: 1,
      stdout: "",
      stderr: "Error: --json prints every field: leave out --license\n",
    });
    assertEquals(server.requests.length, 0);
  } finally {
    await server.close();
  }
});
