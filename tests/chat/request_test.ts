/** Settings to the wire: each request's exact JSON, with and without every optional setting. */
import { assertEquals } from "../support/assert.ts";
import {
  chatRequest,
  embedRequest,
  generateRequest,
  preloadRequest,
} from "../../lib/chat/request.ts";

const all = { think: "high" as const, format: "json" as const, keepAlive: "5m0s" };

Deno.test("chatRequest handles no settings: model, messages and options only", () => {
  const request = chatRequest("llama3", {}, {
    messages: [{ role: "user", content: "hi" }],
    options: {},
  });
  assertEquals(
    JSON.stringify(request),
    '{"model":"llama3","messages":[{"role":"user","content":"hi"}],"options":{}}',
  );
});

Deno.test("chatRequest handles every setting, the options and the tools", () => {
  const request = chatRequest(
    "qwen3",
    all,
    { messages: [], options: { temperature: 0.5 } },
    [{ type: "function" }],
  );
  assertEquals(
    JSON.stringify(request),
    '{"model":"qwen3","messages":[],"options":{"temperature":0.5},"format":"json",' +
      '"think":"high","keep_alive":"5m0s","tools":[{"type":"function"}]}',
  );
});

Deno.test("chatRequest handles think false and keep-alive 0: sent, not dropped", () => {
  const request = chatRequest("m", { think: false, keepAlive: 0 }, { messages: [], options: {} });
  assertEquals(request.think, false);
  assertEquals(request.keep_alive, 0);
});

Deno.test("chatRequest handles a later change to the conversation: the request keeps its copy", () => {
  const messages = [{ role: "user" as const, content: "a" }];
  const options: Record<string, unknown> = {};
  const request = chatRequest("m", {}, { messages, options });
  messages.push({ role: "user", content: "b" });
  options.seed = 1;
  assertEquals(request.messages.length, 1);
  assertEquals(request.options, {});
});

Deno.test("generateRequest handles a one-shot prompt with and without settings and images", () => {
  assertEquals(
    JSON.stringify(generateRequest("llama3", {}, "hi")),
    '{"model":"llama3","prompt":"hi","options":{}}',
  );
  assertEquals(
    JSON.stringify(generateRequest("llava", all, "what?", ["AAAA"])),
    '{"model":"llava","prompt":"what?","options":{},"format":"json","keep_alive":"5m0s",' +
      '"think":"high","images":["AAAA"]}',
  );
  assertEquals(generateRequest("llava", {}, "x", []).images, undefined);
});

Deno.test("preloadRequest handles keep-alive and think, never format or a prompt", () => {
  assertEquals(JSON.stringify(preloadRequest("llama3", {})), '{"model":"llama3"}');
  assertEquals(
    JSON.stringify(preloadRequest("llama3", all)),
    '{"model":"llama3","keep_alive":"5m0s","think":"high"}',
  );
});

Deno.test("embedRequest handles keep-alive, truncate and dimensions when given", () => {
  assertEquals(JSON.stringify(embedRequest("e", "text", {})), '{"model":"e","input":"text"}');
  assertEquals(
    JSON.stringify(embedRequest("e", "text", { keepAlive: "1m", truncate: false, dimensions: 8 })),
    '{"model":"e","input":"text","keep_alive":"1m","truncate":false,"dimensions":8}',
  );
});
