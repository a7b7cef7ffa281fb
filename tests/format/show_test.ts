import { assertEquals } from "../support/assert.ts";
import {
  chosenField,
  formatField,
  formatShowInfo,
  metadataValue,
  shortArray,
  TOO_MANY_FIELDS,
} from "../../lib/format/show.ts";
import type { ShowResponse } from "../../lib/api/types.ts";
import { CliError } from "../../lib/errors.ts";

const DETAILS = { family: "test", parameter_size: "7B", quantization_level: "FP16" };
const BARE_MODEL = "  Model\n" +
  "    architecture    test    \n" +
  "    parameters      7B      \n" +
  "    quantization    FP16    \n\n";

// The first six cases are upstream's TestShowInfo (cmd/cmd_test.go). Its "system" case
// predates the `...` row that the official client now prints after the first two lines, so it
// has one here.
Deno.test("formatShowInfo() prints bare details", () => {
  assertEquals(formatShowInfo({ details: DETAILS }), BARE_MODEL);
});

Deno.test("formatShowInfo() prints bare model info", () => {
  const info: ShowResponse = {
    model_info: {
      "general.architecture": "test",
      "general.parameter_count": 7_000_000_000,
      "test.context_length": 0,
      "test.embedding_length": 0,
    },
    details: DETAILS,
  };
  assertEquals(
    formatShowInfo(info),
    "  Model\n" +
      "    architecture        test    \n" +
      "    parameters          7B      \n" +
      "    context length      0       \n" +
      "    embedding length    0       \n" +
      "    quantization        FP16    \n\n",
  );
});

Deno.test("formatShowInfo() splits parameters into columns", () => {
  const info: ShowResponse = {
    details: DETAILS,
    parameters:
      "\n\t\t\tstop never\n\t\t\tstop gonna\n\t\t\tstop give\n\t\t\tstop you\n\t\t\tstop up\n\t\t\ttemperature 99",
  };
  assertEquals(
    formatShowInfo(info),
    BARE_MODEL +
      "  Parameters\n" +
      "    stop           never    \n" +
      "    stop           gonna    \n" +
      "    stop           give     \n" +
      "    stop           you      \n" +
      "    stop           up       \n" +
      "    temperature    99       \n\n",
  );
});

Deno.test("formatShowInfo() prints the projector with HumanNumber parameters", () => {
  const info: ShowResponse = {
    details: DETAILS,
    projector_info: {
      "general.architecture": "clip",
      "general.parameter_count": 133_700_000,
      "clip.vision.embedding_length": 0,
      "clip.vision.projection_dim": 0,
    },
  };
  assertEquals(
    formatShowInfo(info),
    BARE_MODEL +
      "  Projector\n" +
      "    architecture        clip       \n" +
      "    parameters          133.70M    \n" +
      "    embedding length    0          \n" +
      "    dimensions          0          \n\n",
  );
});

Deno.test("formatShowInfo() shows the first two lines of the system prompt, then ...", () => {
  const info: ShowResponse = {
    details: DETAILS,
    system: "You are a pirate!\nAhoy, matey!\nWeigh anchor!\n\t\t\t",
  };
  assertEquals(
    formatShowInfo(info),
    BARE_MODEL +
      "  System\n    You are a pirate!    \n    Ahoy, matey!         \n    ...                  \n\n",
  );
});

Deno.test("formatShowInfo() shows two license lines and no ellipsis when there are only two", () => {
  const info: ShowResponse = { details: DETAILS, license: "MIT License\n\nCopyright (c) Ollama\n" };
  assertEquals(
    formatShowInfo(info),
    BARE_MODEL + "  License\n    MIT License             \n    Copyright (c) Ollama    \n\n",
  );
});

Deno.test("formatShowInfo() reproduces the reference example", () => {
  const info: ShowResponse = {
    model_info: {
      "general.architecture": "llama",
      "general.parameter_count": 3212749888,
      "llama.context_length": 131072,
      "llama.embedding_length": 3072,
    },
    details: { family: "llama", parameter_size: "3.2B", quantization_level: "Q4_K_M" },
    capabilities: ["completion", "tools"],
    parameters: 'stop                           "<|start_header_id|>"\n' +
      'stop                           "<|end_header_id|>"\n' +
      'stop                           "<|eot_id|>"',
    license: "LLAMA 3.2 COMMUNITY LICENSE AGREEMENT\n" +
      "Llama 3.2 Version Release Date: September 25, 2024\n\n" +
      "“Agreement” means the terms and conditions for use.\n",
  };
  assertEquals(
    formatShowInfo(info),
    "  Model\n" +
      "    architecture        llama     \n" +
      "    parameters          3.2B      \n" +
      "    context length      131072    \n" +
      "    embedding length    3072      \n" +
      "    quantization        Q4_K_M    \n" +
      "\n" +
      "  Capabilities\n" +
      "    completion    \n" +
      "    tools         \n" +
      "\n" +
      "  Parameters\n" +
      '    stop    "<|start_header_id|>"    \n' +
      '    stop    "<|end_header_id|>"      \n' +
      '    stop    "<|eot_id|>"             \n' +
      "\n" +
      "  License\n" +
      "    LLAMA 3.2 COMMUNITY LICENSE AGREEMENT                 \n" +
      "    Llama 3.2 Version Release Date: September 25, 2024    \n" +
      "    ...                                                   \n" +
      "\n",
  );
});

Deno.test("formatShowInfo() lists capabilities one per row", () => {
  assertEquals(
    formatShowInfo({ details: DETAILS, capabilities: ["vision", "tools"] }),
    BARE_MODEL + "  Capabilities\n    vision    \n    tools     \n\n",
  );
});

Deno.test("formatShowInfo() falls back to HumanNumber and adds remote rows and requires", () => {
  const info: ShowResponse = {
    remote_model: "gpt-oss:120b",
    remote_host: "https://ollama.com:443",
    model_info: { "general.architecture": "gptoss", "general.parameter_count": 8e9 },
    details: { quantization_level: "MXFP4" },
    requires: "0.12.0",
  };
  assertEquals(
    formatShowInfo(info),
    "  Model\n" +
      "    Remote model    gpt-oss:120b              \n" +
      "    Remote URL      https://ollama.com:443    \n" +
      "    architecture    gptoss                    \n" +
      "    parameters      8B                        \n" +
      "    quantization    MXFP4                     \n" +
      "    requires        0.12.0                    \n\n",
  );
});

Deno.test("formatShowInfo() adds Metadata and Tensors only when verbose", () => {
  const info: ShowResponse = {
    model_info: {
      "general.architecture": "llama",
      "general.parameter_count": 8030261248,
      "llama.rope.freq_base": 500000,
      "tokenizer.ggml.add_bos_token": true,
      "tokenizer.ggml.tokens": ["!", '"', "#", "$", "%", "&", "'"],
      "tokenizer.ggml.model": "gpt2",
    },
    details: { parameter_size: "8.0B", quantization_level: "Q4_K_M" },
    tensors: [{ name: "token_embd.weight", type: "Q4_K", shape: [4096, 128256] }],
  };
  const plain = formatShowInfo(info, false);
  assertEquals(plain.includes("Metadata") || plain.includes("Tensors"), false);
  assertEquals(
    formatShowInfo(info, true),
    "  Model\n" +
      "    architecture    llama     \n" +
      "    parameters      8.0B      \n" +
      "    quantization    Q4_K_M    \n\n" +
      "  Metadata\n" +
      "    general.architecture            llama                 \n" +
      "    general.parameter_count         8.030261248e+09       \n" +
      "    llama.rope.freq_base            500000                \n" +
      "    tokenizer.ggml.add_bos_token    true                  \n" +
      "    tokenizer.ggml.model            gpt2                  \n" +
      '    tokenizer.ggml.tokens           [! " # ...+4 more]    \n\n' +
      "  Tensors\n" +
      "    token_embd.weight    Q4_K    [4096 128256]    \n\n",
  );
});

Deno.test("shortArray() keeps about ten columns of items", () => {
  assertEquals(shortArray([1, 2, 3, 4, 5, 6]), "[1 2 3 ...+3 more]");
  assertEquals(shortArray(["a", "b"]), "[a b]");
  assertEquals(shortArray([]), "[]");
  assertEquals(shortArray(["a-very-long-token", "b"]), "[a-very-long-token ...+1 more]");
  assertEquals(shortArray([1000000, 2]), "[1e+06 2]");
});

Deno.test("metadataValue() prints Go's %g, %t and %T", () => {
  assertEquals(metadataValue(8e9), "8e+09");
  assertEquals(metadataValue(131072), "131072");
  assertEquals(metadataValue(0.00001), "1e-05");
  assertEquals(metadataValue(0.0001), "0.0001");
  assertEquals(metadataValue(false), "false");
  assertEquals(metadataValue(null), "<nil>");
  assertEquals(metadataValue({ a: 1 }), "map[string]interface {}");
});

Deno.test("chosenField() allows one field flag and rejects two with upstream's text", () => {
  assertEquals(chosenField({}), undefined);
  assertEquals(chosenField({ verbose: true }), undefined);
  assertEquals(chosenField({ template: true, verbose: true }), "template");
  let error: unknown;
  try {
    chosenField({ license: true, system: true });
  } catch (err) {
    error = err;
  }
  assertEquals(error instanceof CliError, true);
  assertEquals((error as Error).message, TOO_MANY_FIELDS);
  assertEquals(
    TOO_MANY_FIELDS,
    "only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified",
  );
});

Deno.test("formatField() ends license, modelfile and parameters with a newline only", () => {
  const info: ShowResponse = {
    license: "MIT",
    modelfile: "FROM x",
    parameters: "stop x",
    system: "Be brief.",
    template: "{{ .Prompt }}",
  };
  assertEquals(formatField(info, "license"), "MIT\n");
  assertEquals(formatField(info, "modelfile"), "FROM x\n");
  assertEquals(formatField(info, "parameters"), "stop x\n");
  assertEquals(formatField(info, "system"), "Be brief.");
  assertEquals(formatField(info, "template"), "{{ .Prompt }}");
  assertEquals(formatField({}, "license"), "\n");
});
