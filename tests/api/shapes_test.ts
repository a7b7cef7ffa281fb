/** The response shape checks: what they accept (extra fields too), what they refuse, the repairs. */
import { assertEquals } from "../support/assert.ts";
import {
  chatShape,
  checked,
  embedShape,
  generateShape,
  listShape,
  psShape,
  pullShape,
  showShape,
  versionShape,
  webFetchShape,
  webSearchShape,
} from "../../lib/api/shapes.ts";
import { ShapeError } from "../../lib/api/errors.ts";

/** The ShapeError a body gets, as `[message, detail]`. */
function refusal(endpoint: string, body: unknown, check: (b: unknown) => unknown): string[] {
  try {
    checked(endpoint, body, check);
  } catch (err) {
    if (err instanceof ShapeError) return [err.message, err.detail];
    throw err;
  }
  throw new Error(`accepted: ${JSON.stringify(body)}`);
}

Deno.test("shape checks handle a body that is not an object", () => {
  for (const body of [null, [], "text", 3, true]) {
    assertEquals(refusal("/api/show", body, showShape), [
      "the server sent an unexpected response to /api/show",
      "body: expected an object",
    ]);
  }
  assertEquals(refusal("/api/generate", null, generateShape)[1], "chunk: expected an object");
  assertEquals(refusal("/api/pull", 7, pullShape)[1], "line: expected an object");
});

Deno.test("listShape() handles missing or null models as none, and refuses a non-list", () => {
  assertEquals<unknown>(listShape({}).models, []);
  assertEquals<unknown>(listShape({ models: null }).models, []);
  assertEquals(refusal("/api/tags", { models: {} }, listShape), [
    "the server sent an unexpected response to /api/tags",
    "models: expected a list",
  ]);
  assertEquals(
    refusal("/api/tags", { models: [null] }, listShape)[1],
    "models[0]: expected an object",
  );
  assertEquals(
    refusal("/api/tags", { models: [{ name: 5 }] }, listShape)[1],
    "name: expected a string",
  );
  assertEquals(
    refusal("/api/tags", { models: [{ size: "1" }] }, listShape)[1],
    "size: expected a number",
  );
  assertEquals(
    refusal("/api/tags", { models: [{ details: [] }] }, listShape)[1],
    "details: expected an object",
  );
});

Deno.test("listShape() and psShape() handle unknown extra fields by keeping them", () => {
  const model = { name: "m", size: 1, future: { x: 1 }, details: { family: "f", extra: true } };
  assertEquals<unknown>(listShape({ models: [model], next: 2 }), { models: [model], next: 2 });
  const running = { name: "m", size_vram: 0, expires_at: "2026-01-01T00:00:00Z", more: 1 };
  assertEquals<unknown>(psShape({ models: [running] }), { models: [running] });
  assertEquals(
    refusal("/api/ps", { models: [{ size_vram: "0" }] }, psShape)[1],
    "size_vram: expected a number",
  );
});

Deno.test("showShape() handles each field dollama reads", () => {
  assertEquals<unknown>(showShape({}), {});
  const info = {
    license: "MIT",
    capabilities: ["completion"],
    model_info: { "general.architecture": "llama" },
    tensors: [{ name: "t", type: "F32", shape: [1, 2] }],
    unknown_field: [1],
  };
  assertEquals<unknown>(showShape(info), info);
  assertEquals(
    refusal("/api/show", { capabilities: "tools" }, showShape)[1],
    "capabilities: expected a list of strings",
  );
  assertEquals(
    refusal("/api/show", { capabilities: [1] }, showShape)[1],
    "capabilities: expected a list of strings",
  );
  assertEquals(refusal("/api/show", { license: 1 }, showShape)[1], "license: expected a string");
  assertEquals(
    refusal("/api/show", { model_info: [] }, showShape)[1],
    "model_info: expected an object",
  );
  assertEquals(
    refusal("/api/show", { tensors: [{ shape: ["a"] }] }, showShape)[1],
    "shape: expected a list of numbers",
  );
});

Deno.test("generateShape() handles timing fields that are not numbers by dropping them", () => {
  assertEquals<unknown>(
    generateShape({ done: true, total_duration: "5s", eval_count: 3, eval_duration: null }),
    { done: true, eval_count: 3 },
  );
  assertEquals<unknown>(generateShape({ response: "x", done: false }), {
    response: "x",
    done: false,
  });
  // Timings are read from the final chunk only, so only the final chunk is cleaned.
  assertEquals<unknown>(generateShape({ response: "x", done: false, eval_count: "3" }), {
    response: "x",
    done: false,
    eval_count: "3",
  });
  assertEquals<unknown>(chatShape({ done: true, eval_count: "3", eval_duration: 7 }), {
    done: true,
    eval_duration: 7,
  });
  assertEquals(
    refusal("/api/generate", { response: 5 }, generateShape)[1],
    "response: expected a string",
  );
  assertEquals(
    refusal("/api/generate", { done: "yes" }, generateShape)[1],
    "done: expected a boolean",
  );
});

Deno.test("tool calls are checked: a function with a name, arguments an object or absent", () => {
  assertEquals<unknown>(
    generateShape({ done: true, tool_calls: [{ function: { name: "f" } }] }).tool_calls,
    [{ function: { name: "f", arguments: {} } }],
  );
  assertEquals(
    refusal("/api/generate", { tool_calls: [{}] }, generateShape)[1],
    "tool_calls[].function: expected an object",
  );
  // In a chat a malformed call is the model's mistake: it passes, for the agent to answer it.
  assertEquals<unknown>(
    chatShape({ message: { tool_calls: [{ function: { arguments: {} } }, { id: "x" }] } })
      .message?.tool_calls,
    [{ function: { arguments: {} } }, { id: "x" }],
  );
  assertEquals<unknown>(
    chatShape({ message: { tool_calls: [{ function: { name: "f", arguments: "x" } }] } })
      .message?.tool_calls,
    [{ function: { name: "f", arguments: "x" } }],
  );
  assertEquals(
    refusal("/api/chat", { message: { tool_calls: [5] } }, chatShape)[1],
    "tool_calls[0]: expected an object",
  );
  assertEquals(
    refusal("/api/chat", { message: "hi" }, chatShape)[1],
    "message: expected an object",
  );
  assertEquals(
    refusal("/api/chat", { message: { content: 1 } }, chatShape)[1],
    "content: expected a string",
  );
});

Deno.test("pull, version, embed and web shapes handle wrong types", () => {
  assertEquals(refusal("/api/pull", { status: 5 }, pullShape), [
    "the server sent an unexpected response to /api/pull",
    "status: expected a string",
  ]);
  assertEquals(
    refusal("/api/pull", { status: "s", total: "9" }, pullShape)[1],
    "total: expected a number",
  );
  assertEquals<unknown>(pullShape({ status: "success", extra: 1 }), {
    status: "success",
    extra: 1,
  });
  assertEquals(
    refusal("/api/version", { version: 1 }, versionShape)[1],
    "version: expected a string",
  );
  assertEquals<unknown>(embedShape({ embeddings: [[1, 2]] }), { embeddings: [[1, 2]] });
  assertEquals(
    refusal("/api/embed", { embeddings: [["a"]] }, embedShape)[1],
    "embeddings: expected a list of lists of numbers",
  );
  assertEquals(
    refusal("/x", { results: [3] }, webSearchShape)[1],
    "results[0]: expected an object",
  );
  assertEquals(
    refusal("/x", { links: [3] }, webFetchShape)[1],
    "links: expected a list of strings",
  );
});
