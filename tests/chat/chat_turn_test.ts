/**
 * chatTurn against the fake server with a stub ToolRunner: tool rounds go on until the model
 * answers without calls, and a failed turn leaves the conversation as it was.
 */
import { assertEquals } from "../support/assert.ts";
import { FakeOllama } from "../support/fake_ollama.ts";
import { testContext, testIo } from "../support/test_io.ts";
import { chatTurn, type ToolRunner } from "../../lib/chat/chat_turn.ts";
import { Conversation } from "../../lib/chat/conversation.ts";
import type { ToolCall } from "../../lib/api/types.ts";

const call: ToolCall = { id: "c1", function: { name: "echo", arguments: { text: "hi" } } };
const settings = { verbose: false, wordWrap: false, hideThinking: false };

Deno.test("chatTurn handles a tool round: calls run through the runner, results sent back", async () => {
  const server = new FakeOllama({
    models: [{ name: "agent:latest", capabilities: ["completion", "tools"], toolCalls: [call] }],
  });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const ran: ToolCall[][] = [];
    const tools: ToolRunner = {
      definitions: () => [{ type: "function", function: { name: "echo" } }],
      runCalls: (calls) => {
        ran.push(calls);
        return Promise.resolve([{ role: "tool", content: "hi", tool_name: "echo" }]);
      },
    };
    const conversation = new Conversation();
    const result = await chatTurn({
      io,
      client: ctx.client,
      model: "agent",
      info: { capabilities: ["completion", "tools"] },
      settings,
      conversation,
      noColor: true,
      tools,
      signal: new AbortController().signal,
    }, { role: "user", content: "go" });
    assertEquals(ran, [[call]]);
    assertEquals(result.messages, [
      { role: "user", content: "go" },
      { role: "assistant", content: "", tool_calls: [call] },
      { role: "tool", content: "hi", tool_name: "echo" },
      { role: "assistant", content: "Hello there." },
    ]);
    assertEquals(conversation.messages, result.messages);
    assertEquals(result.metrics?.eval_count, 298);
    assertEquals(io.stdout.text, "Hello there.\n\n");
    assertEquals(server.requestsTo("/api/chat").length, 2);
  } finally {
    await server.close();
  }
});

Deno.test("chatTurn handles a failing request: the turn is taken back out, the error rethrown", async () => {
  const server = new FakeOllama({ models: [{ name: "llama3:latest" }] });
  try {
    const io = testIo();
    const ctx = testContext(io, server.url);
    const conversation = new Conversation();
    conversation.addUser({ role: "user", content: "before" });
    let message = "";
    try {
      await chatTurn({
        io,
        client: ctx.client,
        model: "missing",
        info: {},
        settings,
        conversation,
        noColor: true,
        signal: new AbortController().signal,
      }, { role: "user", content: "lost" });
    } catch (err) {
      message = (err as Error).message;
    }
    assertEquals(message, "404 Not Found: model 'missing' not found");
    assertEquals(conversation.messages, [{ role: "user", content: "before" }]);
  } finally {
    await server.close();
  }
});
